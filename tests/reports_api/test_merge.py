"""POST /reports/{id}/merge: a duplicate joins its original, and both reporters stay informed."""

import pytest

from api.conftest import assert_error
from conftest import OUTSIDER
from polmas.access.models import AuditEntry
from polmas.reports.models import OutboundMessage, Report
from reports_api.conftest import REPORTS

pytestmark = pytest.mark.django_db


def merge(caller, report: Report, into: object):
    return caller.post(f"{REPORTS}/{report.pk}/merge", {"into": into})


def by_sms(phone: str) -> dict:
    return {"anonymous": False, "phone": phone, "reply_channel": "sms"}


def test_merging_keeps_both_reporters_informed(as_, file_report):
    original = file_report(**by_sms("081234567890"))
    duplicate = file_report(description="Motor tetangga juga hilang.", **by_sms("085711112222"))
    offered = as_("bhabin").get(f"{REPORTS}/{duplicate.pk}").json()["likely_duplicate_of"]
    assert offered == original.pk
    response = merge(as_("bhabin"), duplicate, offered)
    assert response.status_code == 200
    assert (response.json()["duplicate_of"], response.json()["likely_duplicate_of"]) == (original.pk, None)
    assert AuditEntry.objects.get(action="report.merge", object_id=str(duplicate.pk)).detail == {
        "into": original.pk}
    change = as_("bhabin").post(f"{REPORTS}/{original.pk}/status", {"status": "in_progress", "version": 1})
    assert change.status_code == 200
    sent = {(m.to, m.body) for m in OutboundMessage.objects.filter(report__in=[original, duplicate])}
    text = f"Laporan Anda #{original.pk} sedang ditangani."
    assert sent == {("+6281234567890", text), ("+6285711112222", text)}


def test_a_forum_member_may_not_merge(as_, file_report):
    original, duplicate = file_report(), file_report()
    body = assert_error(merge(as_("fkpm", lang="en"), duplicate, original.pk), 403)
    assert body["detail"] == "Only police officers may merge, moderate or block."
    assert Report.objects.get(pk=duplicate.pk).duplicate_of_id is None


@pytest.mark.parametrize("target", ["itself", "other_category", "depok", "missing", "back"])
def test_a_wrong_original_answers_400_naming_into(as_, file_report, target):
    report = file_report()
    if target == "back":
        other = file_report()
        assert merge(as_("bhabin"), other, report.pk).status_code == 200
    into = {
        "itself": lambda: report.pk,
        "other_category": lambda: file_report(category="noise", description="Bising.").pk,
        "depok": lambda: file_report(village="34.04.07.2001").pk,
        "missing": lambda: Report.objects.order_by("-pk").first().pk + 1000,
        "back": lambda: other.pk,
    }[target]()
    assert_error(merge(as_("bhabin"), report, into), 400, "into")
    assert Report.objects.get(pk=report.pk).duplicate_of_id is None


@pytest.mark.parametrize("username", [OUTSIDER, "warga", "mitra", "bappenas"])
def test_out_of_scope_it_is_404(as_, file_report, username):
    original, duplicate = file_report(), file_report()
    assert_error(merge(as_(username), duplicate, original.pk), 404)
    assert Report.objects.get(pk=duplicate.pk).duplicate_of_id is None


def test_it_refuses_anonymous_callers_and_malformed_ids(as_, file_report):
    original, duplicate = file_report(), file_report()
    assert_error(merge(as_(None), duplicate, original.pk), 401)
    for bad in ("eins", 0, -1, 2**64, None):
        assert_error(merge(as_("bhabin"), duplicate, bad), 422, "into")
