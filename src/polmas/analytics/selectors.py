"""Coverage of villages by Bhabinkamtibmas and FKPM, counted inside the caller's scope.

A region is readable when the caller's scope covers it, or when it is an ancestor of their
scope (a kapolsek may open Bali, but sees only the part of Bali that is Tejakula). Counts
are grouped queries over prefix ranges: a constant number of queries whatever the level.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone

from polmas.access.models import Role, RoleGrant
from polmas.access.scope import Scope, scope_for
from polmas.analytics.counting import active_assignments, count_by_prefix, standing_forums
from polmas.core.scope import NATIONAL, covers, prefix_q
from polmas.policing.models import Officer
from polmas.regions import codes
from polmas.regions.models import Region

Caller = User | AnonymousUser


@dataclass
class Coverage:
    """Villages, and how many of them have an active Bhabinkamtibmas and a standing FKPM."""

    villages: int = 0
    with_officer: int = 0
    with_forum: int = 0

    @property
    def officer_pct(self) -> float | None:
        return 100 * self.with_officer / self.villages if self.villages else None

    @property
    def forum_pct(self) -> float | None:
        return 100 * self.with_forum / self.villages if self.villages else None


@dataclass
class CoverageRow(Coverage):
    code: str = ""
    name: str = ""
    # Only part of the region lies in the caller's scope; the figures count that part.
    partial: bool = False
    # Village rows only: the active officer ("Bripka Made ...") and the forums' names.
    officer: str = ""
    forums: list[str] = field(default_factory=list)


@dataclass
class CoverageTable:
    code: str  # "" for the whole country
    name: str
    level: int  # level of the region shown; 0 for the country
    child_level: int
    rows: list[CoverageRow]
    totals: Coverage
    partial: bool
    crumbs: list[tuple[str, str]]  # (code, name) of the ancestors, country excluded


def _internal(scope: Scope) -> bool:
    return bool(scope.prefixes) and not scope.roles <= {Role.RESIDENT}


def _readable(scope: Scope, code: str) -> bool:
    """In scope, or an ancestor of the scope (then shown restricted to the scope)."""
    return scope.covers(code) or any(covers(code, p) for p in scope.prefixes)


def coverage_visible(*, user: Caller, code: str) -> bool:
    """True if the caller may open the coverage of `code` ("" for the country).
    Requires: an internal role whose scope covers `code` or lies below it."""
    scope = scope_for(user)
    if not _internal(scope) or (code and not codes.is_valid(code)):
        return False
    return _readable(scope, code)


def _villages_q(scope: Scope, field_name: str, code: str) -> Q:
    return prefix_q(field_name, [code]) & scope.q(field_name)


def _counts_by_child(scope: Scope, code: str, n: int) -> dict[str, Coverage]:
    """Coverage per code prefix of length `n` under `code`, inside the scope: 3 queries."""
    villages = count_by_prefix(
        Region.objects.filter(_villages_q(scope, "code", code), level=codes.VILLAGE), "code", n)
    today = timezone.localdate()  # as coverage_summary counts
    officers = count_by_prefix(active_assignments(today).filter(_villages_q(scope, "village_id", code)),
                               "village_id", n, distinct=True)
    forums = count_by_prefix(standing_forums(today).filter(_villages_q(scope, "village_id", code)),
                             "village_id", n, distinct=True)
    return {p: Coverage(villages=c, with_officer=officers.get(p, 0), with_forum=forums.get(p, 0))
            for p, c in villages.items()}


def _village_details(scope: Scope, code: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Officer and forum names per village under `code` (a district), inside the scope."""
    officers = {
        village: f"{Officer.Rank(rank).label} {name}"
        for village, rank, name in active_assignments()
        .filter(_villages_q(scope, "village_id", code))
        .values_list("village_id", "officer__rank", "officer__name")
    }
    forums: dict[str, list[str]] = defaultdict(list)
    for village, name in (standing_forums().filter(_villages_q(scope, "village_id", code))
                          .order_by("village_id", "name").values_list("village_id", "name")):
        forums[village].append(name)
    return officers, forums


