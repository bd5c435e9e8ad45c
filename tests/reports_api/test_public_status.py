"""POST /reports/status: a resident follows their report without a token, the code in the
body (never in the URL), seeing progress only; unknown and malformed codes get the same 404."""

import pytest
from django.utils import translation

from api.conftest import assert_error
from conftest import person
from polmas.reports.models import Report
from polmas.reports.routing import route_pending
from polmas.reports.services import report_merge, report_set_status
from reports_api.conftest import REPORTS, good

pytestmark = pytest.mark.django_db

STATUS = f"{REPORTS}/status"
SECRET = {"anonymous": False, "name": "Komang Ayu Lestari", "phone": "081234567890",
          "email": "komang.secret@example.test", "reply_channel": "sms"}


def filed(as_, **fields):
    body = as_(None).post(REPORTS, good(**fields)).json()
    route_pending()  # as the task queue does a moment later (ADR 11)
    return body["id"], body["tracking_code"]


def test_the_reporter_sees_progress_with_the_code_alone(as_):
    number, code = filed(as_, **SECRET)
    report_set_status(actor=person("bhabin"), report_id=number, status="resolved",
                      summary="Motor ditemukan di desa sebelah.")
    response = as_(None).post(STATUS, {"tracking_code": code})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("number", "category", "sensitive", "village", "status", "summary",
                                 "merged")} == {
        "number": number, "category": "Pencurian", "sensitive": False, "village": "Les",
        "status": "resolved", "summary": "Motor ditemukan di desa sebelah.", "merged": False}
    assert [(e["kind"], e["status"]) for e in body["events"]] == [
        ("received", "received"), ("status", "resolved")]
    with translation.override("id"):
        assert body["status_label"] == str(Report.Status.RESOLVED.label) != "resolved"


def test_the_code_is_forgiving_of_case_and_dashes(as_):
    number, code = filed(as_)
    assert as_(None).post(STATUS, {"tracking_code": code.lower().replace("-", "")}).json()["number"] == number


def test_it_shows_nothing_private(as_):
    number, code = filed(as_, description="Rumah Pak Wayan di Jalan Melati 7 dibobol.", **SECRET)
    content = as_(None).post(STATUS, {"tracking_code": code}).content.decode()
    for private in ("Komang", "081234567890", "komang.secret", "Melati", "latitude", "reporter"):
        assert private not in content


def test_a_sensitive_matter_is_named_only_as_such(as_):
    number, code = filed(as_, category="sexual_violence", description="Pelecehan di jalan.")
    Report.objects.filter(pk=number).update(public_summary="rahasia")
    body = as_(None, lang="en").post(STATUS, {"tracking_code": code}).json()
    assert (body["category"], body["sensitive"], body["summary"]) == ("sensitive matter", True, "")
    assert "sexual" not in str(body).lower() and "rahasia" not in str(body)


def test_a_merged_report_follows_its_original(as_):
    original, _ = filed(as_)
    duplicate, code = filed(as_, description="Motor saya juga hilang.")
    report_merge(actor=person("bhabin"), report_id=duplicate, into_id=original)
    report_set_status(actor=person("bhabin"), report_id=original, status="in_progress")
    body = as_(None).post(STATUS, {"tracking_code": code}).json()
    assert (body["number"], body["status"], body["merged"]) == (duplicate, "in_progress", True)


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "ZZZZ-ZZZZ-ZZZZ", "ABCD", "ABCD-EFGH-JKMN-PQRS",
                                  "%00", "ÄBCD-EFGH-JKMN", "1' OR '1'='1", "x" * 300])
def test_unknown_and_malformed_codes_answer_the_same_404(as_, code):
    filed(as_)
    body = assert_error(as_(None, lang="en").post(STATUS, {"tracking_code": code}), 404)
    assert body == {"detail": "Not found.", "errors": []}


def test_a_code_in_the_url_is_refused_and_not_looked_up(as_):
    number, code = filed(as_)
    response = as_(None, lang="en").get(f"{STATUS}/{code}")
    assert response.status_code == 410
    assert "number" not in response.json() and "POST" in response.json()["detail"]


def test_contact_details_in_the_summary_are_scrubbed(as_):
    number, code = filed(as_)
    report_set_status(actor=person("bhabin"), report_id=number, status="resolved",
                      summary="Motor ditemukan; ambil di Pak Made Sukadana, 0812 3456 7890.")
    body = as_(None).post(STATUS, {"tracking_code": code}).json()
    assert body["summary"].startswith("Motor ditemukan")
    assert "3456" not in body["summary"] and "Sukadana" not in body["summary"]
