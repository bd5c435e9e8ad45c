"""The replication planner's optimiser: which villages each officer of one Polsek covers.

One problem per Polsek (a district, about 7,000 small problems nationally). Pure Python over
plain data: no database here (planner.py builds the problems from the rollups and postings).

The model (a MILP, solved by HiGHS through highspy):
- x[o, v] = 1 when officer o covers village v; every village has at most one officer;
- an officer covers at most k villages;
- two villages of one officer lie within d km of each other (haversine): x[o,u] + x[o,v] <= 1
  for every pair farther apart (only needed when k >= 2);
- officers stay in their Polsek: the only villages offered are the Polsek's own;
- m[o] = 1 when officer o leaves one of their current villages (x[o,v] + m[o] >= 1 for each
  current v); each move costs `move_penalty` need points;
- maximise need covered - move_penalty * moves + EPS * current postings kept (the last term
  only breaks ties in favour of today's postings, so re-planning an applied plan moves nobody).

A greedy baseline (keep today's feasible postings, trim the infeasible ones, then fill free
capacity by need) is a feasible solution of the same model: it is handed to HiGHS as a start
and the plan is never worse than it in objective, hence never worse in coverage (greedy moves
only the officers every feasible plan must move).
"""

import math
import os
import sys
from dataclasses import dataclass, field

import highspy

EPS = 1e-4  # tie-break bonus per kept posting; far below any village's need (>= 1)
GAP = 1e-4  # relative MIP gap asked of HiGHS (the bound is 0.5%)
TIME_LIMIT = 20.0  # seconds per district problem; the gap reached is reported either way


@dataclass(frozen=True)
class Village:
    code: str
    lat: float
    lon: float
    need: float
    approximate: bool = False  # coordinates are the district's centre


@dataclass
class Problem:
    """One Polsek: its villages, its officers' current postings, and new officers to place."""

    district: str
    villages: list[Village]
    current: dict[str, list[str]]  # officer NRP -> villages posted today (may break k or d)
    fixed: set[str] = field(default_factory=set)  # covered by an officer of another unit
    new_officers: int = 0
    k: int = 1
    d_km: float = 5.0
    move_penalty: float = 1.0

    def officers(self) -> list[str]:
        return sorted(self.current) + [new_officer_id(self.district, i)
                                       for i in range(self.new_officers)]


@dataclass
class Solution:
    postings: dict[str, list[str]]  # officer -> villages, every officer listed
    need_covered: float
    moved: list[str]
    objective: float
    gap: float = 0.0
    solver: str = ""
    status: str = "optimal"


def new_officer_id(district: str, i: int) -> str:
    return f"NEW-{district}-{i + 1}"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


class Geometry:
    """Villages of one problem indexed, with the pairs farther apart than d."""

    def __init__(self, problem: Problem) -> None:
        self.free = [v for v in problem.villages if v.code not in problem.fixed]
        self.index = {v.code: i for i, v in enumerate(self.free)}
        self.far: set[tuple[int, int]] = set()
        if problem.k >= 2:
            for i, a in enumerate(self.free):
                for j in range(i + 1, len(self.free)):
                    b = self.free[j]
                    if haversine_km(a.lat, a.lon, b.lat, b.lon) > problem.d_km:
                        self.far.add((i, j))

    def compatible(self, i: int, chosen: list[int]) -> bool:
        return all((min(i, j), max(i, j)) not in self.far for j in chosen)


def feasible_set(problem: Problem, geo: Geometry, villages: list[str]) -> bool:
    idx = [geo.index.get(c) for c in villages]
    if None in idx or len(idx) > problem.k:
        return False
    return all(geo.compatible(i, idx[:n]) for n, i in enumerate(idx))  # type: ignore[arg-type]


