"""Scoped reads of reports. Outside scope a report does not exist (None / 404). Sensitive
reports are sealed: only their assigned officer and the PPA officer in scope read them; a
supervisor in scope must give a reason, which is audited with the read."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from polmas.access.audit import audit_record
from polmas.access.models import Role
from polmas.access.scope import Scope, scope_for
from polmas.core.db.expressions import HoursBetween, MonthKey
from polmas.core.scope import prefix_q
from polmas.core.scrub import scrub
from polmas.reports.models import Category, Event, Feedback, Recipient, Report
from polmas.reports.routing import unrouted
from polmas.reports.tracking import tracking_hash

Caller = User | AnonymousUser
READER_ROLES = (Role.BHABINKAMTIBMAS, Role.FKPM_MEMBER, Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)
IDENTITY_ROLES = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)
_NO_HASH = "-" * 64  # never a SHA-256 hex digest


class ReasonRequired(Exception):
    """A supervisor opened a sealed report without stating why."""


def _sealed_readable(user: Caller, scope: Scope) -> Q:
    """Sensitive reports this caller reads without giving a reason."""
    mine = Recipient.objects.filter(report=OuterRef("pk"), officer__user=user)
    q = Exists(mine)
    if scope.has(Role.PPA_OFFICER):
        q |= Exists(Recipient.objects.filter(report=OuterRef("pk"), unit_id__in=scope.unit_ids,
                                             why=Recipient.Why.PPA))
    return q


def report_list(*, user: Caller) -> QuerySet[Report]:
    """Reports in scope; sealed ones only for their officer and PPA. Requires: a reader role."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return Report.objects.none()
    qs = Report.objects.filter(scope.q("village_id")).select_related("category", "village")
    if scope.has(Role.ADMIN):
        return qs
    if not scope.has(*IDENTITY_ROLES):
        # Forum members are residents: a report held for its sensitive text is not for them.
        qs = qs.filter(held=False)
    return qs.filter(Q(sensitive=False) | _sealed_readable(user, scope))


def report_get(*, user: Caller, report_id: int, reason: str = "",
               for_update: bool = False) -> Report | None:
    """One report, or None outside scope. Raises ReasonRequired for a sealed report opened by
    a supervisor in scope without a reason; with a reason, the read is audited."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return None
    qs = Report.objects.filter(scope.q("village_id"), pk=report_id).select_related("category")
    if for_update:
        qs = qs.select_for_update()
    report = qs.first()
    if report is not None and report.held and not scope.has(*IDENTITY_ROLES):
        return None  # held for its sensitive text: not for forum members
    if report is None or not report.sensitive:
        return report
    if scope.has(Role.ADMIN) or Report.objects.filter(_sealed_readable(user, scope), pk=report.pk).exists():
        audit_record(actor=user, action="report.read_sealed", obj=report, region_code=report.village_id)
        return report
    if not scope.has(Role.SUPERVISOR):
        return None
    if not reason.strip():
        raise ReasonRequired
    audit_record(actor=user, action="report.read_sealed", obj=report, region_code=report.village_id,
                 reason=reason.strip()[:1000])
    return report


def waiting_to_be_routed(*, user: Caller, older_than: dt.timedelta) -> tuple[int, dt.datetime | None]:
    """Reports in scope (sealed ones included: only a count and a time are told) that arrived
    more than `older_than` ago and are still not routed (ADR 11): how many, and when the
    oldest arrived. Routing takes a second or two while the task worker runs, so any answer
    but (0, None) means it does not. Requires: a reader role (else (0, None))."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return 0, None
    return unrouted(scope.q("village_id") & Q(created_at__lt=timezone.now() - older_than))


def can_see_reporter(user: Caller) -> bool:
    return scope_for(user).has(*IDENTITY_ROLES)


def _recipient_mine(user: Caller, scope: Scope) -> Q:
    """The caller's own inbox entries (Recipient rows): as the village's officer, as an active
    member of its forum, or as a unit in scope (a gap's Polsek, PPA)."""
    mine = Q(officer__user=user) | Q(forum__members__user=user, forum__members__active=True)
    if scope.unit_ids:
        mine |= Q(unit_id__in=scope.unit_ids)
    return mine


def inbox(*, user: Caller) -> QuerySet[Report]:
    """Reports routed to the caller: as officer, forum member, or supervisor of a gap."""
    if not user.is_authenticated:
        return Report.objects.none()
    scope = scope_for(user)
    mine = Recipient.objects.filter(_recipient_mine(user, scope), report=OuterRef("pk"))
    return report_list(user=user).filter(Exists(mine))


def recipients_mine(*, user: Caller) -> QuerySet[Recipient]:
    """The caller's own inbox entries, of the reports in their inbox (exactly inbox()'s
    conditions). Requires: nothing (an anonymous caller has none)."""
    if not user.is_authenticated:
        return Recipient.objects.none()
    scope = scope_for(user)
    return Recipient.objects.filter(_recipient_mine(user, scope),
                                    report__in=report_list(user=user).values("pk"))