def coverage_children(*, user: Caller, code: str) -> CoverageTable | None:
    """Coverage of each child region of `code` ("" for the country: the provinces), counted
    inside the caller's scope, with a totals row; village rows (under a district) also name
    the officer and forums. None when the code is malformed, unknown, a village, or not
    readable. Requires: an internal role whose scope covers `code` or lies below it."""
    scope = scope_for(user)
    if not coverage_visible(user=user, code=code):
        return None
    level = codes.level_of(code) if code else 0
    if level == codes.VILLAGE:
        return None
    names = dict(Region.objects.filter(code__in=codes.ancestors(code) if code else [])
                 .values_list("code", "name"))
    if code and code not in names:
        return None
    child_level = level + 1
    n = codes.LEVEL_LENGTHS[child_level]
    children = Region.objects.filter(parent_id=code) if code else Region.objects.filter(
        level=codes.PROVINCE)
    counts = _counts_by_child(scope, code, n)
    officers: dict[str, str] = {}
    forums: dict[str, list[str]] = {}
    if child_level == codes.VILLAGE:
        officers, forums = _village_details(scope, code)
    rows = []
    for child, name in children.order_by("code").values_list("code", "name"):
        if not _readable(scope, child):
            continue
        c = counts.get(child, Coverage())
        rows.append(CoverageRow(
            code=child, name=name, villages=c.villages, with_officer=c.with_officer,
            with_forum=c.with_forum, partial=not scope.covers(child),
            officer=officers.get(child, ""), forums=forums.get(child, []),
        ))
    totals = Coverage(villages=sum(r.villages for r in rows),
                      with_officer=sum(r.with_officer for r in rows),
                      with_forum=sum(r.with_forum for r in rows))
    crumbs = [(a, names[a]) for a in (codes.ancestors(code)[:-1] if code else []) if a in names]
    return CoverageTable(
        code=code, name=names.get(code, ""), level=level, child_level=child_level, rows=rows,
        totals=totals, partial=not scope.covers(code), crumbs=crumbs,
    )


def coverage_summary(*, user: Caller) -> Coverage | None:
    """Coverage of the caller's whole scope (3 queries). Requires: an internal role."""
    scope = scope_for(user)
    if not _internal(scope):
        return None
    q_code, q_village = scope.q("code"), scope.q("village_id")
    # Counted on today's date, as the dashboards' coverage rollup counts the current year
    # (coverage_rollup.as_of): a forum founded, or a posting ended, on a later date is not
    # counted today by either page.
    today = timezone.localdate()
    return Coverage(
        villages=Region.objects.filter(q_code, level=codes.VILLAGE).count(),
        with_officer=count_by_prefix(active_assignments(today).filter(q_village), "village_id", None,
                                     distinct=True)[""],
        with_forum=count_by_prefix(standing_forums(today).filter(q_village), "village_id", None,
                                   distinct=True)[""],
    )


def coverage_home_code(*, user: Caller) -> str | None:
    """The narrowest region (down to a district) holding the caller's whole scope: where
    their coverage table starts. "" for the country, None without an internal role."""
    scope = scope_for(user)
    if not _internal(scope):
        return None
    if NATIONAL in scope.prefixes:
        return NATIONAL
    common: list[str] = []
    for segments in zip(*(p.split(".") for p in scope.prefixes), strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return ".".join(common[:3])


@dataclass
class ResidentVillage:
    code: str
    name: str
    district: str
    officer: str  # the active Bhabinkamtibmas' name, "" when none
    forums: list[str]

    @property
    def is_village(self) -> bool:
        return codes.level_of(self.code) == codes.VILLAGE


def resident_village(*, user: Caller) -> ResidentVillage | None:
    """The village on the caller's resident grant, with the names (never the contacts) of
    its Bhabinkamtibmas and forums: what the village notice board shows anyway.
    Requires: a resident grant with a region; None otherwise."""
    if not user.is_authenticated:
        return None
    grant = (RoleGrant.objects.filter(user=user, role=Role.RESIDENT, region__isnull=False)
             .select_related("region__parent").order_by("pk").first())
    if grant is None or grant.region is None:
        return None
    region = grant.region
    district = region.parent.name if region.parent else ""
    if region.level != codes.VILLAGE:
        return ResidentVillage(code=region.code, name=region.name, district=district,
                               officer="", forums=[])
    posted = (active_assignments().filter(village_id=region.code)
              .values_list("officer__rank", "officer__name").first())
    officer = f"{Officer.Rank(posted[0]).label} {posted[1]}" if posted else ""
    forums = list(standing_forums().filter(village_id=region.code).order_by("name")
                  .values_list("name", flat=True))
    return ResidentVillage(code=region.code, name=region.name, district=district,
                           officer=officer, forums=forums)
