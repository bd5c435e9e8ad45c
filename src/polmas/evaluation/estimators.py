"""Estimators on an in-memory monthly panel; no database here.

The panel is a pandas DataFrame with one row per place and month:
``place`` (str, village code), ``cluster`` (str, regency code), ``t`` (int, 1 .. T, consecutive
months), ``y`` (float, the outcome) and ``g`` (int, the month index the place was first
treated, 0 for never treated).

The estimators are the maintained libraries' (ADR 0025): ``csdid`` (Callaway and Sant'Anna's
group-time effects, aggregated, with the clustered multiplier bootstrap), ``pysyncon``
(synthetic control) and ``statsmodels`` (naive two-way fixed effects, and the independent 2x2
regressions that cross-check csdid). What is written here is the domain around them: effects
in percent of the counterfactual level, the pre-trend Wald test on the event study, and the
placebo-in-space loop.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

NEVER = "never"
NOT_YET = "not_yet"
POOLS = (NEVER, NOT_YET)
MIN_TREATED = 1
MIN_COMPARISON = 5
MIN_TREATED_CLUSTERS = 5  # fewer treated regencies than this: clustered by village instead
PRE_WINDOW = 12  # months before the start shown in the event study and tested for pre-trends


class EstimationRefused(ValueError):
    """The panel cannot carry the estimate; ``code`` names the reason, ``field`` the input."""

    def __init__(self, code: str, field: str, message: str = ""):
        super().__init__(message or code)
        self.code = code
        self.field = field


@dataclass
class Estimate:
    method: str
    att: float  # average effect on the treated, in outcome units per place-month
    se: float
    ci_low: float
    ci_high: float
    baseline: float  # counterfactual mean of the treated, post period, per place-month
    estimate_pct: float
    ci_low_pct: float
    ci_high_pct: float
    pre_trend_p: float | None
    n_treated: int
    n_comparison: int
    n_clusters: int
    event: list[dict] = field(default_factory=list)  # {"e", "att", "se", "pct"}
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        def r(x):
            return None if x is None or not math.isfinite(x) else round(float(x), 4)

        return {
            "method": self.method,
            "estimate_pct": r(self.estimate_pct),
            "ci_low_pct": r(self.ci_low_pct),
            "ci_high_pct": r(self.ci_high_pct),
            "pre_trend_p": r(self.pre_trend_p),
            "n_treated": self.n_treated,
            "n_comparison": self.n_comparison,
        }


def check_panel(panel: pd.DataFrame, *, pool: str = NEVER) -> tuple[int, int]:
    """Refuse a panel that cannot be estimated; returns (n_treated, n_comparison)."""
    if pool not in POOLS:
        raise EstimationRefused("bad_pool", "pool")
    units = panel.groupby("place", sort=False)["g"].first()
    treated = units[units > 0]
    if len(treated) < MIN_TREATED:
        raise EstimationRefused("no_treated", "intervention")
    tmin, tmax = int(panel["t"].min()), int(panel["t"].max())
    if (treated <= tmin).all():
        raise EstimationRefused("no_pre_period", "period")
    if (treated > tmax).all():
        raise EstimationRefused("no_post_period", "period")
    comparable = (units == 0) if pool == NEVER else (units == 0) | (units > treated.min())
    n_comp = int(comparable.sum())
    if n_comp < MIN_COMPARISON:
        raise EstimationRefused("pool_too_small", "pool")
    if float(panel["y"].std()) == 0.0 or not np.isfinite(panel["y"]).all():
        raise EstimationRefused("no_variation", "outcome")
    return len(treated), n_comp


def _quiet(fn, *args, **kwargs):
    """csdid prints its tables; keep the terminal and the server log clean."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _prepare(panel: pd.DataFrame, tmax: int, weights: str | None = None) -> pd.DataFrame:
    cols = ["place", "cluster", "t", "g", "y"] + (["area"] if "area" in panel.columns else [])
    df = panel[cols].copy()
    if weights:
        df["w"] = panel[weights].astype(float).to_numpy()
    # A place first treated after the data ends is, within the data, never treated.
    df.loc[df["g"] > tmax, "g"] = 0
    df["id"] = pd.factorize(df["place"])[0] + 1
    df["cl"] = pd.factorize(df["cluster"])[0] + 1
    df["y"] = df["y"].astype(float)
    return df.sort_values(["id", "t"]).reset_index(drop=True)


