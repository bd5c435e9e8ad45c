"""Outbreak detectors on weekly count arrays: small functions, no database.

Every detector takes `counts`, an (n series, T weeks) array, and the index `t` of the week
judged, and answers a `Signal`: for each series the observed count, the count expected and
whether it alarms. Only weeks before `t` (and, for the baselines, before a guard band) are
used as the baseline, so a rising run does not hide itself by raising its own baseline.

- EARS C1, C2, C3 (Hutwagner et al. 2003): a z-score against the mean and standard deviation
  of the 7 weeks before (C1) or before a 2-week guard (C2); C3 sums the last three C2 excesses.
- `negbin`: a negative-binomial regression (statsmodels GLM) per district with a level per
  village and yearly seasonality (one sine/cosine pair), fitted on the weeks before the guard
  band; a week alarms when the count of the last 1, 2 or 3 weeks is improbable under the
  fitted distribution. Farrington-like: a seasonal baseline, a dispersion estimated from the
  data, a one-sided upper tail.
- `neighbourhood`: a circular scan over the same fitted expectations: each village with its
  nearest villages (haversine distance under a radius, same district) is a candidate
  cluster, judged on its summed counts over 2 or 3 weeks; of overlapping alarmed clusters
  only the most significant is kept, so that one cluster is one alarm.
- `negbin_pooled`: `negbin`, plus `neighbourhood` where no village of the cluster alarmed
  alone (the default until the scan replaced it; kept for the bench's comparison).
- `scan` (the default, `combined`): an expectation-based space-time scan (Kulldorff 2001,
  Neill 2005) on the same fitted expectations. The candidate clusters are every village
  alone and with its 1 to 4 nearest villages (`neighbours`), the windows the last 1 and 2
  weeks; each is scored by the upper-tail probability of its summed count under the
  negative-binomial baseline. The scan's multiple testing is paid for per district: a
  cluster alarms when its smallest tail probability is under SCAN_P divided by the number of
  candidate clusters (Bonferroni over the clusters; SCAN_P is calibrated by simulation, on
  planted calibration worlds, to a false-alarm rate under one per district-year summed over
  the district's three village groups: bench/early_warning.py --calibrate). Of overlapping
  alarmed clusters only the most significant is kept.

Sparse villages: a baseline never expects less than MIN_EXPECTED a week, the EARS standard
deviation is floored at MIN_SD, and no alarm is raised on fewer than MIN_COUNT reports (one
report in a quiet village is not an alarm). Sensitive groups are counted per district only
(counts.py), where the same functions run on the district's series.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_EXPECTED = 0.2  # reports a week: the floor of every baseline
MIN_SD = 1.0  # EARS: the floor of the baseline's standard deviation
MIN_COUNT = 3  # fewer reports than this (in the window judged) never alarm
GUARD = 3  # weeks left out of the baseline: the week judged and the two before
WINDOWS = (1, 2, 3)  # weeks summed by the negative-binomial tests
SEASON = 52.1775  # weeks in a year

# Upper-tail probabilities at which the negative-binomial detectors alarm, chosen on a
# training seed so that false alarms stay at or under one per district-year (bench).
P_VILLAGE = 3e-4
P_POOL = 3e-4

# The scan (the default): a cluster alarms when its tail probability is under SCAN_P / the
# district's number of candidate clusters. A district is judged on VILLAGE_SERIES series (its
# village groups: property, violence, disorder), each scanned on its own, so their false alarms
# add: each series gets a third of the district's budget. Calibrated on the planted worlds of
# seeds 3, 4 and 5 (300 districts each), never on the seeds the bench reports:
# `bench/early_warning.py --calibrate --seed 3 --runs 3 --districts 300 --budget 0.85` gives
# each world's level (-log10 SCAN_P) at 0.85 false alarms per district-year over its three
# groups, 0.283 per series (2.25, 2.40, 2.30); the highest is taken, leaving room under the
# target of 1 for the calibration's own error.
VILLAGE_SERIES = 3
SCAN_LEVEL = 2.40
SCAN_P = 10.0 ** -SCAN_LEVEL
SCAN_WINDOWS = (1, 2)  # weeks summed: an outbreak is to be flagged within its first two weeks


@dataclass(frozen=True)
class Signal:
    observed: np.ndarray  # (n,) the count judged (one week, or the window the detector sums)
    expected: np.ndarray  # (n,) what the baseline expected for the same window
    alarm: np.ndarray  # (n,) bool
    weeks: np.ndarray | None = None  # (n,) weeks summed in `observed` (1 when None)


def _ears_z(counts: np.ndarray, t: int, lag: int) -> tuple[np.ndarray, np.ndarray]:
    base = counts[:, max(0, t - lag - 7):t - lag].astype(float)
    mean = base.mean(axis=1)
    sd = np.maximum(base.std(axis=1, ddof=1) if base.shape[1] > 1 else 0.0, MIN_SD)
    return (counts[:, t] - mean) / sd, mean


def ears_c1(counts: np.ndarray, t: int, *, threshold: float = 3.0) -> Signal:
    """EARS C1: this week against the 7 weeks just before."""
    z, mean = _ears_z(counts, t, 0)
    obs = counts[:, t].astype(float)
    return Signal(obs, mean, (z > threshold) & (obs >= MIN_COUNT))


def ears_c2(counts: np.ndarray, t: int, *, threshold: float = 3.0) -> Signal:
    """EARS C2: this week against the 7 weeks before a 2-week guard."""
    z, mean = _ears_z(counts, t, GUARD)
    obs = counts[:, t].astype(float)
    return Signal(obs, mean, (z > threshold) & (obs >= MIN_COUNT))


def ears_c3(counts: np.ndarray, t: int, *, threshold: float = 2.0) -> Signal:
    """EARS C3: the C2 excesses over 1 of this week and the two before, summed."""
    total = np.zeros(counts.shape[0])
    for k in range(3):
        z, _ = _ears_z(counts, t - k, GUARD)
        total += np.maximum(z - 1.0, 0.0)
    _, mean = _ears_z(counts, t, GUARD)
    obs = counts[:, t].astype(float)
    return Signal(obs, mean, (total > threshold) & (obs >= MIN_COUNT))


# --- negative-binomial baseline ---------------------------------------------------------------

@dataclass(frozen=True)
class Baseline:
    """Fitted expectations for the weeks asked, and the dispersion (NB2: var = mu + alpha mu^2)."""

    mu: np.ndarray  # (n, weeks asked)
    alpha: float


def season_design(weeks: np.ndarray) -> np.ndarray:
    """The yearly sine and cosine of `weeks`: the seasonal columns every baseline fit shares
    (detectors.nb_baseline one district at a time, baselines.nb_baselines many at once)."""
    angle = 2 * np.pi * weeks / SEASON
    return np.column_stack([np.sin(angle), np.cos(angle)])


def nb_baseline(history: np.ndarray, history_weeks: np.ndarray, predict_weeks: np.ndarray) -> Baseline:
    """Fit log mu = village level + yearly sine/cosine on `history` (n, H), weeks numbered by
    `history_weeks` (weeks since any fixed origin); predict for `predict_weeks`.

    The seasonality is shared by the villages (a district's), each village has its own level.
    Fitted by alternating the levels in closed form (for given seasonality, a village's level
    is its total over its seasonal profile) with statsmodels' GLM for the seasonality (the
    levels as offset): Poisson first, the dispersion then estimated by the Cameron-Trivedi
    auxiliary regression, then a negative-binomial GLM. Villages with under 3 reports in the
    history are left out of the fit and expected at their own mean (at least MIN_EXPECTED)."""
    import statsmodels.api as sm

    n, h = history.shape
    totals = history.sum(axis=1)
    fitted = np.flatnonzero(totals >= 3)
    season_p = season_design(np.asarray(predict_weeks, dtype=float))
    mu = np.tile(np.maximum(totals / max(h, 1), MIN_EXPECTED)[:, None], (1, len(predict_weeks)))
    alpha = 0.2
    if not len(fitted) or h < 8:
        return Baseline(mu=mu, alpha=alpha)
    season_h = season_design(np.asarray(history_weeks, dtype=float))
    x = np.tile(season_h, (len(fitted), 1))
    y = history[fitted].reshape(-1).astype(float)
    b = np.zeros(2)
    family = sm.families.Poisson()
    try:
        for step in range(4):
            profile = np.exp(season_h @ b)
            levels = np.log(totals[fitted] / profile.sum())
            offset = np.repeat(levels, h)
            # hasconst=False: the design has no constant (the levels are the offset); saying so
            # spares statsmodels a rank check per fit (a third of a national run's time).
            res = sm.GLM(y, x, family=family, offset=offset, hasconst=False).fit(start_params=b)
            b = np.asarray(res.params)
            if step == 1:  # the dispersion from the Poisson fit, then negative binomial
                m = res.fittedvalues
                aux = ((y - m) ** 2 - y) / m
                alpha = float(min(max(sm.OLS(aux, m, hasconst=False).fit().params[0], 0.01), 5.0))
                family = sm.families.NegativeBinomial(alpha=alpha)
    except (np.linalg.LinAlgError, ValueError):
        return Baseline(mu=mu, alpha=alpha)
    if np.all(np.isfinite(b)):
        levels = np.log(totals[fitted] / np.exp(season_h @ b).sum())
        mu[fitted] = np.exp(levels[:, None] + (season_p @ b)[None, :])
    return Baseline(mu=np.maximum(mu, MIN_EXPECTED), alpha=alpha)


def nb_tail(observed: np.ndarray, mu: np.ndarray, alpha: float, k: int | np.ndarray = 1) -> np.ndarray:
    """P(X >= observed) for X the sum of k NB2 weeks of total mean `mu` (approximated as one
    NB2 with size k/alpha)."""
    size = np.asarray(k, dtype=float) / alpha
    p = size / (size + mu)
    return stats.nbinom.sf(np.asarray(observed) - 1, size, p)


def _window(values: np.ndarray, end: int, k: int) -> np.ndarray:
    return values[:, max(end - k + 1, 0):end + 1].sum(axis=1)


def negbin(counts: np.ndarray, t: int, baseline: Baseline, col: int, *, p: float = P_VILLAGE) -> Signal:
    """The count of this week, or of the last 2 or 3 weeks, improbable under the fitted
    baseline (`col` is week t's column in baseline.mu, the weeks before precede it); the
    window with the smallest tail probability is the one reported."""
    best = np.ones(counts.shape[0])
    obs = counts[:, t].astype(float)
    mu = baseline.mu[:, col].copy()
    weeks = np.ones(counts.shape[0], dtype=int)
    for k in WINDOWS:
        o, m = _window(counts, t, k).astype(float), _window(baseline.mu, col, k)
        tail = np.where(o >= MIN_COUNT + k - 1, nb_tail(o, m, baseline.alpha, k), 1.0)
        better = tail < best
        best, obs, mu, weeks = (np.where(better, tail, best), np.where(better, o, obs),
                                np.where(better, m, mu), np.where(better, k, weeks))
    return Signal(obs, mu, best < p / len(WINDOWS), weeks)


# --- neighbourhoods ---------------------------------------------------------------------------

def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


@dataclass(frozen=True)
class Pools:
    """Candidate clusters: members[i] is the set of villages of cluster i, centred on centre[i]."""

    members: np.ndarray  # (m, n) bool
    centre: np.ndarray  # (m,) int


SIZES = (1, 2, 3, 4, 5)  # villages in a candidate cluster of the scan: a village and its nearest
POOL_SIZES = (2, 3, 4, 6)  # the same for the `neighbourhood` detector (pools only, no village alone)


def neighbours(lat: np.ndarray, lon: np.ndarray, district: np.ndarray, *, radius_km: float = 5.0,
               sizes: tuple[int, ...] = SIZES) -> Pools:
    """Candidate clusters as a circular scan builds them: each village with its k - 1 nearest
    villages of the same district within `radius_km`, for k in `sizes` (1: the village alone).
    Villages without coordinates join only the clusters of one village (when 1 is a size)."""
    lat, lon, district = np.asarray(lat, float), np.asarray(lon, float), np.asarray(district)
    n = len(lat)
    dist = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    dist = np.where(np.isnan(dist) | (district[:, None] != district[None, :]), np.inf, dist)
    np.fill_diagonal(dist, 0.0)
    order = np.argsort(dist, axis=1)
    members, centres, seen = [], [], set()
    for i in range(n):
        near = [int(j) for j in order[i] if dist[i, j] <= radius_km]
        for k in sizes:
            if len(near) < k:
                break
            key = frozenset(near[:k])
            if key in seen:
                continue
            seen.add(key)
            row = np.zeros(n, dtype=bool)
            row[near[:k]] = True
            members.append(row)
            centres.append(i)
    if not members:
        return Pools(np.zeros((0, n), dtype=bool), np.zeros(0, dtype=int))
    return Pools(np.array(members), np.array(centres))


def neighbourhood(counts: np.ndarray, t: int, baseline: Baseline, col: int, pools: Pools, *,
                  p: float = P_POOL) -> Signal:
    """Each candidate cluster judged on its summed counts over the last 2 or 3 weeks; of
    overlapping alarmed clusters only the most significant is kept (answers per cluster)."""
    w = pools.members.astype(float)
    size = w.sum(axis=1)
    tail = np.ones(len(size))
    obs, mu, weeks = np.zeros(len(size)), np.zeros(len(size)), np.full(len(size), 2)
    for k in WINDOWS[1:]:
        o = w @ _window(counts, t, k).astype(float)
        m = w @ _window(baseline.mu, col, k)
        tk = np.where(o >= MIN_COUNT + k - 1, nb_tail(o, m, baseline.alpha, k * size), 1.0)
        better = (tk < tail) | (k == WINDOWS[1])
        tail, obs, mu = np.where(better, tk, tail), np.where(better, o, obs), np.where(better, m, mu)
        weeks = np.where(better, k, weeks)
    raw = tail < p / (len(WINDOWS) - 1)
    keep = np.zeros_like(raw)
    taken = np.zeros(pools.members.shape[1], dtype=bool)
    for i in np.argsort(tail, kind="stable"):
        if not raw[i]:
            break
        if not (pools.members[i] & taken).any():
            keep[i] = True
            taken |= pools.members[i]
    return Signal(obs, mu, keep, weeks)


def negbin_pooled(counts: np.ndarray, t: int, baseline: Baseline, col: int, pools: Pools) -> tuple[
        Signal, list[np.ndarray]]:
    """The village test, and the cluster test (`pools` as `neighbours(..., sizes=POOL_SIZES)`)
    where no village of the cluster alarmed on its own. Answers one signal per alarm and the
    villages each one names. The default before the scan."""
    village = negbin(counts, t, baseline, col)
    pooled = neighbourhood(counts, t, baseline, col, pools)
    hit = np.flatnonzero(village.alarm)
    groups = [np.array([i]) for i in hit]
    obs, exp = list(village.observed[hit]), list(village.expected[hit])
    weeks = list(village.weeks[hit]) if village.weeks is not None else [1] * len(hit)
    for c in np.flatnonzero(pooled.alarm):
        if not (pools.members[c] & village.alarm).any():
            groups.append(np.flatnonzero(pools.members[c]))
            obs.append(pooled.observed[c])
            exp.append(pooled.expected[c])
            weeks.append(int(pooled.weeks[c]) if pooled.weeks is not None else 2)
    n = len(groups)
    return Signal(np.array(obs, dtype=float), np.array(exp, dtype=float), np.ones(n, dtype=bool),
                  np.array(weeks, dtype=int)), groups


# --- the scan (the default) -------------------------------------------------------------------

@dataclass(frozen=True)
class Scores:
    """Every candidate cluster's best window: its score (-log10 of the tail probability times
    the number of candidate clusters: above SCAN_LEVEL alarms), count, expectation, weeks."""

    score: np.ndarray  # (m,)
    observed: np.ndarray
    expected: np.ndarray
    weeks: np.ndarray


def scan_scores(counts: np.ndarray, t: int, baseline: Baseline, col: int, pools: Pools, *,
                windows: tuple[int, ...] = SCAN_WINDOWS) -> Scores:
    """Score each candidate cluster of `pools` on its summed counts over each window ending at
    week t (column `col` of baseline.mu); a window with fewer than MIN_COUNT reports scores
    nothing (one report in a quiet village is not an alarm)."""
    w = pools.members.astype(float)
    m = len(w)
    size = w.sum(axis=1)
    tail = np.ones(m)
    obs, mu, weeks = np.zeros(m), np.zeros(m), np.full(m, windows[0])
    for k in windows:
        o = w @ _window(counts, t, k).astype(float)
        e = w @ _window(baseline.mu, col, k)
        tk = np.where(o >= MIN_COUNT, nb_tail(o, e, baseline.alpha, k * size), 1.0)
        better = (tk < tail) | (k == windows[0])
        tail, obs, mu = np.where(better, tk, tail), np.where(better, o, obs), np.where(better, e, mu)
        weeks = np.where(better, k, weeks)
    score = -np.log10(np.maximum(tail, 1e-300)) - np.log10(max(m, 1))
    return Scores(score, obs, mu, weeks)


def scan_pick(members: np.ndarray, score: np.ndarray, level: float) -> np.ndarray:
    """The alarmed clusters (indices, best first): above `level`, each overlapping no better one."""
    picked = []
    taken = np.zeros(members.shape[1], dtype=bool)
    above = np.flatnonzero(score > level)
    for i in above[np.argsort(-score[above], kind="stable")]:
        if not (members[i] & taken).any():
            picked.append(int(i))
            taken |= members[i]
    return np.array(picked, dtype=int)


def scan(counts: np.ndarray, t: int, baseline: Baseline, col: int, pools: Pools, *,
         level: float = SCAN_LEVEL) -> tuple[Signal, list[np.ndarray]]:
    """The expectation-based space-time scan: one signal per alarm (count, expectation and
    weeks of its cluster's best window) and the villages each one names."""
    sc = scan_scores(counts, t, baseline, col, pools)
    picked = scan_pick(pools.members, sc.score, level)
    groups = [np.flatnonzero(pools.members[c]) for c in picked]
    return Signal(sc.observed[picked], sc.expected[picked], np.ones(len(picked), dtype=bool),
                  sc.weeks[picked].astype(int)), groups


def combined(counts: np.ndarray, t: int, baseline: Baseline, col: int, pools: Pools) -> tuple[
        Signal, list[np.ndarray]]:
    """The default detector the weekly run uses: the scan over `pools` (as `neighbours` makes
    them: every village alone and with its nearest). One signal per alarm and the villages
    each one names."""
    return scan(counts, t, baseline, col, pools)
