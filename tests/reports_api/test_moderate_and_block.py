"""POST /reports/{id}/moderate and /block: hide abuse (kept for audit), mark spam, refuse a sender."""

import pytest

from api.conftest import all_items, assert_error
from conftest import OUTSIDER
from polmas.access.models import AuditEntry
from polmas.reports.models import Block, Report
from reports_api.conftest import REPORTS, good

pytestmark = pytest.mark.django_db

ABUSE = "Kata-kata kasar dan fitnah tentang Pak Kadus."


def moderate(caller, report: Report, **body):
    return caller.post(f"{REPORTS}/{report.pk}/moderate", body)


def block(caller, report: Report, **body):
    return caller.post(f"{REPORTS}/{report.pk}/block", body)


def test_hidden_text_leaves_the_api_but_stays_in_the_database_with_the_reason_audited(as_, file_report):
    report = file_report(description=ABUSE)
    response = moderate(as_("bhabin"), report, hide=True, reason="Fitnah dan kata kasar")
    assert response.status_code == 200
    assert (response.json()["hidden"], response.json()["description"]) == (True, "")
    for username in ("bhabin", "kapolsek", "fkpm", "admin"):
        detail = as_(username).get(f"{REPORTS}/{report.pk}")
        items = all_items(as_(username), REPORTS)
        assert b"Pak Kadus" not in detail.content and "Pak Kadus" not in str(items)
    assert Report.objects.get(pk=report.pk).description == ABUSE
    entry = AuditEntry.objects.get(action="report.moderate", object_id=str(report.pk))
    assert (entry.reason, entry.detail, entry.actor_name) == (
        "Fitnah dan kata kasar", {"hidden": True}, "bhabin")
    last = as_("bhabin").get(f"{REPORTS}/{report.pk}").json()["events"][-1]
    assert (last["kind"], last["public"], last["note"]) == ("moderation", False, "Fitnah dan kata kasar")
    forum_sees = as_("fkpm").get(f"{REPORTS}/{report.pk}").json()["events"]
    assert "moderation" not in [e["kind"] for e in forum_sees]


def test_spam_is_marked_and_closed(as_, file_report):
    report = file_report()
    body = moderate(as_("kapolsek"), report, spam=True, reason="Iklan judi online").json()
    assert (body["spam"], body["status"]) == (True, "closed")


def test_moderation_needs_a_reason_and_an_action(as_, file_report):
    report = file_report()
    assert_error(moderate(as_("bhabin"), report, hide=True, reason="  "), 400, "reason")
    assert_error(moderate(as_("bhabin"), report, hide=True), 422, "reason")
    assert_error(moderate(as_("bhabin"), report, reason="x"), 400, "hide")
    assert_error(moderate(as_("bhabin"), report, hide="kadang", reason="x"), 422, "hide")
    assert not Report.objects.get(pk=report.pk).hidden
    assert not AuditEntry.objects.filter(action="report.moderate").exists()


def test_a_forum_member_may_not_moderate_or_block(as_, file_report):
    report = file_report(anonymous=False, phone="081234567890", reply_channel="sms")
    assert_error(moderate(as_("fkpm"), report, hide=True, reason="x"), 403)
    assert_error(block(as_("fkpm"), report, what="phone", reason="x"), 403)
    assert not Report.objects.get(pk=report.pk).hidden and not Block.objects.exists()


@pytest.mark.parametrize("username", [OUTSIDER, "warga", "mitra", "bappenas"])
def test_out_of_scope_it_is_404(as_, file_report, username):
    report = file_report(anonymous=False, phone="081234567890", reply_channel="sms")
    assert_error(moderate(as_(username), report, hide=True, reason="x"), 404)
    assert_error(block(as_(username), report, what="phone", reason="x"), 404)
    assert not Report.objects.get(pk=report.pk).hidden and not Block.objects.exists()


def test_it_refuses_anonymous_callers(as_, file_report):
    report = file_report()
    assert_error(moderate(as_(None), report, hide=True, reason="x"), 401)
    assert_error(block(as_(None), report, what="client", reason="x"), 401)


def test_a_blocked_phone_cannot_report_again(as_, file_report):
    report = file_report(anonymous=False, phone="081234567890", reply_channel="sms")
    response = block(as_("bhabin"), report, what="phone", reason="Ancaman berulang")
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["reason"]) == ("phone", "Ancaman berulang")
    assert AuditEntry.objects.get(action="sender.block").reason == "Ancaman berulang"
    count = Report.objects.count()
    again = as_(None, lang="en").post(REPORTS, good(phone="0812-3456-7890", anonymous=False))
    body = assert_error(again, 403)
    assert body["detail"] == "Reports from this sender are not accepted."
    assert Report.objects.count() == count
    assert as_(None).post(REPORTS, good(phone="085711112222")).status_code == 201


def test_a_blocked_client_address_cannot_report_again(as_):
    first = as_(None, addr="198.51.100.77").post(REPORTS, good()).json()
    report = Report.objects.get(pk=first["id"])
    assert block(as_("kapolsek"), report, what="client", reason="Banjir laporan palsu").status_code == 200
    assert_error(as_(None, addr="198.51.100.77").post(REPORTS, good()), 403)
    assert as_(None, addr="198.51.100.78").post(REPORTS, good()).status_code == 201


def test_blocking_what_the_report_lacks_answers_400(as_, file_report):
    report = file_report()
    assert_error(block(as_("bhabin"), report, what="phone", reason="x"), 400, "what")
    assert_error(block(as_("bhabin"), report, what="email", reason="x"), 400, "what")
    assert_error(block(as_("bhabin"), report, what="pigeon", reason="x"), 422, "what")
    assert_error(block(as_("bhabin"), report, what="phone", reason="x\x00"), 422, "reason")
    assert not Block.objects.exists()


HELD = "Dua pemuda berkelahi; katanya soal KDRT kakaknya."


def test_a_held_report_is_listed_for_police_and_released_only_by_police_in_scope(as_, file_report, client):
    report = file_report(category="fight", description=HELD)
    assert Report.objects.get(pk=report.pk).held
    held_ids = [r["id"] for r in all_items(as_("bhabin"), REPORTS, held="true")]
    assert report.pk in held_ids
    assert report.pk not in [r["id"] for r in all_items(as_("bhabin"), REPORTS, held="false")]
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 404

    for outsider in ("fkpm", "warga", OUTSIDER):  # a forum member, a resident, another district
        assert_error(moderate(as_(outsider), report, held=False, reason="Bukan KDRT"), 404)
    assert Report.objects.get(pk=report.pk).held

    released = moderate(as_("bhabin"), report, held=False, reason="Perkelahian pemuda, bukan KDRT")
    assert released.status_code == 200 and released.json()["held"] is False
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 200
    entry = AuditEntry.objects.get(action="report.moderate", object_id=str(report.pk))
    assert entry.reason == "Perkelahian pemuda, bukan KDRT"
