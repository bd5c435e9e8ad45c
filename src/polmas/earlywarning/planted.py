"""Planted outbreaks on a simulated baseline, and the detectors measured against them.

The baseline: weekly report counts per village, negative-binomial around a village level
(log-normal across villages, from quiet to busy), yearly seasonality (a phase per district)
and a market-day effect (a village with a market on one day of the 5-day Javanese/Balinese
pasaran cycle has one or two market days in a 7-day week, and more reports in weeks with
two). The outbreaks, in the last year only: 1-5 neighbouring villages of one district at
2-4x their baseline for 2-6 weeks, at random places and weeks. The years before are the
history the baselines are fitted on.

An outbreak is detected when an alarm touching one of its villages (its village, its pool)
falls in its first two weeks. An alarm is true when it touches a village of an outbreak
running that week or the week before; every other alarm is false. False alarms are counted
per district-year: a world is one series per village (one category group), but the weekly run
judges each district on detectors.VILLAGE_SERIES groups, each scanned on its own, so a
district's false alarms are that many times a series' (false_per_series_year).

The oracle: the scan of the default detector (the same clusters, windows and statistic), fed
the world's true expected counts and dispersion instead of fitted ones, its level set on the
evaluated world itself at the false-alarm budget (so it is as good as that scan can be: an
upper bound on what any fitted baseline can reach with it).
"""

from dataclasses import dataclass, field

import numpy as np

from polmas.earlywarning import detectors as d

WEEKS_PER_YEAR = 52
DETECTORS = ("ears_c1", "ears_c2", "ears_c3", "negbin", "neighbourhood", "negbin_pooled", "combined")
DEFAULT = "combined"  # the scan (detectors.combined), what the weekly run uses


@dataclass(frozen=True)
class Outbreak:
    villages: tuple[int, ...]
    start: int  # week index
    weeks: int
    factor: float

    def running(self, t: int, *, lag: int = 1) -> bool:
        return self.start <= t <= self.start + self.weeks - 1 + lag


@dataclass
class World:
    counts: np.ndarray  # (villages, T)
    district: np.ndarray  # (villages,)
    lat: np.ndarray
    lon: np.ndarray
    eval_from: int  # first week of the evaluated year
    outbreaks: list[Outbreak] = field(default_factory=list)
    expected: np.ndarray | None = None  # (villages, T) the true baseline mean, outbreaks left out
    alpha: float = 0.25  # the true dispersion (NB2: var = mu + alpha mu^2)
    fits: dict = field(default_factory=dict, repr=False)  # district: its fitted baseline (a cache)

    @property
    def districts(self) -> int:
        return int(self.district.max()) + 1


def market_days(pasaran: np.ndarray, weeks: int) -> np.ndarray:
    """(villages, weeks): market days in each 7-day week for a market on pasaran day
    `pasaran` (0-4), or 0 for a village without a market (-1)."""
    days = np.arange(weeks * 7)
    on = (days[None, :] % 5) == pasaran[:, None]
    return np.where(pasaran[:, None] >= 0, on.reshape(len(pasaran), weeks, 7).sum(axis=2), 0)


def world_simulate(*, seed: int, districts: int = 20, years: int = 4, villages: tuple[int, int] = (10, 20),
                   outbreaks_per_district: int = 2, level_median: float = 1.0, level_spread: float = 0.8,
                   size: float = 4.0, season: float = 0.25, market: float = 0.2) -> World:
    """A seeded world; see the module docstring. `size` is the negative-binomial size (the
    dispersion is 1/size)."""
    rng = np.random.default_rng(seed)
    weeks = years * WEEKS_PER_YEAR
    per = rng.integers(villages[0], villages[1] + 1, size=districts)
    district = np.repeat(np.arange(districts), per)
    n = len(district)
    centre = np.column_stack([rng.uniform(-8.8, -8.1, districts), rng.uniform(114.5, 115.6, districts)])
    lat = centre[district, 0] + rng.normal(0, 0.03, n)
    lon = centre[district, 1] + rng.normal(0, 0.03, n)
    level = level_median * np.exp(rng.normal(0, level_spread, n))
    phase = rng.uniform(0, 2 * np.pi, districts)[district]
    w = np.arange(weeks)
    seasonal = 1 + season * np.sin(2 * np.pi * w[None, :] / d.SEASON + phase[:, None])
    pasaran = np.where(rng.random(n) < 0.5, rng.integers(0, 5, n), -1)
    markets = market_days(pasaran, weeks)
    mu = level[:, None] * seasonal * (1 + market * markets) / (1 + market * 1.4 * (pasaran[:, None] >= 0))
    eval_from = weeks - WEEKS_PER_YEAR
    outbreaks = _outbreaks(rng, district, lat, lon, eval_from, weeks, outbreaks_per_district)
    expected = mu.copy()
    for ob in outbreaks:
        mu[list(ob.villages), ob.start:ob.start + ob.weeks] *= ob.factor
    counts = rng.negative_binomial(size, size / (size + mu))
    return World(counts=counts, district=district, lat=lat, lon=lon, eval_from=eval_from, outbreaks=outbreaks,
                 expected=expected, alpha=1 / size)


