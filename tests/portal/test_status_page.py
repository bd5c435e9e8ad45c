"""The status page /lapor/status/: progress by tracking code, nothing private."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from polmas.reports.models import Report
from polmas.reports.routing import route_pending
from polmas.reports.services import report_set_status

from .portaltools import form, tracking_code

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Motor Pak Ketut dicuri di depan warung, pelakunya anak kepala dusun."


def reported(client: Client, **changes: object) -> tuple[Report, str]:
    client.post("/lapor/", form(description=SECRET_TEXT, **changes))
    route_pending()  # as the task queue does a moment later (ADR 11)
    return Report.objects.latest("pk"), tracking_code(client)


def look_up(client: Client, code: str):
    return client.post("/lapor/status/", {"code": code})


def test_the_page_asks_for_the_code_by_post(client: Client):
    body = client.get("/lapor/status/?code=ABCD-EFGH-JKMN").content.decode()

    assert '<form class="card status-form" method="post" action="/lapor/status/">' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "ABCD-EFGH-JKMN" in body  # only as the placeholder: GET never looks a code up
    assert 'id="result"' not in body


def test_it_shows_progress_and_hides_the_text_and_the_reporter(client: Client):
    report, code = reported(client, anonymous="0", name="Ni Wayan Rusmini", phone="081999888777",
                            email="rusmini@example.id", reply_channel="whatsapp")

    response = look_up(client, code)
    body = response.content.decode()

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f"Laporan no. {report.pk}" in body
    assert '<dd data-col="category">Pencurian</dd>' in body
    assert "Kecamatan Tejakula" in body and "Kabupaten Buleleng" in body
    assert '<strong class="status status-received">diterima</strong>' in body
    for private in (SECRET_TEXT, "Pak Ketut", "Rusmini", "081999888777", "rusmini@example.id", code):
        assert private not in body


def test_the_timeline_is_in_the_villages_time_zone(client: Client):
    report, code = reported(client)
    bhabin = User.objects.get(username="bhabin")
    report_set_status(actor=bhabin, report_id=report.pk, status="resolved",
                      summary="Motor ditemukan dan dikembalikan kepada pemiliknya.")

    body = look_up(client, code).content.decode()

    events = list(report.events.order_by("at"))
    assert len(events) == 2
    for event in events:
        wita = event.at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        assert f"{wita:%H:%M} WITA" in body
    assert "Laporan diterima" in body
    assert "Status: selesai ditangani" in body
    summary = "Motor ditemukan dan dikembalikan kepada pemiliknya."
    assert f'<p class="summary" data-col="summary">{summary}</p>' in body
    assert '<strong class="status status-resolved">selesai ditangani</strong>' in body


def test_a_sensitive_report_is_only_a_sensitive_matter(client: Client):
    report, code = reported(client, category="sexual_violence")

    body = look_up(client, code).content.decode()

    assert report.sensitive
    assert '<dd data-col="category">perkara sensitif</dd>' in body
    assert "Kekerasan seksual" not in body
    assert 'href="tel:129"' in body and 'href="tel:110"' in body
    assert SECRET_TEXT not in body


def test_a_malformed_code_gets_a_clear_message(client: Client):
    response = look_up(client, "ABC-123")

    assert response.status_code == 400
    body = response.content.decode()
    assert "Kode pelacakan terdiri atas 12 huruf dan angka, seperti ABCD-EFGH-JKMN." in body


def test_an_unknown_code_gets_a_clear_message(client: Client):
    response = look_up(client, "ZZZZ-ZZZZ-ZZZZ")
    body = response.content.decode()

    assert response.status_code == 404
    assert "Tidak ada laporan dengan kode pelacakan ini. Periksa huruf demi huruf." in body
    assert 'id="result"' not in body


def test_an_empty_code_is_asked_for(client: Client):
    body = look_up(client, "").content.decode()

    assert "Ketik kode pelacakan yang Anda terima." in body


def test_the_status_page_speaks_english(client: Client):
    _, code = reported(client)
    client.post("/i18n/setlang/", {"language": "en", "next": "/lapor/status/"})

    body = look_up(client, code).content.decode()

    assert '<dd data-col="category">Theft</dd>' in body
    assert "Tejakula district" in body
    assert '<strong class="status status-received">received</strong>' in body
    assert "Report received" in body


def test_the_status_page_refuses_a_post_without_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/lapor/status/", {"code": "ZZZZ-ZZZZ-ZZZZ"})

    assert response.status_code == 403


def test_contact_details_in_the_officers_summary_are_scrubbed(client: Client):
    report, code = reported(client)
    report_set_status(actor=User.objects.get(username="bhabin"), report_id=report.pk, status="resolved",
                      summary="Motor ada di Polsek; hubungi Bu Sari Dewi di sari dot dewi at gmail dot com "
                              "atau nol delapan satu satu dua dua tiga tiga empat empat lima.")
    body = look_up(client, code).content.decode()
    assert "Motor ada di Polsek" in body
    for private in ("Sari Dewi", "gmail", "tiga tiga empat"):
        assert private not in body
