"""Scoped reads of activities and rosters. Outside scope a record does not exist (None/404).

Early-detection reports are confidential: only the officer who wrote them, supervisors and
PPA officers in scope (and administrators) read them; forum members, partners and planners
never do."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.activities.models import Activity, Roster
from polmas.core.db.expressions import MonthKey

Caller = User | AnonymousUser
READER_ROLES = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.PPA_OFFICER, Role.FKPM_MEMBER,
                Role.PARTNER, Role.PLANNER, Role.ADMIN)
CONFIDENTIAL_READERS = (Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)
ROSTER_ROLES = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.FKPM_MEMBER, Role.ADMIN)


def activity_list(*, user: Caller) -> QuerySet[Activity]:
    """Activities in scope, newest first; detection reports only for their officer and for
    supervisors, PPA officers and administrators. Requires: a reader role."""
    scope = scope_for(user)
    if not scope.has(*READER_ROLES):
        return Activity.objects.none()
    qs = Activity.objects.filter(scope.q("village_id")).select_related("officer", "village")
    if scope.has(*CONFIDENTIAL_READERS):
        return qs
    return qs.filter(~Q(kind=Activity.Kind.DETECTION) | Q(officer__user=user))


def activity_get(*, user: Caller, activity_id: int) -> Activity | None:
    """One activity, or None outside scope or when confidential to the caller."""
    return activity_list(user=user).filter(pk=activity_id).first()


def activities_mine_this_week(*, user: Caller) -> QuerySet[Activity]:
    """The caller's own activities since Monday (local date)."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    return activity_list(user=user).filter(officer__user=user, occurred_at__gte=start)


def roster_list(*, user: Caller) -> QuerySet[Roster]:
    """Rosters of villages in scope. Requires: Bhabinkamtibmas, supervisor, FKPM member or admin."""
    scope = scope_for(user)
    if not scope.has(*ROSTER_ROLES):
        return Roster.objects.none()
    return Roster.objects.filter(scope.q("village_id")).select_related("village")


def roster_get(*, user: Caller, roster_id: int, for_update: bool = False) -> Roster | None:
    """One roster in scope, or None."""
    qs = roster_list(user=user).filter(pk=roster_id)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    return qs.first()


def roster_table(roster: Roster) -> dict:
    """The roster as rows of nights with one cell per post, for pages and the API."""
    posts = list(roster.posts.all())
    shifts = roster.shifts.prefetch_related("places__volunteer").order_by("night")
    by_night: dict[dt.date, dict[int, object]] = {}
    for s in shifts:
        by_night.setdefault(s.night, {})[s.post_id] = s
    rows = [{"night": night, "cells": [cells.get(p.pk) for p in posts]}
            for night, cells in sorted(by_night.items())]
    return {"posts": posts, "rows": rows}


def monthly_counts_by_village(*, villages: list[str] | None = None) -> QuerySet[Activity]:
    """Field activities grouped by village and calendar month they happened (UTC, YYYYMM):
    rows of village_code, month, activities and visits (Activity.Kind.VISIT). A system read
    for the rollups (no caller); `villages` restricts it to those village codes."""
    rows = Activity.objects.all()
    if villages is not None:
        rows = rows.filter(village__in=villages)
    return (rows.values(village_code=F("village"), month=MonthKey("occurred_at"))
            .annotate(activities=Count("pk"), visits=Count("pk", filter=Q(kind=Activity.Kind.VISIT)))
            .order_by())
