"""The reporter answers "is it fixed?" on the status page (by tracking code) and on their
own report's page (logged in): a rating, and reopening within 14 days."""

import datetime as dt

import pytest
from django.test import Client

from conftest import person
from polmas.reports.models import Feedback, Report
from polmas.reports.routing import route_pending
from polmas.reports.services import report_set_status

from .portaltools import send, tracking_code

pytestmark = pytest.mark.django_db


def _resolved(client: Client, **changes: object) -> tuple[str, Report]:
    send(client, **changes)
    code = tracking_code(client)
    report = Report.objects.order_by("-pk").first()
    route_pending()
    report_set_status(actor=person("bhabin"), report_id=report.pk, status="resolved",
                      summary="Motor sudah dikembalikan kepada pemiliknya.")
    return code, report


def test_the_status_page_asks_once_it_is_resolved(client: Client):
    send(client)
    code = tracking_code(client)
    body = client.post("/lapor/status/", {"code": code}).content.decode()
    assert 'id="feedback"' not in body  # still open: nothing to answer

    report = Report.objects.order_by("-pk").first()
    route_pending()
    report_set_status(actor=person("bhabin"), report_id=report.pk, status="resolved", summary="Selesai.")
    body = client.post("/lapor/status/", {"code": code}).content.decode()
    assert 'id="feedback"' in body and 'name="fixed"' in body and 'name="rating"' in body
    assert 'name="reopen"' in body


def test_an_answer_by_code_is_kept_and_the_form_goes(client: Client):
    code, report = _resolved(client)

    response = client.post("/lapor/status/tanggapan/", {"code": code, "fixed": "yes", "rating": "4"})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="thanks"' in body and 'id="feedback"' not in body
    feedback = Feedback.objects.get(report=report)
    assert (feedback.fixed, feedback.rating, feedback.reopened) == (True, 4, False)


def test_reopening_by_code_shows_it_handled_again(client: Client):
    code, report = _resolved(client)

    response = client.post("/lapor/status/tanggapan/", {"code": code, "fixed": "no", "reopen": "on"},
                           HTTP_ACCEPT_LANGUAGE="en")

    report.refresh_from_db()
    assert report.status == Report.Status.IN_PROGRESS
    body = response.content.decode()
    assert "Reopened by the reporter: not fixed" in body
    assert "being handled" in body


def test_bad_answers_are_400_naming_the_field_and_change_nothing(client: Client):
    code, report = _resolved(client)

    for data in ({"code": code}, {"code": code, "fixed": "maybe"},
                 {"code": code, "fixed": "yes", "rating": "9"},
                 {"code": code, "fixed": "yes", "reopen": "on"}):
        response = client.post("/lapor/status/tanggapan/", data)
        assert response.status_code == 400, data
        assert 'role="alert"' in response.content.decode()
    assert not Feedback.objects.filter(report=report).exists()
    wrong = client.post("/lapor/status/tanggapan/", {"code": "ABCD-EFGH-JKMN", "fixed": "yes"})
    assert wrong.status_code == 404


def test_after_14_days_it_cannot_be_reopened(client: Client):
    code, report = _resolved(client)
    Report.objects.filter(pk=report.pk).update(resolved_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=20))

    body = client.post("/lapor/status/", {"code": code}).content.decode()
    assert 'name="reopen"' not in body
    response = client.post("/lapor/status/tanggapan/", {"code": code, "fixed": "no", "reopen": "on"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_my_reports_list_and_answer_when_logged_in(client: Client):
    client.force_login(person("warga"))
    send(client, anonymous="0", phone="081234567890", name="Komang")
    report = Report.objects.order_by("-pk").first()
    assert report.submitted_by == person("warga")

    listing = client.get("/lapor/saya/").content.decode()
    assert f'href="/lapor/saya/{report.pk}/"' in listing and "diterima" in listing

    route_pending()
    report_set_status(actor=person("bhabin"), report_id=report.pk, status="resolved", summary="Selesai.")
    page = client.get(f"/lapor/saya/{report.pk}/")
    assert page.status_code == 200 and 'id="feedback"' in page.content.decode()
    response = client.post(f"/lapor/saya/{report.pk}/", {"fixed": "yes", "rating": "5"})
    assert response.status_code == 200
    assert Feedback.objects.get(report=report).rating == 5


def test_someone_elses_report_is_404(client: Client):
    code, report = _resolved(client)  # anonymous: nobody's account
    client.force_login(person("warga"))
    assert client.get(f"/lapor/saya/{report.pk}/").status_code == 404
    assert client.post(f"/lapor/saya/{report.pk}/", {"fixed": "yes"}).status_code == 404
    assert not Feedback.objects.filter(report=report).exists()


def test_my_reports_needs_a_login(client: Client):
    assert client.get("/lapor/saya/").status_code == 302
