"""The reporter closes the loop: once a report is resolved or closed they say whether it is
fixed, rate the response (1–5), and may reopen it within REOPEN_DAYS days. Others affected by
a published open report say "me too" (counted once a person, never a new report).

The reporter proves who they are with the tracking code, or by being the logged-in account
that sent the report. Nothing else opens these writes."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.reports.models import REOPEN_DAYS, Event, Feedback, MeToo, Recipient, Report
from polmas.reports.published import reports_published
from polmas.reports.signals import report_reopened
from polmas.reports.tracking import tracking_hash, value_hash

ANSWERABLE = (Report.Status.RESOLVED, Report.Status.CLOSED)
OPEN = (Report.Status.RECEIVED, Report.Status.IN_PROGRESS)


def _own(*, code: str, user: User | AnonymousUser | None, report_id: int | None) -> Report:
    """The caller's own report, locked: by tracking code, else as the account that sent it."""
    qs = Report.objects.select_for_update()
    report = None
    if code:
        digest = tracking_hash(code)
        report = qs.filter(tracking_hash=digest).first() if digest else None
    elif user is not None and user.is_authenticated and report_id is not None:
        report = qs.filter(pk=report_id, submitted_by=user).first()
    if report is None or report.spam:
        raise Http404
    return report


def reopen_until(report: Report) -> dt.datetime | None:
    """Until when the reporter may reopen `report` (None: it is not resolved or closed)."""
    if report.status not in ANSWERABLE or report.resolved_at is None:
        return None
    return report.resolved_at + dt.timedelta(days=REOPEN_DAYS)


def feedback_open(report: Report) -> bool:
    """Whether the reporter of `report` may answer now: its report (or the one it was merged
    into) is resolved or closed, and this resolution is not answered yet."""
    followed = report.duplicate_of or report
    if followed.status not in ANSWERABLE or followed.resolved_at is None or report.spam:
        return False
    return not Feedback.objects.filter(report=report, resolved_at=followed.resolved_at).exists()


def _check(fixed: object, rating: object, reopen: bool) -> None:
    errors = {}
    if not isinstance(fixed, bool):
        errors["fixed"] = _("Say whether the problem is fixed.")
    if rating is not None and (not isinstance(rating, int) or isinstance(rating, bool)
                               or not 1 <= rating <= 5):
        errors["rating"] = _("A rating is a whole number from 1 to 5.")
    if reopen and fixed is True:
        errors["reopen"] = _("A fixed problem is not reopened.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_feedback_give(*, fixed: bool, rating: int | None = None, reopen: bool = False,
                         code: str = "", user: User | AnonymousUser | None = None,
                         report_id: int | None = None) -> Feedback:
    """Record the reporter's answer to a resolved or closed report, and reopen it (back to
    "being handled", into its officer's inbox again) if they ask within REOPEN_DAYS days.
    Requires: the report's tracking code, or being the account that sent it (else 404)."""
    _check(fixed, rating, reopen)
    report = _own(code=code, user=user, report_id=report_id)
    followed = report if report.duplicate_of_id is None else (
        Report.objects.select_for_update().get(pk=report.duplicate_of_id))
    if followed.status not in ANSWERABLE or followed.resolved_at is None:
        raise ValidationError({"fixed": _("You can answer once the report is resolved or closed.")})
    until = reopen_until(followed)
    if reopen and until is not None and timezone.now() > until:
        raise ValidationError({"reopen": _("More than %(days)s days have passed since it was closed: "
                                           "send a new report instead.") % {"days": REOPEN_DAYS}})
    actor = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(report=report, resolved_at=followed.resolved_at,
                                               fixed=fixed, rating=rating, reopened=reopen, by=actor)
    except IntegrityError:
        raise ValidationError({"fixed": _("You have already answered for this report.")}) from None
    audit_record(actor=actor, action="report.feedback", obj=report, region_code=report.village_id,
                 detail={"fixed": fixed, "rating": rating, "reopened": reopen})
    if reopen:
        _reopen(followed, actor)
    return feedback


def _reopen(report: Report, actor: User | None) -> None:
    now = timezone.now()
    previous = report.status
    report.status, report.resolved_at, report.version = Report.Status.IN_PROGRESS, None, report.version + 1
    # "How it was resolved" no longer holds; its event keeps the words.
    report.public_summary = ""
    report.save(update_fields=["status", "resolved_at", "version", "public_summary", "updated_at"])
    report.duplicates.update(status=report.status, updated_at=now)
    Event.objects.create(report=report, kind="reopened", status=report.status, public=True, actor=actor)
    # Back in its recipients' inboxes as unseen.
    Recipient.objects.filter(report=report).update(seen_at=None)
    audit_record(actor=actor, action="report.reopen", obj=report, region_code=report.village_id,
                 detail={"from": previous, "to": report.status, "by": "reporter"})
    transaction.on_commit(lambda: report_reopened.send(sender=Report, report_id=report.pk))


def me_too_key(*, user: User | AnonymousUser | None, client_address: str) -> str:
    """Who says "me too", as a keyed hash: their account, else their address."""
    if user is not None and user.is_authenticated:
        return value_hash("metoo-user", str(user.pk))
    return value_hash("metoo-client", client_address)


def report_me_too(*, report_id: int, who: str) -> tuple[int, bool]:
    """Count one more person affected by a published open report, once per `who`
    (me_too_key). Returns the count and whether this one was new. Requires: nothing; the
    report must be published (else 404) and open."""
    report = reports_published().filter(pk=report_id).first()
    if report is None:
        raise Http404
    if report.status not in OPEN:
        raise ValidationError({"report": _("This report is already resolved or closed.")})
    try:
        with transaction.atomic():
            MeToo.objects.create(report=report, who_hash=who)
        added = True
    except IntegrityError:
        added = False
    return MeToo.objects.filter(report=report).count(), added


def me_too_given(*, who: str, report_ids: list[int]) -> set[int]:
    """Which of `report_ids` this person (me_too_key) already said "me too" on. Requires: nothing."""
    given = MeToo.objects.filter(who_hash=who, report_id__in=report_ids)
    return set(given.values_list("report_id", flat=True))