def _baseline(df: pd.DataFrame, att: float) -> float:
    """Counterfactual mean of the treated in their post months: observed mean minus the effect.

    csdid's simple aggregation weights every post (g, t) cell by its group's size, which on a
    balanced panel is the mean over treated place-months after the start, so the percent below
    is the effect relative to what those place-months would have had without the programme."""
    post = df[(df["g"] > 0) & (df["t"] >= df["g"])]
    if "w" in post.columns:
        return float(np.average(post["y"], weights=post["w"])) - att
    return float(post["y"].mean()) - att


def _pct(x: float, baseline: float) -> float:
    return 100.0 * x / baseline if baseline > 0 else float("nan")


WEBB = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])


def cluster_scores(inf: np.ndarray, cluster: np.ndarray, group: np.ndarray, *,
                   power: float = 0.5) -> np.ndarray:
    """The influence function summed within clusters, each cluster's part in each group
    (cohort, or the never treated) divided by (1 - h) ** power, h = m / n its leverage (the
    cluster's share of the group's places). ``power`` 0.5 is CR2 (Bell and McCaffrey 2002: the
    variance unbiased under independent errors), 1 is CR3 (exactly the cluster jackknife for a
    difference of group means; MacKinnon, Nielsen and Webb 2023), 0 the plain sums that csdid
    bootstraps.

    Exact for the never-treated pool, where every ATT(g, t) is a difference of two group
    means; with the not-yet-treated pool a place is also a comparison in other cohorts' cells,
    where its share is smaller, so the correction is then a little conservative."""
    _, cl = np.unique(cluster, return_inverse=True)
    k = int(cl.max()) + 1
    out = np.zeros(k)
    for gg in np.unique(group):
        mask = group == gg
        part = np.bincount(cl[mask], weights=inf[mask], minlength=k)
        h = np.bincount(cl[mask], minlength=k) / mask.sum()
        out += np.where(h < 1, part / np.where(h < 1, 1 - h, 1) ** power, part)
    return out


def cluster_interval(att: float, inf: np.ndarray, cluster: np.ndarray, group: np.ndarray, *,
                     treated_clusters: int, seed: int, biters: int, alpha: float = 0.05,
                     small: bool = True) -> tuple[float, float, float, float]:
    """(se, low, high, critical value) of the effect from its influence function (csdid's, per
    place, on the scale n * (estimate - truth)).

    The wild cluster bootstrap: the CR2 cluster scores (``cluster_scores``) are multiplied by
    Webb's six-point weights (Webb 2014; with few clusters Rademacher weights have few
    distinct draws) ``biters`` times; the standard error is the draws' standard deviation and
    the critical value Student's t on G - 1 degrees of freedom, G the clusters holding treated
    places. ``small=False`` (the clusters are the places themselves): the normal critical value.

    csdid's own bootstrap (Rademacher weights on the plain cluster sums, an interquartile
    standard error) is not used: ADR 0025 gives the placebo rates of both."""
    n = len(inf)
    scores = cluster_scores(inf, cluster, group)
    rng = np.random.default_rng([seed, 25])
    draws = rng.choice(WEBB, size=(biters, len(scores))) @ scores / n
    se = float(draws.std(ddof=1)) if biters > 1 else float(np.sqrt((scores**2).sum()) / n)
    crit = (float(stats.t.ppf(1 - alpha / 2, treated_clusters - 1))
            if small and treated_clusters > 1 else float(stats.norm.ppf(1 - alpha / 2)))
    return se, att - crit * se, att + crit * se, crit