def evaluate(problem: Problem, postings: dict[str, list[str]]) -> tuple[float, list[str], float]:
    """(need covered, officers moved, objective) of `postings` in `problem`."""
    need = {v.code: v.need for v in problem.villages}
    covered = set(problem.fixed) | {c for vs in postings.values() for c in vs}
    moved = sorted(o for o, vs in problem.current.items()
                   if not set(vs) <= set(postings.get(o, [])))
    kept = sum(len(vs) for o, vs in problem.current.items() if o not in moved)
    need_covered = sum(need.get(c, 0.0) for c in covered)
    objective = (sum(need.get(c, 0.0) for c in covered - set(problem.fixed))
                 - problem.move_penalty * len(moved) + EPS * kept)
    return need_covered, moved, objective


def trim_current(problem: Problem, geo: Geometry) -> dict[str, list[int]]:
    """Today's postings cut down to what the rules allow: each officer keeps their current
    villages by need (highest first) while k, d and the Polsek's area hold. Every officer
    is listed (new ones with nothing)."""
    need = {v.code: v.need for v in geo.free}
    chosen: dict[str, list[int]] = {}
    taken: set[int] = set()
    for o in problem.officers():
        picks: list[int] = []
        for c in sorted(problem.current.get(o, []), key=lambda c: (-need.get(c, 0), c)):
            i = geo.index.get(c)
            if i is None or i in taken or len(picks) >= problem.k or not geo.compatible(i, picks):
                continue
            picks.append(i)
            taken.add(i)
        chosen[o] = picks
    return chosen


def rule_breaks(problem: Problem, geo: Geometry | None = None) -> list[dict]:
    """Today's postings that the plan's rules forbid, per officer: villages above the cap k
    (`over_k`), villages farther than d km apart (`too_far`), villages outside what the
    Polsek may post (`outside`: another Polsek's area, or held by another unit's officer).
    Such postings cannot all be kept, so a plan may cover less than today."""
    geo = geo or Geometry(problem)
    out = []
    for o, villages in sorted(problem.current.items()):
        inside = [geo.index[c] for c in villages if c in geo.index]
        outside = sorted(c for c in villages if c not in geo.index)
        too_far = any((min(i, j), max(i, j)) in geo.far for n, i in enumerate(inside)
                      for j in inside[:n])
        over_k = max(0, len(villages) - problem.k)
        if over_k or too_far or outside:
            out.append({"officer": o, "villages": sorted(villages), "over_k": over_k,
                        "too_far": too_far, "outside": outside})
    return out


def kept_need(problem: Problem, geo: Geometry | None = None) -> float:
    """Need covered when today's postings are only trimmed to the rules (nothing added):
    every plan the optimiser returns covers at least this much (up to its gap)."""
    geo = geo or Geometry(problem)
    chosen = trim_current(problem, geo)
    need = {v.code: v.need for v in problem.villages}
    return (sum(need[c] for c in problem.fixed if c in need)
            + sum(geo.free[i].need for picks in chosen.values() for i in picks))


def greedy(problem: Problem, geo: Geometry | None = None) -> Solution:
    """Keep today's feasible postings, trim infeasible ones by need, then fill free capacity:
    villages by need (highest first), each to the least-loaded officer that can take it."""
    geo = geo or Geometry(problem)
    chosen = trim_current(problem, geo)
    taken = {i for picks in chosen.values() for i in picks}
    order = sorted(range(len(geo.free)), key=lambda i: (-geo.free[i].need, geo.free[i].code))
    for i in order:
        if i in taken:
            continue
        for o in sorted(chosen, key=lambda o: (len(chosen[o]), o)):
            if len(chosen[o]) < problem.k and geo.compatible(i, chosen[o]):
                chosen[o].append(i)
                taken.add(i)
                break
    postings = {o: sorted(geo.free[i].code for i in picks) for o, picks in chosen.items()}
    covered, moved, objective = evaluate(problem, postings)
    return Solution(postings=postings, need_covered=covered, moved=moved, objective=objective,
                    gap=0.0, solver="greedy", status="heuristic")


