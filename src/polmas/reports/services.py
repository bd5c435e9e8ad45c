"""Officers' writes on reports: status, merge, moderation, blocks, and marking reports in
one's inbox as seen. Scoped, audited, and every change the reporter should know about is sent
on their channel after commit."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from polmas.access.audit import audit_record
from polmas.core.errors import Conflict as BaseConflict
from polmas.core.validators import to_e164
from polmas.reports.models import Block, Event, Report
from polmas.reports.selectors import can_see_reporter, recipients_mine, report_get
from polmas.reports.tasks import message_queue
from polmas.reports.tracking import value_hash

# What a reporter is told of a status change; a WhatsApp template gets the report number and
# the status (with the summary) as its two parameters: "Laporan Anda {{1}} {{2}}."
STATUS_WORDS = {
    Report.Status.RECEIVED: "sudah diterima",
    Report.Status.IN_PROGRESS: "sedang ditangani",
    Report.Status.RESOLVED: "selesai ditangani",
    Report.Status.CLOSED: "ditutup",
}
STATUS_TEXT = {status: f"Laporan Anda #%(id)s {words}." for status, words in STATUS_WORDS.items()}


class Conflict(BaseConflict):
    """The report changed since the caller read it (stale version)."""


def _editable(actor: User, report_id: int, version: int | None) -> Report:
    report = report_get(user=actor, report_id=report_id, for_update=True)
    if report is None:
        raise Http404
    if version is not None and report.version != version:
        raise Conflict(_("This report was changed by someone else; reload it and try again."))
    return report


def _officer_only(actor: User) -> None:
    # Forum members read and follow reports, but merging, moderating and blocking senders
    # are police decisions (and a forum member never sees the contact being blocked).
    if not can_see_reporter(actor):
        raise PermissionDenied(_("Only police officers may merge, moderate or block."))


def notify_reporters(report: Report, text: str, params: list[str] | None = None) -> int:
    """Queue `text` to the reporter of `report` and of every report merged into it; `params`
    are its facts for a WhatsApp template (see messaging.py)."""
    sent = 0
    for r in [report, *report.duplicates.all()]:
        if r.reply_channel in ("sms", "whatsapp") and r.reporter_phone:
            message_queue(channel=r.reply_channel, to=to_e164(r.reporter_phone), body=text,
                          report_id=r.pk, params=params if r.reply_channel == "whatsapp" else None)
            sent += 1
        elif r.reply_channel == "email" and r.reporter_email:
            message_queue(channel="email", to=r.reporter_email, body=text, report_id=r.pk)
            sent += 1
    return sent


@transaction.atomic
def report_set_status(*, actor: User, report_id: int, status: str, summary: str = "",
                      version: int | None = None) -> Report:
    """Move a report to `status` with an optional public summary. Requires: the report in
    the actor's scope (officer, forum member or supervisor who can read it)."""
    if status not in Report.Status.values:
        raise ValidationError({"status": _("Unknown status %(s)s.") % {"s": status[:20]}})
    summary = summary.strip()
    if len(summary) > 500:
        raise ValidationError({"summary": _("The summary is longer than 500 characters.")})
    if status == Report.Status.RESOLVED and not summary:
        raise ValidationError({"summary": _("Say in a sentence how it was resolved.")})
    report = _editable(actor, report_id, version)
    now = timezone.now()
    previous = report.status
    report.status, report.version = status, report.version + 1
    report.public_summary = "" if report.sensitive else (summary or report.public_summary)
    if report.first_response_at is None and status != Report.Status.RECEIVED:
        report.first_response_at = now
    report.resolved_at = now if status in (Report.Status.RESOLVED, Report.Status.CLOSED) else None
    report.save()
    Event.objects.create(report=report, kind="status", status=status, public=True,
                         note="" if report.sensitive else summary, actor=actor)
    # Merged reports follow their original.
    report.duplicates.update(status=status, updated_at=now)
    audit_record(actor=actor, action="report.status", obj=report, region_code=report.village_id,
                 detail={"from": previous, "to": status})
    seen_by(actor, report.pk)
    if previous != status:
        with override("id"):
            text = STATUS_TEXT[status] % {"id": report.pk}
            words = STATUS_WORDS[status]
            if report.public_summary and status == Report.Status.RESOLVED:
                text += " " + report.public_summary
                words += ". " + report.public_summary.rstrip(".")
        notify_reporters(report, text, params=[f"#{report.pk}", words])
    return report