def staggered_did(panel: pd.DataFrame, *, pool: str = NEVER, seed: int = 0,
                  biters: int = 999, alpha: float = 0.05, weights: str | None = None) -> Estimate:
    """Callaway-Sant'Anna ATT(g, t) by outcome regression (no covariates), aggregated over all
    post cells ("simple"), with a wild cluster bootstrap on csdid's influence function
    (``cluster_interval``); the event study and its pre-trend test come from the dynamic
    aggregation. ``weights`` names a column of place weights constant over time (the survey
    panel's answers per regency)."""
    from csdid.att_gt import ATTgt

    n_treated, n_comp = check_panel(panel, pool=pool)
    tmax = int(panel["t"].max())
    df = _prepare(panel, tmax, weights=weights)
    treated_clusters = int(df.loc[df["g"] > 0, "cl"].nunique())
    if treated_clusters < MIN_TREATED_CLUSTERS and (df["cl"].nunique() < df["id"].nunique()):
        # Cluster-robust variances need several treated clusters; with the treated inside one
        # or two regencies they are far too small (MacKinnon and Webb 2017), so the bootstrap
        # draws by place instead, and the result says so.
        df["cl"] = df["id"]
        cluster_by = "village"
    else:
        cluster_by = "regency"
    n_clusters = int(df["cl"].nunique())
    model = ATTgt(yname="y", tname="t", idname="id", gname="g", data=df,
                  control_group="nevertreated" if pool == NEVER else "notyettreated",
                  clustervar="cl", weights_name="w" if weights else None, alp=alpha,
                  cband=False)
    try:
        # csdid's analytic standard errors are not used: the interval is computed below on
        # its public influence functions.
        model = _quiet(model.fit, est_method="reg", base_period="varying", bstrap=False)
        simple = _quiet(model.aggte, typec="simple", bstrap=False).atte
        dyn = _quiet(model.aggte, typec="dynamic", bstrap=False, min_e=-PRE_WINDOW).atte
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as exc:
        raise EstimationRefused("not_estimable", "pool", str(exc)) from exc
    att = float(np.asarray(simple["overall_att"]).reshape(-1)[0])
    if not math.isfinite(att):
        raise EstimationRefused("not_estimable", "pool")
    units = df.groupby("id", sort=True).agg(cl=("cl", "first"), g=("g", "first"))
    cl, grp = units["cl"].to_numpy(), units["g"].to_numpy()
    inf = np.asarray(simple["inf_function"]["simple_att"], dtype=float).reshape(-1)
    small = cluster_by == "regency"
    g_eff = int(len(np.unique(cl[grp > 0])))
    se, lo, hi, z = cluster_interval(att, inf, cl, grp, treated_clusters=g_eff, seed=seed,
                                     biters=biters, alpha=alpha, small=small)
    base = _baseline(df, att)
    egt = np.asarray(dyn["egt"], dtype=int)
    eatt = np.asarray(dyn["att_egt"], dtype=float)
    einf = np.asarray(dyn["inf_function"]["dynamic_inf_func_e"], dtype=float)
    # Each month's interval: the same CR2 cluster scores, analytic (no draws).
    ese = np.array([np.sqrt((cluster_scores(einf[:, j], cl, grp) ** 2).sum()) / len(cl)
                    for j in range(einf.shape[1])])
    event = [{"e": int(e), "att": float(a), "se": float(s), "pct": _pct(a, base),
              "low_pct": _pct(a - z * s, base), "high_pct": _pct(a + z * s, base)}
             for e, a, s in zip(egt, eatt, ese, strict=True)]
    pre_p = _pre_trend_p(dyn, df)
    return Estimate(
        method="callaway_santanna", att=att, se=se, ci_low=lo, ci_high=hi, baseline=base,
        estimate_pct=_pct(att, base), ci_low_pct=_pct(lo, base), ci_high_pct=_pct(hi, base),
        pre_trend_p=pre_p, n_treated=n_treated, n_comparison=n_comp, n_clusters=n_clusters,
        event=event, extra={"cluster_by": cluster_by, "biters": biters, "critical_value": float(z),
                            "treated_clusters": treated_clusters,
                            "wild_cluster_bootstrap": "webb", "scores": "CR2"},
    )