@dataclass
class Model:
    """The MILP in plain rows, so a second solver can be handed the very same model.

    Pattern form: a column is (a group of officers, a set of villages pairwise within d, at
    most k of them). Officers posted somewhere today are each a group of one and take exactly
    one pattern (the empty one included), whose cost carries the move penalty when it leaves
    one of their current villages; officers with no posting today (and new ones) are
    interchangeable and form one group taking at most as many patterns as it has officers.
    A village lies in at most one chosen pattern. This set-packing form has a far tighter
    relaxation than pair rows over x[officer, village] (15 villages: 17 s -> milliseconds).
    """

    names: list[str]
    cost: list[float]  # maximised
    lower: list[float]
    upper: list[float]
    rows: list[tuple[dict[int, float], float, float]]  # (coefficients, lower, upper)
    columns: list[tuple[int, tuple[int, ...]]]  # (group, village indices)
    groups: list[list[str]]  # officers of each group


MAX_PATTERNS = 50_000


def patterns(geo: Geometry, k: int) -> list[tuple[int, ...]]:
    """Every non-empty set of at most k villages pairwise within d, in index order."""
    n = len(geo.free)
    near: list[set[int]] = [set() for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if (i, j) not in geo.far:
                near[i].add(j)
                near[j].add(i)
    out: list[tuple[int, ...]] = []

    def grow(chosen: tuple[int, ...], candidates: list[int]) -> None:
        out.append(chosen)
        if len(out) > MAX_PATTERNS:
            raise OverflowError
        if len(chosen) == k:
            return
        for pos, j in enumerate(candidates):
            grow(chosen + (j,), [c for c in candidates[pos + 1:] if c in near[j]])

    for i in range(n):
        grow((i,), [j for j in range(i + 1, n) if j in near[i]])
    return out


def build(problem: Problem, geo: Geometry) -> Model:
    sets = patterns(geo, problem.k)
    need = [v.need for v in geo.free]
    posted = [o for o in sorted(problem.current) if problem.current[o]]
    idle = [o for o in problem.officers() if not problem.current.get(o)]
    groups: list[list[str]] = [[o] for o in posted] + [idle]
    pool = len(groups) - 1
    names: list[str] = []
    cost: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    columns: list[tuple[int, tuple[int, ...]]] = []
    by_village: dict[int, list[int]] = {}
    rows: list[tuple[dict[int, float], float, float]] = []
    inf = math.inf

    def column(name: str, c: float, group: int, pattern: tuple[int, ...], up: float) -> int:
        col = len(names)
        names.append(name)
        cost.append(c)
        lower.append(0.0)
        upper.append(up)
        columns.append((group, pattern))
        for i in pattern:
            by_village.setdefault(i, []).append(col)
        return col

    move_cols: list[int] = []
    for g, officer in enumerate(posted):
        current = problem.current[officer]
        mine = [geo.index.get(c) for c in current]
        own: list[int] = []
        if None not in mine:
            need_in = set(mine)
            for pattern in sets:
                if need_in <= set(pattern):
                    own.append(column(f"stay_{officer}_{'-'.join(map(str, pattern))}",
                                      sum(need[i] for i in pattern) + EPS * len(current), g,
                                      pattern, 1.0))
        move = column(f"move_{officer}", -problem.move_penalty, g, (), 1.0)
        move_cols.append(move)
        rows.append(({c: 1.0 for c in [*own, move]}, 1.0, 1.0))
    pool_cols = [column(f"pool_{'-'.join(map(str, pattern))}", sum(need[i] for i in pattern), pool,
                        pattern, float(len(idle) + len(posted))) for pattern in sets]
    row = {c: 1.0 for c in pool_cols}
    row.update({c: -1.0 for c in move_cols})
    rows.append((row, -inf, float(len(idle))))
    for i in sorted(by_village):
        rows.append(({c: 1.0 for c in by_village[i]}, -inf, 1.0))
    return Model(names=names, cost=cost, lower=lower, upper=upper, rows=rows, columns=columns,
                 groups=groups)


_banner_done = False


def _highs() -> highspy.Highs:
    """A silent HiGHS instance. The first construction in a process prints a banner on the
    C-level stdout, which would corrupt `polmas plan --json`: it goes to /dev/null."""
    global _banner_done
    if not _banner_done:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_done = True
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _postings_from(problem: Problem, geo: Geometry, model: Model, values) -> dict[str, list[str]]:
    """Stayers keep their column; the pool's patterns go to moved officers first (each to
    the one whose current villages it overlaps most), then to idle and new officers."""
    postings: dict[str, list[str]] = {o: [] for o in problem.officers()}
    pool = len(model.groups) - 1
    moved: list[str] = []
    handed: list[list[str]] = []
    for col, (g, pattern) in enumerate(model.columns):
        count = round(values[col])
        if count <= 0:
            continue
        if g == pool:
            handed.extend([geo.free[i].code for i in pattern] for _ in range(count))
        elif pattern:
            postings[model.groups[g][0]] = sorted(geo.free[i].code for i in pattern)
        else:
            moved.append(model.groups[g][0])
    handed.sort(key=lambda vs: vs)
    for officer in moved:
        if not handed:
            break
        current = set(problem.current.get(officer, []))
        best = max(range(len(handed)), key=lambda n: (len(current & set(handed[n])), -n))
        postings[officer] = sorted(handed.pop(best))
    for officer in model.groups[pool]:
        if not handed:
            break
        postings[officer] = sorted(handed.pop(0))
    return postings


def _start(model: Model, geo: Geometry, base: Solution) -> list[float]:
    """The greedy plan as a start vector of the pattern model."""
    start = [0.0] * len(model.columns)
    pool = len(model.groups) - 1
    group_of = {model.groups[g][0]: g for g in range(pool)}
    column = {}
    for c, (g, p) in enumerate(model.columns):
        column.setdefault((g, p), c)
    for officer, codes in base.postings.items():
        key = tuple(sorted(geo.index[c] for c in codes))
        g = group_of.get(officer)
        if g is not None and officer not in base.moved:
            if (g, key) in column:
                start[column[g, key]] = 1.0
            continue
        if g is not None:
            start[column[g, ()]] = 1.0
        if key and (pool, key) in column:
            start[column[pool, key]] += 1.0
    return start


def solve(problem: Problem, time_limit: float = TIME_LIMIT) -> Solution:
    """The optimal postings of one Polsek (HiGHS), never worse than the greedy baseline."""
    geo = Geometry(problem)
    base = greedy(problem, geo)
    officers = problem.officers()
    if not officers or not geo.free:
        return Solution(postings={o: [] for o in officers}, need_covered=base.need_covered,
                        moved=base.moved, objective=base.objective, gap=0.0, solver="trivial")
    try:
        model = build(problem, geo)
    except OverflowError:
        base.status = "too many patterns"
        base.gap = 1.0  # unproven: reported as such, never hidden
        return base
    h = _highs()
    h.setOptionValue("mip_rel_gap", GAP)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    n = len(model.names)
    inf = highspy.kHighsInf
    h.addVars(n, model.lower, model.upper)
    h.changeColsCost(n, list(range(n)), model.cost)
    h.changeColsIntegrality(n, list(range(n)), [highspy.HighsVarType.kInteger] * n)
    starts, index, value, lo_rows, up_rows = [], [], [], [], []
    for coefs, lo, up in model.rows:
        starts.append(len(index))
        index.extend(coefs)
        value.extend(coefs.values())
        lo_rows.append(-inf if lo == -math.inf else lo)
        up_rows.append(inf if up == math.inf else up)
    h.addRows(len(model.rows), lo_rows, up_rows, len(index), starts, index, value)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    sol = highspy.HighsSolution()
    sol.col_value = _start(model, geo, base)
    sol.value_valid = True
    h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit) \
            or info.primal_solution_status == 0:
        return base  # nothing better found: the greedy plan stands, reported as such
    postings = _postings_from(problem, geo, model, h.getSolution().col_value)
    covered, moved, objective = evaluate(problem, postings)
    optimal = status == highspy.HighsModelStatus.kOptimal
    gap = max(0.0, float(info.mip_gap)) if math.isfinite(info.mip_gap) else (0.0 if optimal else 1.0)
    if objective < base.objective - 1e-9:
        base.gap = gap
        return base
    return Solution(postings=postings, need_covered=covered, moved=moved, objective=objective,
                    gap=gap, solver="highs",
                    status="optimal" if optimal else "time limit")