def _outbreaks(rng, district, lat, lon, eval_from, weeks, per_district) -> list[Outbreak]:
    made = []
    for dist in range(int(district.max()) + 1):
        members = np.flatnonzero(district == dist)
        # Spread over the year, one per slot, so that two outbreaks of a district do not overlap.
        slot = (weeks - eval_from) // per_district
        for k in range(per_district):
            length = int(rng.integers(2, 7))
            start = eval_from + k * slot + int(rng.integers(2, max(slot - length - 1, 3)))
            centre = int(rng.choice(members))
            far = d.haversine_km(lat[centre], lon[centre], lat[members], lon[members])
            size = int(rng.integers(1, 6))
            chosen = tuple(int(v) for v in members[np.argsort(far)[:size]])
            made.append(Outbreak(chosen, start, length, float(rng.uniform(2, 4))))
    return made


@dataclass
class Figures:
    detector: str
    outbreaks: int
    detected: int
    alarms: int
    true_alarms: int
    district_years: float

    @property
    def sensitivity(self) -> float:
        return self.detected / self.outbreaks if self.outbreaks else float("nan")

    @property
    def false_per_series_year(self) -> float:
        return (self.alarms - self.true_alarms) / self.district_years

    @property
    def false_per_district_year(self) -> float:
        """Over the district's village groups, each a series like the world's."""
        return self.false_per_series_year * d.VILLAGE_SERIES

    @property
    def ppv(self) -> float:
        return self.true_alarms / self.alarms if self.alarms else float("nan")

    def row(self) -> dict:
        return {"detector": self.detector, "outbreaks": self.outbreaks, "detected": self.detected,
                "sensitivity": round(self.sensitivity, 3), "alarms": self.alarms,
                "false_per_series_year": round(self.false_per_series_year, 3),
                "false_per_district_year": round(self.false_per_district_year, 3),
                "ppv": round(self.ppv, 3)}


def _fitted(world: World, dist: int) -> d.Baseline:
    """The district's baseline fitted on the years before the evaluated one, predicting from 2
    weeks before it (the windows' first weeks) to the end."""
    if dist not in world.fits:
        e = world.eval_from
        block = world.counts[world.district == dist]
        hist = block[:, :e - d.GUARD]
        world.fits[dist] = d.nb_baseline(hist, np.arange(hist.shape[1]), np.arange(e - 2, block.shape[1]))
    return world.fits[dist]


def _pools(world: World, rows: np.ndarray, sizes: tuple[int, ...]) -> d.Pools:
    return d.neighbours(world.lat[rows], world.lon[rows], world.district[rows], sizes=sizes)


def alarms_of(world: World, name: str) -> list[tuple[int, frozenset[int]]]:
    """Every (week, villages touched) alarm of detector `name` over the evaluated year."""
    found: list[tuple[int, frozenset[int]]] = []
    e = world.eval_from
    for dist in range(world.districts):
        rows = np.flatnonzero(world.district == dist)
        block = world.counts[rows]
        baseline = pools = None
        if not name.startswith("ears_"):
            baseline = _fitted(world, dist)
            pools = _pools(world, rows, d.SIZES if name == "combined" else d.POOL_SIZES)
        for t in range(e, block.shape[1]):
            touched = _touched(name, block, t, baseline, t - (e - 2), pools)
            found += [(t, frozenset(int(rows[j]) for j in group)) for group in touched]
    return found


def _touched(name, block, t, baseline, col, pools) -> list[np.ndarray]:
    if name.startswith("ears_"):
        return [np.array([i]) for i in np.flatnonzero(getattr(d, name)(block, t).alarm)]
    if name == "negbin":
        return [np.array([i]) for i in np.flatnonzero(d.negbin(block, t, baseline, col).alarm)]
    if name == "neighbourhood":
        sig = d.neighbourhood(block, t, baseline, col, pools)
        return [np.flatnonzero(pools.members[c]) for c in np.flatnonzero(sig.alarm)]
    if name == "negbin_pooled":
        return d.negbin_pooled(block, t, baseline, col, pools)[1]
    return d.combined(block, t, baseline, col, pools)[1]


