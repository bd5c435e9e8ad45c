"""The national year: cases, reports, meetings and officer activities on every village.

The headline figure comes out exactly: 465,921 problems resolved in the year (cases an
assessment closed as resolved by mediation or by action, closed in that calendar year,
UTC, as `cases.selectors.cases_resolved` and the rollups count them). The total is split
over provinces and then over villages by weight (largest remainders, see allocate.py);
every other figure is drawn around each village's share: referred and unresolved cases,
cases still open at the end of the year, reports, meetings and activities.

A village's weight is its regency's population per village, varied at random, times how
well the programme works there: villages without a Bhabinkamtibmas resolve far fewer
problems (and see more reports routed to the Polsek, more referrals and more cases left
unresolved), villages with a forum a little more, and island groups differ (Java and Bali
best, Papua and Maluku least).

Each province is written in one transaction, its first case carrying a marker UUID: a
province already written is skipped, so a second run adds nothing and the figures stay
exact. Cases that exist before a province is first written (e.g. the demo's own cases in
Bali) count towards its share.

On PostgreSQL, a run that at least doubles the tables (the national year on a demo database)
writes without the tables' secondary indexes and builds them once after the last province
(core/db/indexes.py; `indexes_worth_deferring`, ADR 30 for the figure).
"""

import datetime as dt
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from polmas.cases.models import Case
from polmas.forums.models import Forum
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.models import Category
from polmas.simulation.allocate import allocate
from polmas.simulation.plan import island_group

RESOLVED_TOTAL = 465_921
NAMESPACE = uuid.UUID("0d3c5a1e-7f42-4b8e-9c61-2a9e4f7b1d05")
# How well problem solving works, by island group (staffing, distance, terrain).
EFFECTIVENESS = {
    "java_bali": 1.15, "sumatra": 1.0, "kalimantan": 0.85, "sulawesi": 0.95,
    "nusa_tenggara": 0.8, "maluku": 0.65, "papua": 0.45,
}  # fmt: skip
WITHOUT_OFFICER = 0.3  # a village nobody is posted to resolves about a third as much
WITH_FORUM = 1.2
DEFER_INDEXES = True  # False: keep the secondary indexes while writing (bench/national_copy.py)


@dataclass
class Village:
    code: str
    name: str
    lat: float | None
    lon: float | None
    officer: int | None  # the Bhabinkamtibmas posted there
    forum: int | None
    weight: float = 0.0


@dataclass
class Province:
    code: str
    villages: list[Village] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return sum(v.weight for v in self.villages)


def marker(seed: int, year: int, province: str) -> uuid.UUID:
    """The client UUID of the first case written for `province`: its presence means done."""
    return uuid.uuid5(NAMESPACE, f"{seed}:{year}:{province}")


def village_weight(rng: random.Random, per_village: float, *, officer: bool, forum: bool,
                   group: str) -> float:
    w = per_village * rng.lognormvariate(0, 0.45) * EFFECTIVENESS[group]
    if not officer:
        w *= WITHOUT_OFFICER
    if forum:
        w *= WITH_FORUM
    return w


def provinces_load(seed: int) -> dict[str, Province]:
    """Every village with its officer, forum and weight (all provinces: the weights, and so
    every province's share, do not depend on which provinces a run writes)."""
    posted: dict[str, int] = {}
    for officer_id, village in (Assignment.objects.filter(
            end__isnull=True, officer__active=True, officer__function=Officer.Function.BHABINKAMTIBMAS)
            .order_by("officer_id", "village_id").values_list("officer_id", "village_id")):
        posted.setdefault(village, officer_id)
    forums: dict[str, int] = {}
    for forum_id, village in (Forum.objects.exclude(status=Forum.Status.DISSOLVED)
                              .order_by("pk").values_list("pk", "village_id")):
        forums.setdefault(village, forum_id)
    regencies = dict(Region.objects.filter(level=codes.REGENCY).values_list("code", "population"))
    villages = list(Region.objects.filter(level=codes.VILLAGE).order_by("code")
                    .values_list("code", "name", "latitude", "longitude"))
    per_regency: dict[str, int] = {}
    for code, *_ in villages:
        per_regency[code[:5]] = per_regency.get(code[:5], 0) + 1
    rng = random.Random(f"{seed}:national:weights")
    out: dict[str, Province] = {}
    for code, name, lat, lon in villages:
        per_village = (regencies.get(code[:5]) or 1) / per_regency[code[:5]]
        v = Village(code, name, lat, lon, posted.get(code), forums.get(code))
        v.weight = village_weight(rng, per_village, officer=v.officer is not None,
                                  forum=v.forum is not None, group=island_group(code[:2]))
        out.setdefault(code[:2], Province(code[:2])).villages.append(v)
    return out