def _pre_trend_p(dyn: dict, df: pd.DataFrame) -> float | None:
    """Pre-trend test: is the average of the pre-start event-study effects zero?

    With csdid's "varying" base each pre-start effect is a month-to-month change of the treated
    against the comparison places, so their average is the treated places' own trend before the
    start: what a failure of parallel trends looks like. The test is a t test with the
    influence functions summed within clusters and G - 1 degrees of freedom, G the clusters
    holding treated places (where the variation of the effects comes from). A joint Wald test
    of all twelve months was tried first: with a cluster-robust covariance from 20 clusters it
    'failed' nine times in ten on data without any pre-trend, and after a small-sample
    correction it no longer saw a drift of 6% a month."""
    egt = np.asarray(dyn["egt"], dtype=int)
    inf = np.asarray(dyn["inf_function"]["dynamic_inf_func_e"], dtype=float)
    att = np.asarray(dyn["att_egt"], dtype=float)
    units = df.groupby("id", sort=True)["cl"].first().to_numpy()
    n = inf.shape[0]
    if len(units) != n:
        return None
    treated = df.groupby("id", sort=True)["g"].first().to_numpy() > 0
    g = len(np.unique(units[treated]))
    pre_idx = np.flatnonzero((egt < 0) & np.isfinite(att))
    if len(pre_idx) == 0 or g < 2:
        return None
    mean = float(att[pre_idx].mean())
    mean_inf = inf[:, pre_idx].mean(axis=1)
    sums = np.zeros(units.max() + 1)
    np.add.at(sums, units, mean_inf)
    se = float(np.sqrt((sums**2).sum()) / n)
    if not se > 0:
        return None
    return float(2 * stats.t.sf(abs(mean / se), g - 1))


def twfe(panel: pd.DataFrame) -> Estimate:
    """Naive two-way fixed effects: y on a treated-and-started dummy with place and month fixed
    effects (statsmodels OLS on the within-transformed data), clustered by regency. Shown only
    to prove why it is not used: with staggered starts and effects that differ by cohort it
    compares late starters against early ones and is biased (Goodman-Bacon 2021)."""
    import statsmodels.api as sm

    n_treated, n_comp = check_panel(panel, pool=NEVER)
    tmax = int(panel["t"].max())
    df = _prepare(panel, tmax)
    d = ((df["g"] > 0) & (df["t"] >= df["g"])).astype(float)
    y = df["y"]
    # Balanced panel: the within transform is two demeanings.
    def within(s):
        return (s - s.groupby(df["id"]).transform("mean") - s.groupby(df["t"]).transform("mean")
                + s.mean())
    fit = sm.OLS(within(y), within(d).to_frame("d")).fit(
        cov_type="cluster", cov_kwds={"groups": df["cl"]})
    att, se = float(fit.params["d"]), float(fit.bse["d"])
    base = _baseline(df, att)
    lo, hi = att - 1.96 * se, att + 1.96 * se
    return Estimate(method="twfe", att=att, se=se, ci_low=lo, ci_high=hi, baseline=base,
                    estimate_pct=_pct(att, base), ci_low_pct=_pct(lo, base),
                    ci_high_pct=_pct(hi, base), pre_trend_p=None, n_treated=n_treated,
                    n_comparison=n_comp, n_clusters=int(df["cl"].nunique()))


def attgt_cells(panel: pd.DataFrame, *, pool: str = NEVER) -> pd.DataFrame:
    """csdid's ATT(g, t) cells with their analytic (unclustered) standard errors."""
    from csdid.att_gt import ATTgt

    check_panel(panel, pool=pool)
    df = _prepare(panel, int(panel["t"].max()))
    model = ATTgt(yname="y", tname="t", idname="id", gname="g", data=df,
                  control_group="nevertreated" if pool == NEVER else "notyettreated")
    model = _quiet(model.fit, est_method="reg", base_period="varying", bstrap=False)
    r = model.results
    return pd.DataFrame({"g": np.asarray(r["group"], dtype=int),
                         "t": np.asarray(r["year"], dtype=int),
                         "att": np.asarray(r["att"], dtype=float),
                         "se": np.asarray(r["se"], dtype=float)})


