"""A small cast for the partners room: a business partner and an NGO working in Tejakula
(Buleleng), each with a staff account, an agreement, a programme in Desa Les with comparison
villages, and services in Bali and D.I. Yogyakarta. Built through the services, per test."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from conftest import person
from polmas.access.models import Role, RoleGrant
from polmas.partners import services
from polmas.partners.models import Agreement, Organisation, Programme, Service

LES = "51.08.09.2007"
TEJAKULA = "51.08.09"
OTHER_TEJAKULA = "51.08.09.2006"
COMPARE = "51.08.09.2005"
DEPOK = "34.04.07"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class Cast:
    business: Organisation
    ngo: Organisation
    biz_user: User
    ngo_user: User
    agreement: Agreement
    programme: Programme
    buleleng_ppa: Service
    sleman_ppa: Service


def staff(username: str, org: Organisation) -> User:
    user = User.objects.create_user(username=username, password="x")
    RoleGrant.objects.create(user=user, role=Role.PARTNER, region_id="51", organisation=org.name)
    return user


@pytest.fixture
def cast(settings, tmp_path) -> Cast:
    settings.MEDIA_ROOT = tmp_path / "media"
    kapolres = person("kapolres")
    business = services.organisation_create(
        actor=kapolres, name="Hiburan Tejakula Sejahtera", kind="business", places=[TEJAKULA],
        contacts=[{"name": "Made Pemilik", "position": "ketua", "phone": "081234567890",
                   "email": "m@example.id"}])
    ngo = services.organisation_create(actor=kapolres, name="Yayasan Les Aman", kind="ngo", places=[LES])
    today = timezone.localdate()
    agreement = services.agreement_create(
        actor=kapolres, organisation_id=business.pk, kind="pks", title="PKS anti perdagangan orang",
        police_party="Polres Buleleng", signed_on=today - dt.timedelta(days=400),
        starts_on=today - dt.timedelta(days=395), ends_on=today + dt.timedelta(days=30), places=[TEJAKULA],
        police_commitments="Pelatihan.", partner_commitments="Melapor.")
    programme = services.programme_create(
        actor=kapolres, organisation_id=business.pk, agreement_id=agreement.pk, name="Hiburan bebas TPPO",
        objectives="Menurunkan TPPO.", places=[LES, OTHER_TEJAKULA], comparison=[COMPARE],
        starts_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=30))
    buleleng = services.service_create(actor=kapolres, name="UPTD PPA Buleleng", kind="uptd_ppa",
                                       region="51.08", hours="08.00-15.00", phone="0362-000")
    sleman = Service.objects.create(name="UPTD PPA Sleman", kind="uptd_ppa", region_id="34.04")
    return Cast(business=business, ngo=ngo, biz_user=staff("biz", business), ngo_user=staff("ngo", ngo),
                agreement=agreement, programme=programme, buleleng_ppa=buleleng, sleman_ppa=sleman)


@pytest.fixture(autouse=True)
def _english():
    """These tests read the services' reasons in English (the msgids); pages asked for in a
    language of their own still answer in it."""
    from django.utils import translation

    with translation.override("en"):
        yield