Scored = list[tuple[int, float, frozenset[int]]]


def scan_scored(world: World, *, oracle: bool = False, floor: float = 0.0) -> Scored:
    """Every alarm the scan would raise at any level above `floor`: (week, score, villages).
    At a level L the scan raises exactly those scored above L (it keeps the best of
    overlapping clusters, best first, so the alarms above L are the same at every level
    under L). `oracle`: on the world's true expectations and dispersion."""
    found: Scored = []
    e = world.eval_from
    for dist in range(world.districts):
        rows = np.flatnonzero(world.district == dist)
        block = world.counts[rows]
        if oracle:
            baseline = d.Baseline(mu=world.expected[rows][:, e - 2:], alpha=world.alpha)
        else:
            baseline = _fitted(world, dist)
        pools = _pools(world, rows, d.SIZES)
        for t in range(e, block.shape[1]):
            sc = d.scan_scores(block, t, baseline, t - (e - 2), pools)
            for c in d.scan_pick(pools.members, sc.score, floor):
                villages = frozenset(int(rows[j]) for j in np.flatnonzero(pools.members[c]))
                found.append((t, float(sc.score[c]), villages))
    return found


def _true(world: World, t: int, villages: frozenset[int]) -> bool:
    return any(ob.running(t) and not villages.isdisjoint(ob.villages) for ob in world.outbreaks)


def level_at(world: World, scored: Scored, budget: float) -> float:
    """The lowest scan level at which the false alarms stay at or under `budget` per
    district-year (over its village groups: budget / VILLAGE_SERIES per series) on `world`."""
    false = sorted((s for t, s, v in scored if not _true(world, t, v)), reverse=True)
    k = int(np.floor(budget / d.VILLAGE_SERIES * _district_years(world)))
    return false[k] if k < len(false) else min((s for _t, s, _v in scored), default=0.0)


def above(scored: Scored, level: float) -> list[tuple[int, frozenset[int]]]:
    """The alarms of the scan at `level`."""
    return [(t, v) for t, s, v in scored if s > level]


def _district_years(world: World) -> float:
    return world.districts * (world.counts.shape[1] - world.eval_from) / WEEKS_PER_YEAR


def found_early(ob: Outbreak, alarms: list[tuple[int, frozenset[int]]]) -> bool:
    """An alarm touching one of the outbreak's villages in its first two weeks."""
    return any(ob.start <= t <= ob.start + 1 and not villages.isdisjoint(ob.villages)
               for t, villages in alarms)


KINDS = (("1 village", lambda o: len(o.villages) == 1), ("2 villages", lambda o: len(o.villages) == 2),
         ("3 villages", lambda o: len(o.villages) == 3), ("4 villages", lambda o: len(o.villages) == 4),
         ("5 villages", lambda o: len(o.villages) == 5),
         ("2-2.5x", lambda o: o.factor < 2.5), ("2.5-3x", lambda o: 2.5 <= o.factor < 3),
         ("3-3.5x", lambda o: 3 <= o.factor < 3.5), ("3.5-4x", lambda o: o.factor >= 3.5),
         ("1 village 2-3x", lambda o: len(o.villages) == 1 and o.factor < 3),
         ("4-5 villages 3-4x", lambda o: len(o.villages) >= 4 and o.factor >= 3))


def by_kind(world: World, alarms: list[tuple[int, frozenset[int]]]) -> dict[str, tuple[int, int]]:
    """Outbreaks flagged within 2 weeks, and outbreaks, by size (villages) and strength (factor)."""
    out = {}
    for label, keep in KINDS:
        chosen = [o for o in world.outbreaks if keep(o)]
        out[label] = (sum(found_early(o, alarms) for o in chosen), len(chosen))
    return out


def measure(world: World, name: str, alarms: list[tuple[int, frozenset[int]]] | None = None) -> Figures:
    """Sensitivity within 2 weeks, false alarms per district-year and PPV of detector `name`."""
    alarms = alarms_of(world, name) if alarms is None else alarms
    detected = sum(found_early(ob, alarms) for ob in world.outbreaks)
    true = sum(_true(world, t, villages) for t, villages in alarms)
    return Figures(name, len(world.outbreaks), detected, len(alarms), true, _district_years(world))