def attgt_by_ols(panel: pd.DataFrame, g: int, t: int) -> tuple[float, float]:
    """The same ATT(g, t) as an independent statsmodels regression: for cohort g against the
    never treated, regress the change y_t - y_base (base = g-1 after the start, t-1 before it,
    csdid's "varying" base) on a cohort dummy; the coefficient is the 2x2 difference in
    differences and its HC0 standard error is the influence-function one."""
    import statsmodels.api as sm

    df = _prepare(panel, int(panel["t"].max()))
    base = g - 1 if t >= g else t - 1
    wide = df[df["t"].isin([base, t])].pivot(index="id", columns="t", values="y")
    grp = df.groupby("id")["g"].first()
    keep = grp[(grp == g) | (grp == 0)].index
    dy = (wide.loc[keep, t] - wide.loc[keep, base]).to_numpy()
    x = sm.add_constant((grp.loc[keep] == g).astype(float).to_numpy())
    fit = sm.OLS(dy, x).fit(cov_type="HC0")
    return float(fit.params[1]), float(fit.bse[1])


def synthetic_control(panel: pd.DataFrame, *, max_donors: int = 20) -> Estimate:
    """Synthetic control (pysyncon's ``Synth``) for one treated area: the treated places'
    mean path against a weighted mix of the comparison areas (each area is a ``cluster`` of the
    never treated, the mean of its places), fitted on the pre-start months. Inference is
    placebo-in-space: each comparison area in turn is treated as if it had started, and the
    p-value is the treated area's rank in post/pre RMSPE ratio (Abadie et al. 2010)."""
    from pysyncon import Synth

    n_treated, n_comp = check_panel(panel, pool=NEVER)
    tmax = int(panel["t"].max())
    df = _prepare(panel, tmax)
    starts = df.loc[df["g"] > 0, "g"].unique()
    if len(starts) != 1:
        raise EstimationRefused("not_single_area", "intervention")
    g0 = int(starts[0])
    treated = df[df["g"] > 0].groupby("t")["y"].mean().rename("__treated__")
    # Donor areas: districts when the panel has them (the demo's villages), else clusters.
    key = "area" if "area" in df.columns else "cluster"
    donors = df[df["g"] == 0].pivot_table(index="t", columns=key, values="y", aggfunc="mean")
    pre_t = [t for t in donors.index if t < g0]
    # The donor pool: the areas closest to the treated one in their pre-start level (Abadie
    # 2021 advises a pool of similar units; it also keeps each fit small and fast).
    distance = (donors.loc[pre_t].mean() - treated.loc[pre_t].mean()).abs()
    donors = donors[distance.sort_values(kind="stable").index[:max_donors]]
    if donors.shape[1] < 3:
        raise EstimationRefused("pool_too_small", "pool")
    def fit_one(z1: pd.Series, z0: pd.DataFrame) -> pd.Series:
        """Gap path (treated minus synthetic) for one treated series."""
        x0, x1 = z0.loc[pre_t], z1.loc[pre_t]
        s = Synth()
        s.fit(X0=x0, X1=x1, Z0=x0, Z1=x1, custom_V=np.ones(len(pre_t)))
        return z1 - (z0 @ s.W)

    gap = fit_one(treated, donors)
    cols = list(donors.columns)

    def ratio(gp: pd.Series) -> float:
        pre = float(np.sqrt((gp.loc[gp.index < g0] ** 2).mean()))
        post = float(np.sqrt((gp.loc[gp.index >= g0] ** 2).mean()))
        return post / pre if pre > 0 else float("inf")

    ratios = []
    for c in cols:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ratios.append(ratio(fit_one(donors[c], donors.drop(columns=[c]))))
    r0 = ratio(gap)
    p = (1 + sum(r >= r0 for r in ratios)) / (1 + len(ratios))
    post_gap = gap.loc[gap.index >= g0]
    att = float(post_gap.mean())
    synth_post = float((treated.loc[treated.index >= g0] - post_gap).mean())
    pct = _pct(att, synth_post)
    return Estimate(method="synthetic_control", att=att, se=float("nan"), ci_low=float("nan"),
                    ci_high=float("nan"), baseline=synth_post, estimate_pct=pct,
                    ci_low_pct=float("nan"), ci_high_pct=float("nan"), pre_trend_p=None,
                    n_treated=n_treated, n_comparison=n_comp,
                    n_clusters=int(df["cl"].nunique()),
                    event=[{"e": int(t - g0), "att": float(v), "pct": _pct(float(v), synth_post)}
                           for t, v in gap.items()],
                    extra={"placebo_p": p, "placebos": len(ratios),
                           "pre_rmspe": float(np.sqrt((gap.loc[gap.index < g0] ** 2).mean()))})
