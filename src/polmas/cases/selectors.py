"""Scoped reads of cases. Outside scope a case does not exist (None / 404). Sensitive cases
are sealed: only their assigned officer and the PPA officer in scope read them; a supervisor
in scope must give a reason, which is audited with the read; forum members and the public
learn only that a sensitive matter is being handled."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from polmas.access.audit import audit_record
from polmas.access.models import Role
from polmas.access.scope import Scope, scope_for
from polmas.cases.models import Action, Case, CaseReport
from polmas.core.db.expressions import HoursBetween, MonthKey
from polmas.core.scope import prefix_q
from polmas.reports.selectors import ReasonRequired

__all__ = ["ReasonRequired", "case_list", "case_get", "can_read_sealed", "problems_resolved"]

Caller = User | AnonymousUser
READER_ROLES = (Role.BHABINKAMTIBMAS, Role.FKPM_MEMBER, Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)
POLICE_ROLES = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)
ESCALATE_AFTER = dt.timedelta(days=7)
# Encrypted texts a list never shows (it shows the title): not read, so not decrypted.
NARRATIVE = ("statement", "incidents_note", "triangle", "causes", "community_input", "plan", "evidence")


def _sealed_readable(user: Caller, scope: Scope) -> Q:
    """Sensitive cases this caller reads without giving a reason (scope applied apart)."""
    if scope.has(Role.ADMIN, Role.PPA_OFFICER):
        return Q(pk__isnull=False)  # not Q(): an empty Q vanishes from an OR
    return Q(assigned_officer__user_id=user.pk) if user.pk else Q(pk__in=[])


def case_list(*, user: Caller, sealed_listed: bool = False) -> QuerySet[Case]:
    """Cases in scope; sealed ones only for their officer and PPA. With `sealed_listed`,
    a supervisor also gets the sealed cases in scope (to ask for them with a reason); the
    caller must then show no details of those. The encrypted narrative is deferred (a list
    shows the title): read it through case_get. Requires: a reader role."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return Case.objects.none()
    qs = Case.objects.filter(scope.q("village_id")).select_related("category", "village").defer(*NARRATIVE)
    if sealed_listed and scope.has(Role.SUPERVISOR):
        return qs
    return qs.filter(Q(sensitive=False) | _sealed_readable(user, scope))


def can_read_sealed(user: Caller, case: Case) -> bool:
    """True if `user` reads this (in-scope) case without giving a reason."""
    if not case.sensitive:
        return True
    scope = scope_for(user)
    if scope.has(Role.ADMIN, Role.PPA_OFFICER):
        return True
    return case.assigned_officer_id is not None and case.assigned_officer.user_id == user.pk


def case_get(*, user: Caller, case_id: int, reason: str = "", for_update: bool = False,
             audit: bool = True) -> Case | None:
    """One case, or None outside scope (or sealed from this caller). Raises ReasonRequired
    for a sealed case opened by a supervisor in scope without a reason; reads of sealed
    cases are audited, with the reason."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return None
    qs = Case.objects.filter(scope.q("village_id"), pk=case_id).select_related(
        "category", "village", "assigned_officer")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    case = qs.first()
    if case is None or not case.sensitive:
        return case
    if can_read_sealed(user, case):
        if audit:
            audit_record(actor=user, action="case.read_sealed", obj=case, region_code=case.village_id,
                         reason=reason.strip()[:1000])
        return case
    if not scope.has(Role.SUPERVISOR):
        return None
    if not reason.strip():
        raise ReasonRequired
    if audit:
        audit_record(actor=user, action="case.read_sealed", obj=case, region_code=case.village_id,
                     reason=reason.strip()[:1000])
    return case


def is_police(user: Caller) -> bool:
    return scope_for(user).has(*POLICE_ROLES)


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Open cases with no activity for 7 days, or with an action past its due date."""
    now = now or timezone.now()
    late_action = Q(actions__status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS],
                    actions__due__lt=now.date())
    return Q(stage__in=Case.OPEN_STAGES) & (Q(last_activity_at__lt=now - ESCALATE_AFTER) | late_action)