def province_quotas(total: int, provinces: dict[str, Province]) -> dict[str, int]:
    """Split `total` over `provinces` by weight, exactly."""
    order = sorted(provinces)
    shares = allocate(total, [provinces[p].weight for p in order])
    return dict(zip(order, shares, strict=True))


def village_quotas(total: int, province: Province) -> list[int]:
    """Split a province's share over its villages by weight, exactly."""
    return allocate(max(0, total), [v.weight for v in province.villages])


def resolved_before(year: int, province: str) -> int:
    """Problems already resolved in `year` in `province` (e.g. by the demo's own cases)."""
    from polmas.cases.selectors import problems_resolved

    return problems_resolved(year, province)


@dataclass
class Written:
    provinces: int = 0
    skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, counts: dict[str, int]) -> None:
        for k, n in counts.items():
            self.counts[k] = self.counts.get(k, 0) + n


def national_generate(*, year: int, seed: int, provinces: list[str] | None = None,
                      resolved_total: int = RESOLVED_TOTAL, skip_meetings: set[str] | frozenset = frozenset(),
                      progress: Callable[[int], None] | None = None) -> Written:
    """Write the year for `provinces` (all when None), `resolved_total` problems resolved
    in `year` over them. Provinces in `skip_meetings` get no meetings (another generator
    made theirs). Idempotent: a province already written is skipped."""
    from polmas.core.db.indexes import indexes_deferred
    from polmas.simulation.national_bulk import sqlite_tuned, statistics_refresh
    from polmas.simulation.national_rows import MODELS, Context, province_write

    everything = provinces_load(seed)
    chosen = {p: everything[p] for p in sorted(everything) if provinces is None or p in provinces}
    quotas = province_quotas(resolved_total, chosen)
    categories = list(Category.objects.filter(active=True).order_by("pk").values_list(
        "pk", "code", "sensitive", "mediable", "name_id"))
    units = dict(PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLSEK).values_list("region_id", "pk"))
    written = Written()
    done = set(Case.objects.filter(client_uuid__in=[marker(seed, year, p) for p in chosen])
               .values_list("client_uuid", flat=True))
    todo = {p: v for p, v in chosen.items() if marker(seed, year, p) not in done}
    with indexes_deferred(MODELS, when=indexes_worth_deferring(sum(quotas[p] for p in todo))):
        for code, province in chosen.items():
            key = marker(seed, year, code)
            if code not in todo:
                written.skipped += 1
                if progress:
                    progress(len(province.villages))
                continue
            with sqlite_tuned(), transaction.atomic():
                share = quotas[code] - resolved_before(year, code)
                ctx = Context(year=year, seed=seed, province=province, categories=categories, units=units,
                              marker=key, meetings=code not in skip_meetings)
                written.add(province_write(ctx, village_quotas(share, province), progress=progress))
            written.provinces += 1
    if written.provinces:
        statistics_refresh(MODELS)
    return written


def indexes_worth_deferring(resolved: int) -> bool:
    """Whether to write without the secondary indexes and build them after (PostgreSQL;
    core/db/indexes.py): when the load at least doubles the tables. Building an index sorts
    the whole table, rows already there included, so a province added to a full country is
    faster with the indexes kept; the national year on a demo database is faster without
    (ADR 30: the figure). `resolved` problems come with ~1.3 cases each."""
    if not DEFER_INDEXES:
        return False
    return resolved * 1.3 >= Case.objects.count()


def round_random(rng: random.Random, x: float) -> int:
    """x rounded up or down at random, so that the mean is x."""
    whole = math.floor(x)
    return whole + (1 if rng.random() < x - whole else 0)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in naive UTC, as the simulation writes times."""
    return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
