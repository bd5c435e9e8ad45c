"""POST /reports/{id}/status: move a report on, with the version read; reporters are told."""

import pytest

from api.conftest import assert_error
from conftest import OUTSIDER
from polmas.access.models import AuditEntry
from polmas.reports.models import OutboundMessage, Report
from reports_api.conftest import REPORTS

pytestmark = pytest.mark.django_db


def change(caller, report: Report, **body):
    return caller.post(f"{REPORTS}/{report.pk}/status", body)


def test_the_bhabin_takes_a_report_in_hand_and_the_reporter_is_told(as_, file_report):
    report = file_report(anonymous=False, phone="081234567890", reply_channel="sms")
    response = change(as_("bhabin"), report, status="in_progress", version=1)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"]) == ("in_progress", 2)
    assert [(e["kind"], e["status"]) for e in body["events"]][-1] == ("status", "in_progress")
    message = OutboundMessage.objects.get(report=report)
    assert (message.channel, message.to) == ("sms", "+6281234567890")
    assert message.body == f"Laporan Anda #{report.pk} sedang ditangani."
    assert AuditEntry.objects.filter(action="report.status", object_id=str(report.pk),
                                     actor__username="bhabin").exists()


def test_resolving_needs_a_public_summary(as_, file_report):
    report = file_report()
    assert_error(change(as_("bhabin"), report, status="resolved", version=1), 400, "summary")
    assert Report.objects.get(pk=report.pk).status == "received"
    body = change(as_("bhabin"), report, status="resolved", version=1, summary="Motor ditemukan.").json()
    assert (body["status"], body["summary"]) == ("resolved", "Motor ditemukan.")


def test_a_stale_version_answers_409_and_changes_nothing(as_, file_report):
    report = file_report()
    assert change(as_("bhabin"), report, status="in_progress", version=1).status_code == 200
    stale = change(as_("kapolsek", lang="en"), report, status="closed", version=1)
    body = assert_error(stale, 409, "version")
    assert "changed by someone else" in body["detail"]
    assert Report.objects.get(pk=report.pk).status == "in_progress"


def test_the_forum_member_may_move_an_ordinary_report_on(as_, file_report):
    report = file_report()
    assert change(as_("fkpm"), report, status="in_progress", version=1).json()["status"] == "in_progress"


def test_a_sealed_report_is_changed_by_its_officers_not_by_a_supervisor(as_, file_report):
    report = file_report(category="domestic_violence", description="Ibu dipukul suaminya.")
    assert_error(change(as_("kapolsek"), report, status="in_progress", version=1), 403)
    assert_error(change(as_("fkpm"), report, status="in_progress", version=1), 404)
    assert change(as_("ppa"), report, status="in_progress", version=1).status_code == 200


@pytest.mark.parametrize("username", [OUTSIDER, "warga", "mitra", "bappenas"])
def test_nobody_out_of_scope_changes_it(as_, file_report, username):
    report = file_report()
    assert_error(change(as_(username), report, status="closed", version=1), 404)
    assert Report.objects.get(pk=report.pk).status == "received"


def test_it_refuses_anonymous_callers(as_, file_report):
    assert_error(change(as_(None), file_report(), status="closed", version=1), 401)


@pytest.mark.parametrize("body,field", [
    ({"status": "done", "version": 1}, "status"), ({"status": "closed"}, "version"),
    ({"status": "closed", "version": 0}, "version"),
    ({"status": "resolved", "version": 1, "summary": "x" * 501}, "summary"),
    ({"status": "resolved", "version": 1, "summary": "baris\x00"}, "summary"),
])
def test_malformed_input_answers_422_naming_the_field(as_, file_report, body, field):
    report = file_report()
    assert_error(change(as_("bhabin"), report, **body), 422, field)
    assert Report.objects.get(pk=report.pk).status == "received"
