"""Demo partners: a few partner organisations in Bali and D.I. Yogyakarta, an agreement
that expires within 60 days (its alert shows), a joint programme in Tejakula with comparison
villages, and the service directory for referrals in both provinces. Written by name, so a
re-run adds nothing twice."""

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from polmas.access.models import Role, RoleGrant
from polmas.partners.models import Agreement, Organisation, Programme, Service
from polmas.regions.models import Region

# name, kind, places; "Yayasan Mitra Aman Bali" is the demo account mitra's organisation.
ORGANISATIONS = [
    ("Yayasan Mitra Aman Bali", "ngo", ["51"]),
    ("Asosiasi Pengusaha Hiburan Buleleng", "business", ["51.08"]),
    ("Pemerintah Desa Les", "government", ["51.08.09.2007"]),
    ("Universitas Udayana", "university", ["51"]),
    ("Majelis Desa Adat Kabupaten Buleleng", "religious", ["51.08"]),
    ("Rifka Annisa Women's Crisis Center", "ngo", ["34"]),
]
# The business partner's staff account (the demo's password, as every demo account).
BUSINESS_ACCOUNT = "mitra_usaha"
# name, kind, region, hours, phone, public. Demo data: no phone numbers are made up.
SERVICES = [
    ("UPTD PPA Provinsi Bali", "uptd_ppa", "51", "Senin-Jumat 08.00-15.00", "", True),
    ("UPTD PPA Kabupaten Buleleng", "uptd_ppa", "51.08", "Senin-Jumat 08.00-15.00", "", True),
    ("Puskesmas Tejakula I", "health", "51.08.09", "Setiap hari 24 jam (UGD)", "", True),
    ("Dinas Sosial Kabupaten Buleleng", "social", "51.08", "Senin-Jumat 08.00-15.00", "", True),
    ("LBH Bali", "legal_aid", "51", "Senin-Jumat 09.00-16.00", "", True),
    ("Rumah Aman Buleleng", "shelter", "51.08", "24 jam, lewat UPTD PPA", "", False),
    ("UPTD PPA Daerah Istimewa Yogyakarta", "uptd_ppa", "34", "Senin-Jumat 08.00-15.30", "",
     True),
    ("UPTD PPA Kabupaten Sleman", "uptd_ppa", "34.04", "Senin-Jumat 08.00-15.00", "", True),
    ("Puskesmas Depok I", "health", "34.04.07", "Senin-Sabtu 07.30-14.00", "", True),
    ("Rifka Annisa (pendampingan hukum)", "legal_aid", "34", "Senin-Jumat 08.00-16.00", "",
     True),
]


def partners_generate(*, provinces: list[str] | None, year: int, seed: int,
                      progress: Callable[[int], None] | None = None) -> int:
    """The demo's partners in `provinces` (all the demo's when None); returns how many
    organisations exist there afterwards. Safe to run again."""
    wanted = set(provinces or ["51", "34"])
    today = timezone.localdate()
    with transaction.atomic():
        orgs = {}
        for name, kind, places in ORGANISATIONS:
            if places[0][:2] not in wanted:
                continue
            org, created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
            if created:
                org.places.set(Region.objects.filter(code__in=places))
            orgs[name] = org
        for name, kind, region, hours, phone, public in SERVICES:
            if region[:2] in wanted and Region.objects.filter(code=region).exists():
                Service.objects.get_or_create(name=name, defaults={
                    "kind": kind, "region_id": region, "hours": hours, "phone": phone, "public": public})
        business = orgs.get("Asosiasi Pengusaha Hiburan Buleleng")
        if business is not None:
            _business_account(business)
        if business is not None and not business.agreements.exists():
            agreement = Agreement.objects.create(
                organisation=business, kind="pks",
                title="PKS pencegahan perdagangan orang di tempat hiburan",
                number="PKS/14/XII/2024/Res.Bll", police_party="Polres Buleleng",
                signed_on=today - dt.timedelta(days=700), starts_on=today - dt.timedelta(days=690),
                ends_on=today + dt.timedelta(days=45),
                police_commitments="Pelatihan pengenalan tanda perdagangan orang; "
                                   "jalur lapor cepat ke Unit PPA.",
                partner_commitments="Memeriksa usia pekerja; melaporkan dugaan eksploitasi tanpa menunda.",
                # The demo's kapolres is told of its expiry (when the accounts exist already).
                owner=User.objects.filter(username="kapolres").first())
            agreement.places.set(Region.objects.filter(code="51.08"))
            programme = Programme.objects.create(
                organisation=business, agreement=agreement,
                name="Tempat hiburan bebas perdagangan orang",
                objectives="Menurunkan kasus perdagangan orang dan eksploitasi anak di tempat hiburan.",
                starts_on=today - dt.timedelta(days=365), ends_on=today + dt.timedelta(days=45))
            programme.places.set(Region.objects.filter(code__in=["51.08.09.2007", "51.08.09.2006"]))
            programme.comparison.set(Region.objects.filter(code__in=["51.08.09.2005", "51.08.09.2004"]))
        ngo = orgs.get("Yayasan Mitra Aman Bali")
        if ngo is not None and not ngo.programmes.exists():
            programme = Programme.objects.create(
                organisation=ngo, name="Pendampingan korban KDRT di Tejakula",
                objectives="Mendampingi korban ke layanan dan mediasi bersama tokoh adat.",
                starts_on=today - dt.timedelta(days=200), ends_on=today + dt.timedelta(days=500))
            programme.places.set(Region.objects.filter(code="51.08.09"))
    if progress:
        progress(len(orgs))
    return len(orgs)


def _business_account(org: Organisation) -> None:
    from polmas.simulation.accounts import PASSWORD

    user, created = User.objects.get_or_create(
        username=BUSINESS_ACCOUNT, defaults={"first_name": "Staf", "last_name": "Asosiasi Hiburan"})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, role=Role.PARTNER, region_id="51.08", organisation=org.name)
