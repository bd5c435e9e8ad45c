"""The officer's page of a report (issue 15, items 3 and 5): the resident's photo through a
checked view, the contact they chose, a reply on their channel, and dismissing or marking a
duplicate with a reason the resident reads on the tracking page; a report opens one case."""

import io
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cases.helpers import LES
from conftest import person
from polmas.access.models import AuditEntry
from polmas.cases import services as case_services
from polmas.cases.models import Case
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Event, OutboundMessage, Report
from polmas.reports.routing import route_pending

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("x.png", out.getvalue(), content_type="image/png")


def submitted(category: str = "theft", **kw: object) -> tuple[Report, str]:
    data = {"category": category, "description": "Motor saya hilang di depan pura.", "channel": "web",
            "village": LES, **kw}
    made = report_submit(ReportInput(**data))
    route_pending()
    made.report.refresh_from_db()
    return made.report, made.tracking_code


def whatsapp_reporter(**kw: object) -> tuple[Report, str]:
    return submitted(anonymous=False, name="Kadek Pelapor", phone="081234567890",
                     reply_channel="whatsapp", photo=png(), **kw)


def test_the_officer_sees_the_photo_and_the_contact_the_resident_gave(login):
    r, _code = whatsapp_reporter()
    client = login("bhabin")

    page = client.get(f"/kerja/laporan/{r.pk}/").content.decode()
    assert "Kadek Pelapor" in page and "081234567890" in page
    assert 'id="reply-channel">WhatsApp<' in page
    assert f'src="/kerja/laporan/{r.pk}/foto/"' in page
    assert "/media/" not in page  # never a public media URL

    photo = client.get(f"/kerja/laporan/{r.pk}/foto/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert photo["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (40, 30)


def test_the_queue_links_each_report_to_its_page(login):
    r, _code = whatsapp_reporter()
    page = login("bhabin").get("/kerja/").content.decode()
    assert f'href="/kerja/laporan/{r.pk}/"' in page


@pytest.mark.parametrize("who, status", [("fkpm", 404), ("warga", 404), ("kapolsek_depok", 404),
                                         ("kapolsek", 200)])
def test_the_photo_is_for_police_in_scope_only(client, who, status):
    r, _code = whatsapp_reporter()
    client.force_login(person(who))
    assert client.get(f"/kerja/laporan/{r.pk}/foto/").status_code == status
    assert client.get(f"/kerja/laporan/{r.pk}/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    r, _code = whatsapp_reporter()
    assert client.get(f"/kerja/laporan/{r.pk}/foto/").status_code == 302


def test_a_sealed_reports_photo_is_audited_on_every_read(login):
    r, _code = submitted(category="domestic_violence", photo=png(), anonymous=False, name="Ibu R",
                         phone="081298765432", reply_channel="sms")
    client = login("bhabin")
    before = AuditEntry.objects.filter(action="report.read_photo", object_id=str(r.pk)).count()
    assert client.get(f"/kerja/laporan/{r.pk}/foto/").status_code == 200
    assert AuditEntry.objects.filter(action="report.read_photo", object_id=str(r.pk)).count() == before + 1
    # The supervisor must give a reason (on the case), the forum never sees it.
    assert login("kapolsek").get(f"/kerja/laporan/{r.pk}/foto/").status_code == 403


def test_the_officer_replies_on_the_residents_channel_and_it_is_in_the_history(login):
    r, _code = whatsapp_reporter()
    client = login("bhabin")

    posted = client.post(f"/kerja/laporan/{r.pk}/balas/", {"text": "Besok saya datang ke rumah Bapak."})

    assert posted.status_code == 302
    sent = OutboundMessage.objects.get(report=r, body="Besok saya datang ke rumah Bapak.")
    assert (sent.channel, sent.to) == ("whatsapp", "+6281234567890")
    assert AuditEntry.objects.filter(action="report.reply", object_id=str(r.pk)).exists()
    page = client.get(f"/kerja/laporan/{r.pk}/").content.decode()
    name = person("bhabin").get_full_name()
    assert f"{name} answered the resident: “Besok saya datang ke rumah Bapak.”" in page


def test_an_empty_reply_is_refused_and_sends_nothing(login):
    r, _code = whatsapp_reporter()
    refused = login("bhabin").post(f"/kerja/laporan/{r.pk}/balas/", {"text": "   "})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert not OutboundMessage.objects.filter(report=r, body__contains="Besok").exists()
    assert not Event.objects.filter(report=r, kind="reply").exists()


def test_no_reply_to_a_resident_who_asked_for_none(login):
    r, _code = submitted()
    client = login("bhabin")
    assert 'id="reply"' not in client.get(f"/kerja/laporan/{r.pk}/").content.decode()
    refused = client.post(f"/kerja/laporan/{r.pk}/balas/", {"text": "Halo"})
    assert refused.status_code == 400 and "asked for no answer" in refused.content.decode()


def test_a_dismissed_report_tells_the_resident_why(login, client):
    r, code = whatsapp_reporter()
    officer = login("bhabin")
    posted = officer.post(f"/kerja/laporan/{r.pk}/tolak/",
                          {"reason": "Motor sudah ditemukan keluarga pelapor."})
    assert posted.status_code == 302
    r.refresh_from_db()
    assert r.status == "closed"
    assert AuditEntry.objects.filter(action="report.dismiss", object_id=str(r.pk)).exists()

    client.logout()
    status = client.post("/lapor/status/", {"code": code}).content.decode()
    assert "Closed without action: Motor sudah ditemukan keluarga pelapor." in status


def test_a_dismissal_needs_a_reason(login):
    r, _code = whatsapp_reporter()
    refused = login("bhabin").post(f"/kerja/laporan/{r.pk}/tolak/", {"reason": ""})
    assert refused.status_code == 400
    r.refresh_from_db()
    assert r.status == "received"


def test_a_duplicate_is_merged_with_a_reason_the_resident_reads(login, client):
    first, _c = submitted(description="Motor hilang di parkiran pura Les.")
    second, code = submitted(description="Motor tetangga hilang di pura.")
    officer = login("bhabin")

    posted = officer.post(f"/kerja/laporan/{second.pk}/duplikat/",
                          {"into": first.pk, "reason": "Kejadian yang sama dengan laporan sebelumnya."})

    assert posted.status_code == 302
    second.refresh_from_db()
    assert second.duplicate_of_id == first.pk
    client.logout()
    status = client.post("/lapor/status/", {"code": code}).content.decode()
    assert "The same matter as an earlier report: Kejadian yang sama dengan laporan sebelumnya." in status


def test_a_duplicate_of_a_report_outside_scope_is_refused(login):
    r, _code = submitted()
    refused = login("bhabin").post(f"/kerja/laporan/{r.pk}/duplikat/", {"into": 999999, "reason": "x"})
    assert refused.status_code == 400 and "No report 999999 in your area." in refused.content.decode()


def test_a_second_case_from_the_same_report_is_refused_and_the_first_offered(login):
    r, _code = submitted()
    first = case_services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk],
                                    statement="Pencurian motor.")
    client = login("bhabin")

    offered = client.get(f"/kasus/baru/?report={r.pk}").content.decode()
    assert "Open the existing case" in offered and f'href="/kasus/{first.pk}/"' in offered
    assert 'name="statement"' not in offered

    posted = client.post("/kasus/baru/", {"report": r.pk, "village": LES, "category": "theft",
                                          "statement": "Lagi.", "client_uuid": uuid.uuid4()})
    assert posted.status_code == 409 and Case.objects.count() == 1
    page = client.get(f"/kerja/laporan/{r.pk}/").content.decode()
    assert f'href="/kasus/{first.pk}/"' in page and 'id="open-case"' not in page


def test_the_service_refuses_a_second_case_on_a_report(login):
    from django.core.exceptions import ValidationError

    r, _code = submitted()
    case_services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk], statement="a")
    with pytest.raises(ValidationError) as refused:
        case_services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk], statement="b")
    assert "sudah menjadi bagian dari kasus" in str(refused.value.message_dict["report_ids"])
    assert Case.objects.count() == 1


def test_a_case_from_a_whatsapp_reporters_report_names_them(login):
    r, _code = whatsapp_reporter(category="domestic_violence")
    case = case_services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk],
                                   statement="KDRT.")
    page = login("bhabin").get(f"/kasus/{case.pk}/").content.decode()
    assert "Reporter" in page and "Kadek Pelapor" in page and "081234567890" in page
    assert "answer by WhatsApp" in page