def with_seen(qs: QuerySet[Report], *, user: Caller) -> QuerySet[Report]:
    """`qs` with `seen` on each report: False while any of the caller's own inbox entries for
    it is unseen (new, or reopened by its reporter since). One subquery, no per-row query."""
    if not user.is_authenticated:
        return qs.annotate(seen=Value(True))
    unseen = Recipient.objects.filter(_recipient_mine(user, scope_for(user)), report=OuterRef("pk"),
                                      seen_at__isnull=True)
    return qs.annotate(seen=~Exists(unseen))


def public_status(*, code: str) -> dict | None:
    """What the tracking page shows: nothing private, sensitive matters only as such."""
    digest = tracking_hash(code)
    # A malformed code still costs one lookup, so its answer takes as long as a wrong one's.
    report = Report.objects.filter(tracking_hash=digest or _NO_HASH).select_related(
        "category", "village").first()
    if report is None or digest is None:
        return None
    return _status_of(report)


def status_mine(*, user: Caller, report_id: int) -> dict | None:
    """What the tracking page shows, for a report the caller sent while logged in (None for
    any other). Requires: being the account that sent it."""
    report = reports_mine(user=user).filter(pk=report_id).first()
    return None if report is None else _status_of(report)


def _status_of(report: Report) -> dict:
    followed = report.duplicate_of or report
    # An officer's reason for dismissing or merging a report is written for its reporter.
    told = ("dismissed", "duplicate")
    events = [{"at": e.at, "status": e.status, "kind": e.kind,
               "note": scrub(e.note) if e.kind in told and not report.sensitive else ""}
              for e in Event.objects.filter(report__in={report.pk, followed.pk}, public=True)
              .order_by("at", "pk") if e.report_id == followed.pk or e.kind == "duplicate"]
    if followed.routed_at is None:
        # Routing writes the "received" event within seconds (ADR 11); until then, say so.
        events.insert(0, {"at": followed.created_at, "status": Report.Status.RECEIVED, "kind": "received"})
    return {
        "report": report,
        "number": report.pk,
        "category": None if report.sensitive else report.category,
        "sensitive": report.sensitive,
        "village": report.village,
        "status": followed.status,
        "status_label": followed.get_status_display(),
        "summary": "" if report.sensitive else scrub(followed.public_summary),
        "merged": report.duplicate_of_id is not None,
        "events": events,
        "received_at": report.created_at,
    }


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def reports_counted(year: int | None = None) -> QuerySet[Report]:
    """The reports statistics count: not spam, not merged duplicates; received in `year`."""
    qs = Report.objects.filter(spam=False, duplicate_of__isnull=True)
    if year:
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        qs = qs.filter(created_at__gte=start, created_at__lt=start.replace(year=year + 1))
    return qs


def reports_mine(*, user: Caller) -> QuerySet[Report]:
    """The reports the caller sent while logged in (with their contact), newest first; only
    what their owner may read. Requires: a logged-in account (else none)."""
    if not user.is_authenticated:
        return Report.objects.none()
    return (Report.objects.filter(submitted_by=user, spam=False).select_related("category", "village__parent")
            .order_by("-created_at", "-pk"))


def satisfaction(*, prefixes: Iterable[str] | None = None, since: dt.datetime | None = None,
                 until: dt.datetime | None = None) -> dict:
    """What reporters said of resolved and closed reports (feedback.py), under `prefixes`
    (village code prefixes; None for the whole country), answered in [since, until):
    answers, fixed, not fixed, reopened, ratings, mean rating and the share fixed (None
    without answers). Counts only: no report is named. Requires: nothing (aggregate)."""
    qs = Feedback.objects.all()
    if prefixes is not None:
        qs = qs.filter(prefix_q("report__village_id", prefixes))
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    row = qs.aggregate(answers=Count("pk"), fixed=Count("pk", filter=Q(fixed=True)),
                       reopened=Count("pk", filter=Q(reopened=True)),
                       ratings=Count("rating"), mean_rating=Avg("rating"))
    row["not_fixed"] = row["answers"] - row["fixed"]
    row["share_fixed"] = row["fixed"] / row["answers"] if row["answers"] else None
    return row


def reports_reopened(*, user: Caller) -> QuerySet[Report]:
    """Reports routed to the caller that their reporter reopened (feedback.py) and that are
    still being handled, most recently reopened first. Requires: a reader role (else none)."""
    reopened = Event.objects.filter(report=OuterRef("pk"), kind="reopened")
    return (inbox(user=user).filter(Exists(reopened), status=Report.Status.IN_PROGRESS)
            .select_related("category", "village").order_by("-updated_at", "-pk"))


def monthly_counts_by_village(*, villages: list[str] | None = None) -> QuerySet[Report]:
    """The reports statistics count (reports_counted), grouped by village, calendar month
    received (UTC, YYYYMM) and category: rows of village_code, month, category_pk, received,
    responded (a first response given) and response_hours (hours to it, summed). A system read
    for the rollups (no caller); `villages` restricts it to those village codes."""
    rows = reports_counted()
    if villages is not None:
        rows = rows.filter(village__in=villages)
    return (rows.values(village_code=F("village"), month=MonthKey("created_at"), category_pk=F("category"))
            .annotate(received=Count("pk"),
                      responded=Count("pk", filter=Q(first_response_at__isnull=False)),
                      response_hours=Sum(Coalesce(HoursBetween("created_at", "first_response_at"), 0,
                                                  output_field=FloatField())))
            .order_by())