def stage_counts(*, user: Caller) -> dict[str, int]:
    """Cases in scope by stage, sealed ones included as numbers only."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return {}
    rows = Case.objects.filter(scope.q("village_id")).values("stage").annotate(n=Count("pk")).order_by()
    return {r["stage"]: r["n"] for r in rows}


def sensitive_being_handled(*, prefixes: list[str]) -> int:
    """How many sensitive matters are being handled under `prefixes`: all a forum or the
    public may learn of them."""
    return Case.objects.filter(prefix_q("village_id", prefixes), sensitive=True,
                               stage__in=Case.OPEN_STAGES).count()


def public_outcomes(*, prefixes: list[str]) -> QuerySet[Case]:
    """Closed, non-sensitive cases under `prefixes`, for "you said, we did" pages: show only
    category, village, outcome, closed_at and public_summary."""
    return (Case.objects.filter(prefix_q("village_id", prefixes), sensitive=False,
                                stage=Case.Stage.CLOSED)
            .select_related("category", "village").defer("title", *NARRATIVE)
            .order_by("-closed_at", "-pk"))


def cases_resolved(year: int | None = None) -> QuerySet[Case]:
    """Cases an assessment closed as resolved (by mediation or action), closed in `year`."""
    qs = Case.objects.filter(stage=Case.Stage.CLOSED, outcome__in=Case.RESOLVED)
    if year:
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        qs = qs.filter(closed_at__gte=start, closed_at__lt=start.replace(year=year + 1))
    return qs


def problems_resolved(year: int | None, prefix: str | None = None) -> int:
    """The headline figure: problems resolved in `year` (under `prefix` if given)."""
    qs = cases_resolved(year)
    if prefix is not None:
        qs = qs.filter(prefix_q("village_id", [prefix]))
    return qs.count()


def case_of_report(*, report_id: int) -> Case | None:
    """The case a report is part of, or None. No scope applied: the caller has read the report
    and shows the case only through case_get or case_list."""
    link = CaseReport.objects.filter(report_id=report_id).select_related("case").order_by("pk").first()
    return link.case if link else None


def _by_village_month(rows: QuerySet[Case], villages: list[str] | None, time: str) -> QuerySet[Case]:
    if villages is not None:
        rows = rows.filter(village__in=villages)
    return rows.values(village_code=F("village"), month=MonthKey(time), category_pk=F("category"))


def monthly_opened_by_village(*, villages: list[str] | None = None) -> QuerySet[Case]:
    """Cases grouped by village, calendar month opened (UTC, YYYYMM) and category: rows of
    village_code, month, category_pk, opened, responded (a first response given) and
    response_hours (hours from opening to it, summed). A system read for the rollups (no
    caller); `villages` restricts it to those village codes."""
    return (_by_village_month(Case.objects.all(), villages, "opened_at")
            .annotate(opened=Count("pk"),
                      responded=Count("pk", filter=Q(first_response_at__isnull=False)),
                      response_hours=Sum(Coalesce(HoursBetween("opened_at", "first_response_at"), 0,
                                                  output_field=FloatField())))
            .order_by())


def monthly_closed_by_village(*, resolve_edges_days: Sequence[int],
                              villages: list[str] | None = None) -> QuerySet[Case]:
    """Cases closed with an outcome, grouped by village, calendar month closed (UTC, YYYYMM)
    and category: rows of village_code, month, category_pk, one count per outcome named
    `outcome_<value>` (Case.Outcome), resolved (Case.RESOLVED), resolve_hours (opening to
    closing, summed over the resolved) and resolved_within_<i>: the resolved closed at least
    edge i-1 (0 for the first) and less than edge i days (open for the last) after opening.
    A system read for the rollups (no caller)."""
    resolved = Q(outcome__in=Case.RESOLVED)
    counts = {f"outcome_{o}": Count("pk", filter=Q(outcome=o)) for o in Case.Outcome.values}
    counts["resolved"] = Count("pk", filter=resolved)
    counts["resolve_hours"] = Coalesce(Sum("hours", filter=resolved), 0, output_field=FloatField())
    lower = 0
    for i, edge in enumerate([*resolve_edges_days, None]):
        within = resolved & Q(hours__gte=lower * 24)
        if edge is not None:
            within &= Q(hours__lt=edge * 24)
        counts[f"resolved_within_{i}"] = Count("pk", filter=within)
        lower = edge or 0
    rows = (Case.objects.filter(closed_at__isnull=False).exclude(outcome="")
            .alias(hours=HoursBetween("opened_at", "closed_at")))
    return _by_village_month(rows, villages, "closed_at").annotate(**counts).order_by()


def referral_completion(*, user: Caller) -> list[dict]:
    """Per listed service: referrals sent to it from cases in the caller's scope (sealed ones
    counted, nothing of them shown), how many it accepted, declined or left unanswered, and
    its completion (accepted / sent). Requires: a police role (else none)."""
    from polmas.cases.models import Referral

    scope = scope_for(user)
    if not scope.has(*POLICE_ROLES):
        return []
    rows = (Referral.objects.filter(scope.q("case__village_id"), service__isnull=False)
            .values("service_id", "service__name", "service__kind")
            .annotate(sent=Count("pk"), accepted=Count("pk", filter=Q(status="accepted")),
                      declined=Count("pk", filter=Q(status="declined")))
            .order_by("service__name", "service_id"))
    return [{"service_id": r["service_id"], "name": r["service__name"], "kind": r["service__kind"],
             "sent": r["sent"], "accepted": r["accepted"], "declined": r["declined"],
             "waiting": r["sent"] - r["accepted"] - r["declined"],
             "completion": round(r["accepted"] / r["sent"], 3) if r["sent"] else None} for r in rows]
