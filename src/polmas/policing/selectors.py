"""Scoped reads of units and officers. Outside the caller's scope a record does not exist."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from polmas.access.scope import scope_for
from polmas.policing.models import Assignment, Jurisdiction, Officer, PoliceUnit, Training

Caller = User | AnonymousUser


def _internal(user: Caller) -> bool:
    scope = scope_for(user)
    return bool(scope.prefixes) and not scope.roles <= {"resident"}


def unit_list(*, user: Caller) -> QuerySet[PoliceUnit]:
    """Units whose home region lies in the caller's scope (national HQ for national scope).
    Requires: an internal role."""
    scope = scope_for(user)
    if not _internal(user):
        return PoliceUnit.objects.none()
    if scope.national:
        return PoliceUnit.objects.all()
    inside = Jurisdiction.objects.filter(scope.q("prefix"), unit=OuterRef("pk"))
    return PoliceUnit.objects.filter(Exists(inside))


def unit_get(*, user: Caller, unit_id: int) -> PoliceUnit | None:
    return unit_list(user=user).filter(pk=unit_id).first()


# Personnel records are for the police chain and planners (who plan postings), not for
# partners or forum members; those learn their Bhabinkamtibmas's name from their home page.
OFFICER_READERS = ("bhabinkamtibmas", "supervisor", "ppa_officer", "planner", "admin")


def officer_list(*, user: Caller) -> QuerySet[Officer]:
    """Officers of units in scope, or posted to a village in scope.
    Requires: a police role, planner or admin."""
    scope = scope_for(user)
    if not _internal(user) or not scope.has(*OFFICER_READERS):
        return Officer.objects.none()
    qs = Officer.objects.select_related("unit")
    if scope.national:
        return qs
    posted = Assignment.objects.filter(scope.q("village_id"), officer=OuterRef("pk"),
                                       end__isnull=True)
    return qs.filter(Exists(posted) | Exists(
        Jurisdiction.objects.filter(scope.q("prefix"), unit=OuterRef("unit_id"))
    ))


def officer_get(*, user: Caller, officer_id: int) -> Officer | None:
    return officer_list(user=user).filter(pk=officer_id).first()


def officer_villages(*, officer: Officer) -> QuerySet[Assignment]:
    return officer.assignments.filter(end__isnull=True).select_related("village")


# System reads for routing: no caller, the system acts (reports routes what arrived).


def active_assignments(on: dt.date | None = None) -> QuerySet[Assignment]:
    """Postings running now, or on the day `on`."""
    if on is None:
        return Assignment.objects.filter(end__isnull=True)
    return Assignment.objects.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)


def posted_officers(village_codes: list[str]) -> dict[str, int]:
    """The officer posted to each village now, by village code (at most one active posting
    per village, a constraint); villages without one are left out."""
    return dict(active_assignments().filter(village_id__in=village_codes)
                .values_list("village_id", "officer_id"))


def units_holding(role: str, prefixes: list[str]) -> list[int]:
    """Ids of the units where someone holds `role` and whose jurisdiction has one of
    `prefixes`, in order."""
    return list(Jurisdiction.objects.filter(prefix__in=prefixes, unit__role_grants__role=role)
                .values_list("unit_id", flat=True).distinct().order_by("unit_id"))


def trained_by_year(prefix: str, years: list[int]) -> dict[int, tuple[int, int]]:
    """{year: (officers, of whom trained by the end of that year)} for today's active
    Bhabinkamtibmas officers whose unit lies under `prefix` ("" the country). A system read
    for the road map's "officers trained" indicator; years without officers are left out."""
    officers = Officer.objects.filter(active=True, function=Officer.Function.BHABINKAMTIBMAS)
    if prefix:
        officers = officers.filter(unit__region_id__gte=prefix, unit__region_id__lt=prefix + "/")
    total = officers.count()
    if not total:
        return {}
    first = dict(Training.objects.filter(officer__in=officers).values("officer_id")
                 .annotate(first=Min("completed_on")).values_list("officer_id", "first"))
    return {y: (total, sum(1 for d in first.values() if d.year <= y)) for y in years}


def trained_by_year_of_children(prefix: str, child_len: int,
                                years: list[int]) -> dict[str, dict[int, tuple[int, int]]]:
    """trained_by_year for each child region of `prefix` at once: {child code: {year:
    (officers, of whom trained by that year's end)}}, the child being the first `child_len`
    characters of the officer's unit's region. One query, grouped in the database (the road
    map's card on the dashboards lists some 40 children)."""
    from django.db.models import Count, Subquery
    from django.db.models.functions import ExtractYear, Substr

    officers = Officer.objects.filter(active=True, function=Officer.Function.BHABINKAMTIBMAS)
    if prefix:
        officers = officers.filter(unit__region_id__gte=prefix, unit__region_id__lt=prefix + "/")
    first = Subquery(Training.objects.filter(officer=OuterRef("pk")).order_by("completed_on")
                     .values("completed_on")[:1])
    rows = (officers.annotate(child=Substr("unit__region_id", 1, child_len), first=first)
            .values("child", first_year=ExtractYear("first")).annotate(n=Count("pk")).order_by())
    counts: dict[str, dict[int | None, int]] = {}
    for row in rows:
        if len(row["child"] or "") == child_len:
            counts.setdefault(row["child"], {})[row["first_year"]] = row["n"]
    out = {}
    for child, by_year in counts.items():
        total = sum(by_year.values())
        out[child] = {y: (total, sum(n for fy, n in by_year.items() if fy is not None and fy <= y))
                      for y in years}
    return out
