"""Panels with a planted truth, for the tests, the bench and ``polmas simulate --plant-effect``.

Counts are negative binomial (a Poisson with gamma-distributed rate) around a place level, a
yearly season and a common trend; a treated place's expected count is multiplied by
``1 + effect`` from its start, the effect reaching its full size over ``ramp`` months. The true
average effect in percent is computed from the expected counts exactly as the estimators
define it: the sum of effects over the treated place-months after the start, divided by the sum
of what those place-months would have had without the programme.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Planted:
    panel: pd.DataFrame
    true_pct: float


def planted_panel(*, seed: int, places: int = 300, clusters: int = 20, months: int = 48,
                  cohorts: dict[int, float] | None = None, treated_share: float = 0.5,
                  treated_clusters: int | None = None, level: float = 12.0,
                  dispersion: float = 20.0, ramp: int = 1, drift: float = 0.0,
                  cluster_sd: float = 0.0) -> Planted:
    """``cohorts`` maps a start month (1 .. months) to its effect (e.g. -0.3). Treated places are
    spread evenly over the cohorts; ``treated_clusters`` puts them all in the first few
    clusters (one area), otherwise they are spread over all clusters."""
    rng = np.random.default_rng(seed)
    cohorts = cohorts if cohorts is not None else {25: -0.3}
    starts = sorted(cohorts)
    place_level = level * rng.lognormal(0.0, 0.4, size=places)
    cluster_of = np.arange(places) % clusters
    n_tr = int(round(places * treated_share))
    if treated_clusters:
        cand = np.flatnonzero(cluster_of < treated_clusters)
        treated_idx = cand[:n_tr]
    else:
        treated_idx = rng.choice(places, size=n_tr, replace=False)
    g = np.zeros(places, dtype=int)
    for k, i in enumerate(sorted(treated_idx)):
        g[i] = starts[k % len(starts)]
    t = np.arange(1, months + 1)
    season = 1 + 0.15 * np.sin(2 * np.pi * t / 12) + 0.003 * t
    mu0 = place_level[:, None] * season[None, :]
    # `drift`: the treated places' own trend (per month, relative), a violation of parallel
    # trends that the pre-trend test must catch.
    mu0 = mu0 * np.exp(drift * (g[:, None] > 0) * (t[None, :] - months / 2))
    if cluster_sd > 0:
        shock = rng.normal(0.0, cluster_sd, size=(clusters, months))
        mu0 = mu0 * np.exp(shock[cluster_of] - cluster_sd**2 / 2)
    eff = np.zeros_like(mu0)
    for i in np.flatnonzero(g):
        e = t - g[i]
        size = cohorts[g[i]]
        eff[i] = np.where(e >= 0, size * np.minimum(1.0, (e + 1) / ramp), 0.0)
    mu = mu0 * (1 + eff)
    lam = rng.gamma(dispersion, mu / dispersion)
    y = rng.poisson(lam)
    post = eff != 0
    true_pct = 100.0 * float((mu0 * eff)[post].sum() / mu0[post].sum()) if post.any() else 0.0
    panel = pd.DataFrame({
        "place": np.repeat([f"p{i:05d}" for i in range(places)], months),
        "cluster": np.repeat([f"c{c:03d}" for c in cluster_of], months),
        "t": np.tile(t, places),
        "g": np.repeat(g, months),
        "y": y.reshape(-1).astype(float),
    })
    return Planted(panel=panel, true_pct=true_pct)