@transaction.atomic
def report_merge(*, actor: User, report_id: int, into_id: int) -> Report:
    """Merge a duplicate into its original; its reporter follows the original from now on.
    Requires: a police role, both reports in the actor's scope."""
    if report_id == into_id:
        raise ValidationError({"into": _("A report cannot be merged into itself.")})
    report = _editable(actor, report_id, None)  # 404 first: outside scope it does not exist
    _officer_only(actor)
    original = report_get(user=actor, report_id=into_id, for_update=True)
    if original is None:
        raise ValidationError({"into": _("No report %(id)s in your area.") % {"id": into_id}})
    if original.duplicate_of_id:
        original = original.duplicate_of
    if original.pk == report.pk:
        # `into` was merged into this report earlier: merging back would make a loop.
        raise ValidationError({"into": _("Report %(id)s is already merged into this one.")
                               % {"id": into_id}})
    if original.category_id != report.category_id:
        raise ValidationError({"into": _("Only reports of the same category can be merged.")})
    report.duplicate_of, report.likely_duplicate_of = original, None
    report.status, report.version = original.status, report.version + 1
    report.save()
    Report.objects.filter(duplicate_of=report).update(duplicate_of=original)
    Event.objects.create(report=report, kind="merged", status=report.status, public=True,
                         note=f"#{original.pk}", actor=actor)
    audit_record(actor=actor, action="report.merge", obj=report, region_code=report.village_id,
                 detail={"into": original.pk})
    seen_by(actor, report.pk)
    return report


@transaction.atomic
def report_moderate(*, actor: User, report_id: int, hide: bool | None = None,
                    spam: bool | None = None, held: bool | None = None, reason: str) -> Report:
    """Hide abusive text (the original is kept for audit), mark spam, or hold a report out of
    public answers (held=False releases one that intake held for its sensitive text).
    Requires: a police role, the report in the actor's scope; a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for moderation.")})
    if hide is None and spam is None and held is None:
        raise ValidationError({"hide": _("Say whether to hide the text or mark it as spam.")})
    report = _editable(actor, report_id, None)  # 404 first: outside scope it does not exist
    _officer_only(actor)
    changes = {}
    if hide is not None:
        report.hidden, changes["hidden"] = hide, hide
    if spam is not None:
        report.spam, changes["spam"] = spam, spam
        if spam:
            report.status = Report.Status.CLOSED
    if held is not None:
        report.held, changes["held"] = held, held
    report.version += 1
    report.save()
    Event.objects.create(report=report, kind="moderation", note=reason.strip()[:500], actor=actor)
    audit_record(actor=actor, action="report.moderate", obj=report, region_code=report.village_id,
                 reason=reason.strip(), detail=changes)
    seen_by(actor, report.pk)
    return report


@transaction.atomic
def sender_block(*, actor: User, report_id: int, what: str, reason: str) -> Block:
    """Block the phone, e-mail or client behind a report. Requires: a police role, the
    report in scope; a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for blocking.")})
    report = _editable(actor, report_id, None)  # 404 first: outside scope it does not exist
    _officer_only(actor)
    value = {"phone": report.reporter_phone, "email": report.reporter_email}.get(what, "")
    if what == "client":
        if not report.client_key:
            raise ValidationError({"what": _("This report carries no client address.")})
        block, _created = Block.objects.get_or_create(
            kind="client", value_hash=report.client_key,
            defaults={"reason": reason.strip()[:300], "by": actor})
    elif value:
        block, _created = Block.objects.get_or_create(
            kind=what, value_hash=value_hash(what, value),
            defaults={"reason": reason.strip()[:300], "by": actor})
    else:
        raise ValidationError({"what": _("The report has no %(what)s to block.") % {"what": what}})
    audit_record(actor=actor, action="sender.block", obj=report, region_code=report.village_id,
                 reason=reason.strip(), detail={"kind": what})
    seen_by(actor, report.pk)
    return block


# --- seen in one's inbox ----------------------------------------------------------------------

MAX_SEEN_IDS = 200


def seen_by(user: User, *report_ids: int) -> int:
    """Mark the caller's own inbox entries of `report_ids` seen (now); entries seen before keep
    their first time, other people's entries are untouched. Returns how many of the reports
    are in the caller's inbox. Called after every action an officer takes on a report."""
    mine = recipients_mine(user=user).filter(report_id__in=set(report_ids))
    inboxed = set(mine.values_list("report_id", flat=True))
    if inboxed:
        mine.filter(seen_at__isnull=True).update(seen_at=timezone.now())
    return len(inboxed)


@transaction.atomic
def inbox_mark_seen(*, user: User, report_ids: Iterable[int]) -> int:
    """Mark reports in the caller's inbox as seen, for the caller only (their officer entry,
    their forums' entries, their units' entries: exactly what selectors.inbox counts).
    Reports not in their inbox are ignored. Idempotent. Returns how many of `report_ids` are
    in the caller's inbox (all of them now seen). Requires: nothing beyond an inbox; at most
    MAX_SEEN_IDS positive ids (else ValidationError on `ids`, nothing changed)."""
    ids = list(report_ids)
    if len(ids) > MAX_SEEN_IDS:
        raise ValidationError({"ids": _("At most %(n)s reports at once.") % {"n": MAX_SEEN_IDS}})
    if any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in ids):
        raise ValidationError({"ids": _("Report numbers are whole numbers from 1.")})
    if not ids or not user.is_authenticated:
        return 0
    return seen_by(user, *ids)
