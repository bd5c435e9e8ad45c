"""Officers' writes: status with versions, merge keeping reporters informed, moderation, blocks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.reports.intake import IntakeError
from polmas.reports.models import Block, Event, OutboundMessage, Report
from polmas.reports.selectors import ReasonRequired
from polmas.reports.services import (
    Conflict,
    report_merge,
    report_moderate,
    report_set_status,
    sender_block,
)
from reports.helpers import OTHER_PHONE, PHONE, submit

pytestmark = pytest.mark.django_db


def with_phone(phone: str = PHONE, **fields: object) -> Report:
    return submit(anonymous=False, phone=phone, reply_channel="sms", **fields).report


def messages_to(phone: str) -> list[str]:
    e164 = "+62" + phone[1:]
    return [m.body for m in OutboundMessage.objects.all() if m.to == e164]


def test_a_status_change_is_stored_public_audited_and_sent_to_the_reporter():
    report = with_phone()
    changed = report_set_status(actor=person("bhabin"), report_id=report.pk, status="in_progress",
                                version=1)
    assert (changed.status, changed.version) == ("in_progress", 2) and changed.first_response_at
    assert Event.objects.filter(report=report, kind="status", status="in_progress", public=True).exists()
    assert AuditEntry.objects.get(action="report.status", object_id=str(report.pk)).detail == {
        "from": "received", "to": "in_progress"}
    assert messages_to(PHONE) == [f"Laporan Anda #{report.pk} sedang ditangani."]


def test_resolving_needs_a_summary_which_the_reporter_receives():
    report = with_phone()
    with pytest.raises(ValidationError) as caught:
        report_set_status(actor=person("bhabin"), report_id=report.pk, status="resolved")
    assert "summary" in caught.value.message_dict
    report_set_status(actor=person("bhabin"), report_id=report.pk, status="resolved",
                      summary="Motor ditemukan dan dikembalikan.")
    assert messages_to(PHONE) == [
        f"Laporan Anda #{report.pk} selesai ditangani. Motor ditemukan dan dikembalikan."]
    assert Report.objects.get(pk=report.pk).public_summary == "Motor ditemukan dan dikembalikan."


def test_a_stale_version_is_refused_and_changes_nothing():
    report = submit().report
    report_set_status(actor=person("bhabin"), report_id=report.pk, status="in_progress", version=1)
    with pytest.raises(Conflict):
        report_set_status(actor=person("kapolsek"), report_id=report.pk, status="closed", version=1)
    assert Report.objects.get(pk=report.pk).status == "in_progress"


@pytest.mark.parametrize("status", ["done", ""])
def test_an_unknown_status_is_refused(status):
    report = submit().report
    with pytest.raises(ValidationError) as caught:
        report_set_status(actor=person("bhabin"), report_id=report.pk, status=status)
    assert "status" in caught.value.message_dict


def test_nobody_out_of_scope_changes_a_report():
    report = submit().report
    for username in (OUTSIDER, "warga", "mitra", "bappenas"):
        with pytest.raises(Http404):
            report_set_status(actor=person(username), report_id=report.pk, status="closed")
    assert Report.objects.get(pk=report.pk).status == "received"


def test_a_supervisor_cannot_change_a_sealed_report_without_reading_it_first():
    report = submit(category="child_abuse", description="Anak dipukul walinya.").report
    with pytest.raises(ReasonRequired):
        report_set_status(actor=person("kapolsek"), report_id=report.pk, status="in_progress")
    report_set_status(actor=person("ppa"), report_id=report.pk, status="in_progress",
                      summary="rahasia")
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == "in_progress" and stored.public_summary == ""


def test_merging_keeps_both_reporters_informed():
    original = with_phone(PHONE)
    duplicate = with_phone(OTHER_PHONE, description="Motor tetangga juga hilang.")
    assert duplicate.likely_duplicate_of_id == original.pk
    merged = report_merge(actor=person("bhabin"), report_id=duplicate.pk, into_id=original.pk)
    assert merged.duplicate_of_id == original.pk and merged.likely_duplicate_of_id is None
    assert AuditEntry.objects.get(action="report.merge").detail == {"into": original.pk}
    report_set_status(actor=person("bhabin"), report_id=original.pk, status="in_progress")
    text = f"Laporan Anda #{original.pk} sedang ditangani."
    assert messages_to(PHONE) == [text] and messages_to(OTHER_PHONE) == [text]
    assert {m.report_id for m in OutboundMessage.objects.all()} == {original.pk, duplicate.pk}
    assert Report.objects.get(pk=duplicate.pk).status == "in_progress"


def test_merging_into_a_merged_report_follows_it_to_its_original():
    a, b, c = submit().report, submit().report, submit().report
    report_merge(actor=person("bhabin"), report_id=b.pk, into_id=a.pk)
    assert report_merge(actor=person("bhabin"), report_id=c.pk, into_id=b.pk).duplicate_of_id == a.pk


def test_merging_back_into_a_report_merged_into_this_one_is_refused():
    a, b = submit().report, submit().report
    report_merge(actor=person("bhabin"), report_id=b.pk, into_id=a.pk)
    with pytest.raises(ValidationError) as caught:
        report_merge(actor=person("bhabin"), report_id=a.pk, into_id=b.pk)
    assert "into" in caught.value.message_dict
    assert Report.objects.get(pk=a.pk).duplicate_of_id is None


@pytest.mark.parametrize("into", ["self", "other_category", "out_of_scope", "missing"])
def test_merging_into_a_wrong_report_is_refused(into):
    report = submit().report
    target = {
        "self": lambda: report.pk,
        "other_category": lambda: submit(category="noise", description="Bising.").report.pk,
        "out_of_scope": lambda: submit(village="34.04.07.2001").report.pk,
        "missing": lambda: Report.objects.order_by("-pk").first().pk + 100,
    }[into]()
    with pytest.raises(ValidationError) as caught:
        report_merge(actor=person("bhabin"), report_id=report.pk, into_id=target)
    assert "into" in caught.value.message_dict
    assert Report.objects.get(pk=report.pk).duplicate_of_id is None


def test_hiding_abusive_text_keeps_the_original_and_audits_the_reason():
    report = submit(description="Kata-kata kasar tentang tetangga.").report
    report_moderate(actor=person("bhabin"), report_id=report.pk, hide=True, reason="Kata kasar")
    stored = Report.objects.get(pk=report.pk)
    assert stored.hidden and stored.shown_description == ""
    assert stored.description == "Kata-kata kasar tentang tetangga."
    entry = AuditEntry.objects.get(action="report.moderate", object_id=str(report.pk))
    assert entry.reason == "Kata kasar" and entry.detail == {"hidden": True}
    assert Event.objects.get(report=report, kind="moderation").public is False


def test_marking_spam_closes_the_report():
    report = submit().report
    report_moderate(actor=person("kapolsek"), report_id=report.pk, spam=True, reason="Iklan")
    stored = Report.objects.get(pk=report.pk)
    assert stored.spam and stored.status == "closed"


def test_moderation_needs_a_reason_and_something_to_do():
    report = submit().report
    for kwargs, field in (({"hide": True, "reason": " "}, "reason"), ({"reason": "x"}, "hide")):
        with pytest.raises(ValidationError) as caught:
            report_moderate(actor=person("bhabin"), report_id=report.pk, **kwargs)
        assert field in caught.value.message_dict
    assert not Report.objects.get(pk=report.pk).hidden


def test_a_forum_member_may_not_merge_moderate_or_block():
    report, other = with_phone(), submit().report
    fkpm = person("fkpm")
    with pytest.raises(PermissionDenied):
        report_moderate(actor=fkpm, report_id=report.pk, hide=True, reason="x")
    with pytest.raises(PermissionDenied):
        sender_block(actor=fkpm, report_id=report.pk, what="phone", reason="x")
    with pytest.raises(PermissionDenied):
        report_merge(actor=fkpm, report_id=other.pk, into_id=report.pk)
    assert not Block.objects.exists() and not Report.objects.get(pk=report.pk).hidden


def test_a_blocked_phone_cannot_report_again():
    report = with_phone()
    block = sender_block(actor=person("bhabin"), report_id=report.pk, what="phone", reason="Ancaman")
    assert block.kind == "phone" and PHONE not in block.value_hash
    assert AuditEntry.objects.get(action="sender.block").reason == "Ancaman"
    count = Report.objects.count()
    with pytest.raises(IntakeError) as caught:
        with_phone(description="Lagi.")
    assert caught.value.status == 403 and Report.objects.count() == count
    assert with_phone(OTHER_PHONE).pk


def test_blocking_what_a_report_lacks_is_refused():
    report = submit().report
    for what in ("phone", "email", "client"):
        with pytest.raises(ValidationError) as caught:
            sender_block(actor=person("bhabin"), report_id=report.pk, what=what, reason="x")
        assert "what" in caught.value.message_dict
    assert not Block.objects.exists()
