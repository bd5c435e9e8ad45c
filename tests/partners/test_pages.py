"""The partner pages: the public profile (no contact details), the agreement's PDF behind
the permission check, the upload checked on the page, a partner's activities page (404
outside its places), the programme's indicator from the rollups, and the services residents
see on /lapor/ beside 110 and SAPA 129."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from conftest import person
from polmas.analytics.models import MonthlyFigures
from polmas.partners.models import Agreement, PartnerActivity
from polmas.reports.models import Category

from .conftest import COMPARE, LES, PDF, TEJAKULA

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_public_profile_shows_no_contact_details(cast):
    page = Client().get(f"/mitra/{cast.business.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hiburan Tejakula Sejahtera" in text and TEJAKULA in text
    assert "081234567890" not in text and "Made Pemilik" not in text


def _form(cast, document, **over):
    today = timezone.localdate()
    data = {"organisation": cast.ngo.pk, "kind": "mou", "title": "MoU Les", "police_party": "Polsek Tejakula",
            "signed_on": today, "starts_on": today, "ends_on": today + dt.timedelta(days=90), "places": LES,
            "police_commitments": "Sambang.", "partner_commitments": "Mediasi.", "document": document}
    data.update(over)
    return data


def test_the_page_refuses_a_file_that_is_not_a_pdf_and_changes_nothing(cast):
    before = Agreement.objects.count()
    fake = SimpleUploadedFile("mou.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    answer = _client(person("kapolres")).post(f"/mitra/{cast.ngo.pk}/perjanjian/baru/", _form(cast, fake))
    assert answer.status_code == 400
    assert "bukan dokumen PDF" in answer.content.decode() or "not a PDF" in answer.content.decode()
    assert Agreement.objects.count() == before


def test_the_page_refuses_an_end_before_the_start(cast):
    today = timezone.localdate()
    answer = _client(person("kapolres")).post(f"/mitra/{cast.ngo.pk}/perjanjian/baru/", _form(
        cast, "", ends_on=today - dt.timedelta(days=1)), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert "is before the start" in answer.content.decode()


def test_the_signed_pdf_is_served_only_after_the_check(cast):
    kapolres = _client(person("kapolres"))
    answer = kapolres.post(f"/mitra/{cast.ngo.pk}/perjanjian/baru/",
                           _form(cast, SimpleUploadedFile("MoU.pdf", PDF, content_type="application/pdf")))
    assert answer.status_code == 302
    agreement = Agreement.objects.latest("pk")
    url = f"/mitra/perjanjian/{agreement.pk}/dokumen/"
    got = kapolres.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content) == PDF
    assert got["Cache-Control"] == "private, no-store"
    assert _client(person("kapolsek_depok")).get(url).status_code == 404
    assert _client(cast.biz_user).get(url).status_code == 404  # another partner's agreement
    assert _client(cast.ngo_user).get(url).status_code == 200  # its own
    assert Client().get(url).status_code == 302


def test_a_partner_records_an_activity_on_its_page(cast):
    staff = _client(cast.biz_user)
    assert staff.get("/mitra/kegiatan/").status_code == 200
    form = {"programme": cast.programme.pk, "village": LES, "kind": "training",
            "occurred_on": timezone.localdate().isoformat(), "participants": 8,
            "summary": "Pelatihan pengenalan TPPO.", "client_uuid": str(uuid.uuid4())}
    assert staff.post("/mitra/kegiatan/", form).status_code == 302
    assert PartnerActivity.objects.filter(programme=cast.programme, village_id=LES).count() == 1
    outside = staff.post("/mitra/kegiatan/", {**form, "village": COMPARE, "client_uuid": str(uuid.uuid4())})
    assert outside.status_code == 404
    assert PartnerActivity.objects.count() == 1


def test_only_a_business_partner_files_reports(cast):
    assert _client(cast.ngo_user).get("/mitra/laporan/").status_code == 404
    assert _client(cast.biz_user).get("/mitra/laporan/").status_code == 200
    outside = _client(cast.biz_user).post("/mitra/laporan/", {"village": "34.04.07.2001",
                                                               "description": "Dugaan eksploitasi."})
    assert outside.status_code == 404


def test_a_partner_sees_no_case(cast):
    from polmas.cases.selectors import case_list

    assert not case_list(user=cast.biz_user).exists()
    assert not case_list(user=person("mitra")).exists()


def test_the_programme_indicator_compares_its_villages_from_the_rollups(cast):
    trafficking = Category.objects.get(code="trafficking")
    month = timezone.localdate().year * 100 + timezone.localdate().month
    MonthlyFigures.objects.bulk_create([
        MonthlyFigures(level=4, prefix=LES, month=month, category=trafficking, reports=2),
        MonthlyFigures(level=4, prefix="51.08.09.2006", month=month, category=trafficking, reports=1),
        MonthlyFigures(level=4, prefix=COMPARE, month=month, category=trafficking, reports=7),
        MonthlyFigures(level=4, prefix=LES, month=month - 100, category=trafficking, reports=50),  # before
    ])
    page = _client(person("kapolres")).get(f"/mitra/program/{cast.programme.pk}/")
    assert page.status_code == 200
    row = page.context["indicators"][0]
    assert (row["programme"], row["comparison"]) == (3, 7)


def test_residents_see_the_services_serving_their_village_beside_110_and_129(cast):
    html = Template("{% load partners %}{% services_near code %}").render(Context({"code": LES}))
    assert "UPTD PPA Buleleng" in html and "UPTD PPA Sleman" not in html
    form = Client().get("/lapor/").content.decode()
    assert 'href="tel:129"' in form and 'href="tel:110"' in form and "/mitra/layanan/" in form
    directory = Client().get("/mitra/layanan/", {"wilayah": LES}).content.decode()
    assert "UPTD PPA Buleleng" in directory and "UPTD PPA Sleman" not in directory


def test_the_home_page_leads_partners_and_supervisors_to_the_partner_pages(cast):
    for user in (cast.biz_user, person("kapolres")):
        assert 'id="partners-link"' in _client(user).get("/").content.decode()
    assert 'id="partners-link"' not in _client(person("warga")).get("/").content.decode()


@pytest.mark.parametrize("junk", ["51.08\x00", "'; DROP", "9" * 40])
def test_the_directory_ignores_a_place_that_is_no_region_code(cast, junk):
    answer = Client().get("/mitra/layanan/", {"wilayah": junk})
    assert answer.status_code == 200


def test_places_that_are_no_region_codes_are_refused_by_name(cast):
    from django.core.exceptions import ValidationError

    from polmas.partners import services

    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=person("kapolres"), name="X", kind="ngo", places=["51.08\x00"])
    assert "No such region" in exc.value.message_dict["places"][0]
