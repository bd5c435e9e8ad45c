"""An officer's answers to a report from the queue: dismiss it, mark it as a duplicate (each
with a reason the resident reads on the tracking page), and reply to the resident through the
channel they chose. Scoped, audited, written into the report's history."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import override

from polmas.access.audit import audit_record
from polmas.core.validators import text_problem, to_e164
from polmas.reports import services
from polmas.reports.models import Event, Report
from polmas.reports.selectors import ReasonRequired, can_see_reporter, report_get
from polmas.reports.tasks import message_queue

REASON_MAX = 300
REPLY_MAX = 1000
# Event kinds whose note is written for the resident and shown on the tracking page.
PUBLIC_NOTE_KINDS = ("dismissed", "duplicate")


def _reason(value: str, field: str = "reason", limit: int = REASON_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    problem = text_problem(value)
    if problem:
        raise ValidationError({field: problem})
    return value


def _police_report(actor: User, report_id: int, reason: str = "") -> Report:
    try:
        report = report_get(user=actor, report_id=report_id, reason=reason, for_update=True)
    except ReasonRequired:
        raise PermissionDenied(_("This report is sealed: give the reason you need to open it.")) from None
    if report is None:
        raise Http404
    if not can_see_reporter(actor):
        raise PermissionDenied(_("Only police officers may merge, moderate or block."))
    return report


@transaction.atomic
def report_dismiss(*, actor: User, report_id: int, reason: str) -> Report:
    """Close a report without action, telling the resident why (on the tracking page and on
    their reply channel). Requires: a police role, the report in scope and not closed."""
    reason = _reason(reason)
    report = _police_report(actor, report_id)
    if report.status in (Report.Status.RESOLVED, Report.Status.CLOSED):
        raise ValidationError({"reason": _("This report is already closed.")})
    services.report_set_status(actor=actor, report_id=report.pk, status=Report.Status.CLOSED)
    Event.objects.create(report=report, kind="dismissed", status=Report.Status.CLOSED, public=True,
                         note="" if report.sensitive else reason, actor=actor)
    audit_record(actor=actor, action="report.dismiss", obj=report, region_code=report.village_id,
                 reason=reason)
    if not report.sensitive:
        with override("id"):
            services.notify_reporters(report, _("Report #%(id)s: %(reason)s") % {
                "id": report.pk, "reason": reason})
    report.refresh_from_db()
    return report


@transaction.atomic
def report_mark_duplicate(*, actor: User, report_id: int, into_id: int, reason: str) -> Report:
    """Merge a report into an earlier one of the same matter, with a reason the resident
    reads. Requires: a police role, both reports in scope."""
    reason = _reason(reason)
    report = services.report_merge(actor=actor, report_id=report_id, into_id=into_id)
    Event.objects.create(report=report, kind="duplicate", status=report.status, public=True,
                         note="" if report.sensitive else reason, actor=actor)
    audit_record(actor=actor, action="report.duplicate", obj=report, region_code=report.village_id,
                 reason=reason, detail={"into": report.duplicate_of_id})
    return report


def reply_target(report: Report) -> tuple[str, str] | None:
    """(channel, address) the resident asked to be answered on, or None."""
    if report.reply_channel in ("sms", "whatsapp") and report.reporter_phone:
        return report.reply_channel, to_e164(report.reporter_phone)
    if report.reply_channel == "email" and report.reporter_email:
        return "email", report.reporter_email
    return None


@transaction.atomic
def report_reply(*, actor: User, report_id: int, text: str, reason: str = "") -> Event:
    """Send `text` to the resident on the channel they chose; kept in the report's history
    (not public) and audited. Requires: a police role, the report in scope (a sealed one read
    as report_get allows), a reply channel with an address."""
    text = _reason(text, field="text", limit=REPLY_MAX)
    report = _police_report(actor, report_id, reason)
    target = reply_target(report)
    if target is None:
        raise ValidationError({"text": _("The resident asked for no answer, or left no address.")})
    channel, to = target
    message_queue(channel=channel, to=to, body=text, report_id=report.pk)
    event = Event.objects.create(report=report, kind="reply", status=report.status, public=False,
                                 note=text, actor=actor)
    if report.first_response_at is None:
        Report.objects.filter(pk=report.pk).update(first_response_at=event.at)
    audit_record(actor=actor, action="report.reply", obj=report, region_code=report.village_id,
                 detail={"channel": channel})
    services.seen_by(actor, report.pk)
    return event
