"""The work queue of each role, put together from the apps' scoped selectors: the officer's
new reports, cases and visits; the supervisor's cases by stage, overdue, escalated, and gaps;
the forum member's meetings and open issues. This module only composes; it writes nothing (the
escalation of quiet cases runs in the task worker, and the queue shows its result)."""

import datetime as dt

from django.contrib.auth.models import User
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.activities import selectors as activity_selectors
from polmas.activities.disaster import order_reports
from polmas.activities.models import Activity
from polmas.analytics.counting import active_assignments
from polmas.cases import queues
from polmas.cases import selectors as case_selectors
from polmas.cases.models import Case
from polmas.forums import selectors as forum_selectors
from polmas.forums.models import Meeting, MeetingIssue
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports import selectors as report_selectors
from polmas.web import supervision

LIMIT = 50
# Reports are routed a second or two after they arrive while the task worker runs (ADR 11):
# any older still waiting means it does not, and supervisors are told.
UNROUTED_WARNING = dt.timedelta(minutes=2)
GAPS_SHOWN = 10
QUEUE_ROLES = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.FKPM_MEMBER, Role.PPA_OFFICER, Role.ADMIN)


def has_queue(user: User) -> bool:
    return scope_for(user).has(*QUEUE_ROLES)


def _reports(user: User) -> list[dict]:
    """New reports routed to the caller; looting and security reports in disaster areas first."""
    new = report_selectors.with_seen(queues.reports_new(user=user), user=user)
    qs = order_reports(new.select_related("category", "village"), prefixes=scope_for(user).prefixes)
    return [{"report": r, "disaster_first": r.disaster_first, "unseen": not r.seen} for r in qs[:LIMIT]]


def _unseen(rows: list[dict]) -> list[int]:
    """The ids of the listed reports the caller has not seen yet (for "mark all as seen")."""
    return [row["report"].pk for row in rows if row.get("unseen")]


def officer_queue(user: User) -> dict:
    """What a Bhabinkamtibmas does next. Requires: the role (else empty lists)."""
    cases = queues.cases_open_by_due(user=user)
    today = timezone.localdate()
    week = activity_selectors.activities_mine_this_week(user=user)
    visits = list(week.filter(kind=Activity.Kind.VISIT).select_related("village")
                  .order_by("-occurred_at")[:LIMIT])
    reports = _reports(user)
    return {
        "reports": reports,
        "unseen": _unseen(reports),
        "reopened": list(report_selectors.reports_reopened(user=user)[:LIMIT]),
        "cases": [{"case": c, "late": c.next_due is not None and c.next_due < today}
                  for c in cases[:LIMIT]],
        "case_count": cases.count(),
        "actions": list(queues.actions_overdue(user=user)[:LIMIT]),
        "visits": visits,
        "households": sum(v.households or 0 for v in visits),
        "week_count": week.count(),
        "week_start": today - dt.timedelta(days=today.weekday()),
    }


def _coverage_gaps(user: User) -> dict:
    """Villages in scope with no active Bhabinkamtibmas (the first few by code)."""
    scope = scope_for(user)
    staffed = active_assignments().filter(scope.q("village_id")).values("village_id")
    gaps = Region.objects.filter(scope.q("code"), level=codes.VILLAGE).exclude(code__in=staffed)
    return {"count": gaps.count(),
            "villages": list(gaps.select_related("parent").order_by("code")[:GAPS_SHOWN])}


def supervisor_queue(user: User, params: QueryDict, filters: supervision.Filters) -> dict:
    """What a supervisor watches: each case once (escalated, else overdue), paged and
    filtered. Requires: a supervisor (or admin) role."""
    counts = case_selectors.stage_counts(user=user)
    reports = _reports(user)
    return {
        "stages": [{"value": s.value, "label": s.label, "count": counts.get(s.value, 0)}
                   for s in Case.Stage],
        **supervision.supervisor_cases(user, params, filters),
        "gaps": _coverage_gaps(user),
        "reports": reports[:supervision.PAGE], "reports_count": len(reports),
        "unseen": _unseen(reports[:supervision.PAGE]),
        "unrouted": dict(zip(("count", "oldest"), report_selectors.waiting_to_be_routed(
            user=user, older_than=UNROUTED_WARNING), strict=True)),
    }


def _case_link(issue_id: int) -> str | None:
    try:
        return reverse("cases:from-meeting-issue", args=[issue_id])
    except NoReverseMatch:
        return None


def member_queue(user: User) -> dict:
    """The meetings of the caller's forums and the issues raised there still open.
    Requires: an active forum membership (else empty)."""
    forums = forum_selectors.forums_of_member(user=user)
    meetings = forum_selectors.meeting_list(user=user).filter(forum__in=forums).select_related("village")
    now = timezone.now()
    upcoming = meetings.filter(status=Meeting.Status.PLANNED, held_at__gte=now - dt.timedelta(hours=12))
    recent = meetings.exclude(pk__in=upcoming.values("pk")).order_by("-held_at")[:10]
    sees_sensitive = forum_selectors.sensitive_text_visible(user)
    names = forum_selectors.category_names()
    issues = []
    still_open = [MeetingIssue.OutcomeStatus.OPEN, MeetingIssue.OutcomeStatus.IN_PROGRESS]
    rows = (MeetingIssue.objects.filter(meeting__in=meetings.values("pk"), outcome_status__in=still_open)
            .select_related("meeting", "meeting__forum", "meeting__village")
            .order_by("-meeting__held_at", "position", "pk"))
    for issue in rows[:LIMIT]:
        hidden = issue.sensitive and not sees_sensitive
        category = names.get(issue.category_code)
        issues.append({"issue": issue, "text": "" if hidden else issue.text, "hidden": hidden,
                       "category": category["name"] if category else "",
                       "case_url": _case_link(issue.pk) if issue.case_id is None else None,
                       "case_detail_url": reverse("cases:detail", args=[issue.case_id])
                       if issue.case_id else None})
    return {"forums": list(forums.select_related("village")), "recent": list(recent), "issues": issues,
            "upcoming": list(upcoming.order_by("held_at"))}
