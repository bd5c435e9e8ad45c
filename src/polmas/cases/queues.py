"""Reads behind the work queues: what an officer must do next and what a supervisor must
watch. Everything goes through the scoped selectors of cases and reports; nothing here writes
(the escalation of quiet cases runs in the task worker and from `polmas cases_escalate`; the
queue reads its result).
"""


from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.cases.models import Action, Case, CaseReport
from polmas.cases.selectors import case_list, overdue_q
from polmas.reports.models import Report
from polmas.reports.selectors import inbox

Caller = User | AnonymousUser
OPEN_ACTION = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)
LIMIT = 50


def reports_new(*, user: Caller) -> QuerySet[Report]:
    """Reports routed to the caller (their inbox) that are new: received, not spam, not a
    merged duplicate, and not yet part of a case. Requires: a reader role (else empty)."""
    in_case = CaseReport.objects.values("report_id")
    return (inbox(user=user).filter(status=Report.Status.RECEIVED, spam=False, duplicate_of__isnull=True)
            .exclude(pk__in=in_case).order_by("-created_at", "-pk"))


def cases_open_by_due(*, user: Caller) -> QuerySet[Case]:
    """Open cases in scope the caller reads, the one whose next action falls due first on
    top (cases without a pending action after them, quietest first). Each row carries
    `next_due`. Requires: a reader role."""
    qs = case_list(user=user).filter(stage__in=Case.OPEN_STAGES)
    if scope_for(user).has(Role.BHABINKAMTIBMAS) and not scope_for(user).has(Role.SUPERVISOR, Role.ADMIN):
        # An officer's queue is their own cases, and the unassigned ones in their villages.
        qs = qs.filter(Q(assigned_officer__user=user) | Q(assigned_officer__isnull=True))
    qs = qs.annotate(next_due=Min("actions__due", filter=Q(actions__status__in=OPEN_ACTION)))
    return qs.order_by(F("next_due").asc(nulls_last=True), "last_activity_at", "pk")


def actions_overdue(*, user: Caller, cases: QuerySet[Case] | None = None) -> QuerySet[Action]:
    """Planned or running actions past their due date, in the open cases the caller reads."""
    cases = cases if cases is not None else case_list(user=user).filter(stage__in=Case.OPEN_STAGES)
    return (Action.objects.filter(case__in=cases.values("pk"), status__in=OPEN_ACTION,
                                  due__lt=timezone.localdate())
            .select_related("case", "case__village").order_by("due", "pk"))


def escalated_q() -> Q:
    """Open cases moved up to the Polsek and still quiet since (escalated after their last
    activity)."""
    return Q(stage__in=Case.OPEN_STAGES, escalated_at__isnull=False,
             escalated_at__gte=F("last_activity_at"))


def cases_overdue(*, user: Caller) -> QuerySet[Case]:
    """Open cases in scope quiet for 7 days or with an action past due and not escalated
    (those are listed once, as escalated), sealed ones included for supervisors (to be shown
    without details). Requires: a reader role."""
    late = Case.objects.filter(overdue_q()).values("pk")
    return (case_list(user=user, sealed_listed=True).filter(pk__in=late).exclude(escalated_q())
            .select_related("assigned_officer").order_by("last_activity_at", "pk"))


def cases_escalated(*, user: Caller) -> QuerySet[Case]:
    """Open cases in scope moved up to the Polsek and still quiet since (escalated after
    their last activity); sealed ones included for supervisors. Requires: a reader role."""
    return (case_list(user=user, sealed_listed=True).filter(escalated_q())
            .select_related("assigned_officer", "unit").order_by("escalated_at", "pk"))

