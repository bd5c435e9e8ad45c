"""Many districts' negative-binomial baselines at once: detectors.nb_baseline, vectorised.

A national run fits 20,835 baselines (7,285 districts x 3 groups, 514 regencies for sensitive
matters). detectors.nb_baseline fits each with statsmodels' GLM: four IRLS fits of a
2-parameter model a district, where statsmodels' per-call overhead (model set-up, a WLS per
iteration, a results object) is most of the time. Here the same steps run for every block
of a group together, on numpy arrays:

- the same model: a level per village in closed form, a shared sine/cosine seasonality;
- the same fits: Poisson from zero, Poisson again, the Cameron-Trivedi dispersion, then
  negative binomial twice, each fit warm-started from the one before;
- the same IRLS as statsmodels' GLM (generalized_linear_model._fit_irls): the same working
  response and weights (with the families' clipping), the same deviance, the same stopping
  rule (the deviance changes by at most 1e-8, at most 100 iterations), the 2x2 weighted
  least squares solved in closed form (statsmodels solves it with lstsq; the difference is
  rounding, ~1e-12);
- the same fall-backs: a block whose fit breaks (a non-finite weight or working response:
  statsmodels' ValueError) keeps its villages' means and the dispersion reached so far.

tests/earlywarning/test_speed_same.py checks, on a seeded world, that the fitted expectations
match detectors.nb_baseline within 1e-6 and that the alarms are the same: a change to
nb_baseline must be made here too, and that test says so.
"""

import numpy as np

from polmas.earlywarning import detectors as d

EPS = np.finfo(float).eps
TOL = 1e-8  # statsmodels' GLM default: the deviance's change at convergence
MAXITER = 100  # statsmodels' GLM default


def _deviance_rows(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """Each row's deviance (summed over its weeks), as statsmodels' Poisson and NB2 families
    compute it; `alpha` is per row (negative binomial) or None (Poisson)."""
    ylog = y * np.log(np.clip(y / mu, EPS, np.inf))
    if alpha is None:
        dev = ylog - (y - mu)
    else:
        inv = (1.0 / alpha)[:, None]
        dev = ylog - (y + inv) * np.log((y + inv) / (mu + inv))
    return 2 * dev.sum(axis=1)


def _seasonal(b: np.ndarray, season: np.ndarray) -> np.ndarray:
    """b @ season.T for (rows, 2) by (weeks, 2), written out: a 2-term product is no work
    for BLAS, whose threads only add overhead here."""
    return b[:, :1] * season[:, 0] + b[:, 1:] * season[:, 1]


def _runs(gid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each run of equal block ids (gid is sorted), and the runs' block ids."""
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])
    return starts, gid[starts]


def _irls(y, offset, gid, season, b, alpha, ok):
    """statsmodels' IRLS for every block still `ok`, warm-started at `b` (blocks, 2); rows
    (y, offset) of block gid (sorted, every block with rows); Poisson when alpha is None, else
    NB2 with each block's alpha. Answers the new b, the fitted means per row and the blocks
    whose fit broke (statsmodels would have raised ValueError)."""
    sq = np.column_stack([season[:, 0] ** 2, season[:, 0] * season[:, 1], season[:, 1] ** 2])
    b = b.copy()
    row_alpha = None if alpha is None else alpha[gid]
    mu = np.exp(_seasonal(b[gid], season) + offset)
    starts, _ = _runs(gid)
    dev = np.add.reduceat(_deviance_rows(y, mu, row_alpha), starts)  # per block, blocks 0..n-1
    broke = ok & np.isnan(dev)
    active = ok & ~broke
    sel = active[gid]  # the rows of the blocks still iterating
    for _ in range(MAXITER):
        if not sel.any():
            break
        ys, offs, gs, mus = y[sel], offset[sel], gid[sel], mu[sel]
        ra = None if row_alpha is None else row_alpha[sel]
        m = np.clip(mus, EPS, np.inf)  # as the Log link's and the variances' _clean
        var = m if ra is None else m + ra[:, None] * m ** 2
        w = 1.0 / ((1.0 / m) ** 2 * var)
        z = _seasonal(b[gs], season) + (1.0 / m) * (ys - mus)
        starts, blocks = _runs(gs)
        bad = ~(np.isfinite(np.sqrt(w)).all(axis=1) & np.isfinite(np.sqrt(w) * z).all(axis=1))
        if bad.any():
            broke[np.unique(gs[bad])] = True
        xwx = np.add.reduceat(w, starts, axis=0) @ sq  # (blocks, 3): the 2x2 X'WX
        xwz = np.add.reduceat(w * z, starts, axis=0) @ season  # (blocks, 2): X'Wz
        det = xwx[:, 0] * xwx[:, 2] - xwx[:, 1] ** 2
        new = np.column_stack([(xwx[:, 2] * xwz[:, 0] - xwx[:, 1] * xwz[:, 1]) / det,
                               (xwx[:, 0] * xwz[:, 1] - xwx[:, 1] * xwz[:, 0]) / det])
        keep = ~broke[blocks]
        b[blocks[keep]] = new[keep]
        mus = np.exp(_seasonal(b[gs], season) + offs)
        mu[sel] = mus
        newdev = np.add.reduceat(_deviance_rows(ys, mus, ra), starts)
        done = np.abs(newdev - dev[blocks]) <= TOL  # np.allclose(atol=1e-8, rtol=0)
        dev[blocks] = newdev
        active[blocks[done | broke[blocks]]] = False
        sel = active[gid]
    return b, mu, broke


def nb_baselines(histories: list[np.ndarray], history_weeks: np.ndarray,
                 predict_weeks: np.ndarray) -> list[d.Baseline]:
    """detectors.nb_baseline(history, history_weeks, predict_weeks) for each history of
    `histories` (each (villages, H), the same weeks), fitted together."""
    season_h = d.season_design(np.asarray(history_weeks, dtype=float))
    season_p = d.season_design(np.asarray(predict_weeks, dtype=float))
    out: list[d.Baseline | None] = [None] * len(histories)
    fit: list[int] = []  # the histories fitted (the others keep their means)
    means, rows_fitted = [], []
    for i, history in enumerate(histories):
        n, h = history.shape
        totals = history.sum(axis=1)
        mean = np.tile(np.maximum(totals / max(h, 1), d.MIN_EXPECTED)[:, None], (1, len(predict_weeks)))
        means.append(mean)
        fitted = np.flatnonzero(totals >= 3)
        rows_fitted.append(fitted)
        if not len(fitted) or h < 8:
            out[i] = d.Baseline(mu=mean, alpha=0.2)
        else:
            fit.append(i)
    if not fit:
        return out
    y = np.concatenate([histories[i][rows_fitted[i]] for i in fit]).astype(float)
    gid = np.concatenate([np.full(len(rows_fitted[i]), k) for k, i in enumerate(fit)])
    totals = y.sum(axis=1)
    nb = len(fit)
    b = np.zeros((nb, 2))
    alpha = np.full(nb, 0.2)
    ok = np.ones(nb, dtype=bool)
    poisson = True
    for step in range(4):
        profile = np.exp(b @ season_h.T).sum(axis=1)  # (blocks,)
        offset = np.log(totals / profile[gid])[:, None]
        b, m, broke = _irls(y, offset, gid, season_h, b, None if poisson else alpha, ok)
        ok &= ~broke
        if step == 1:  # the dispersion from the Poisson fit (an OLS through the origin), then NB
            aux = ((y - m) ** 2 - y) / m
            starts, _ = _runs(gid)
            slope = (np.add.reduceat((m * aux).sum(axis=1), starts)
                     / np.add.reduceat((m * m).sum(axis=1), starts))
            for k in np.flatnonzero(ok):
                alpha[k] = float(min(max(float(slope[k]), 0.01), 5.0))
            poisson = False
    starts, _ = _runs(gid)
    ends = np.r_[starts[1:], len(gid)]
    for k, i in enumerate(fit):
        mu = means[i]
        if ok[k] and np.all(np.isfinite(b[k])):
            fitted = rows_fitted[i]
            levels = np.log(totals[starts[k]:ends[k]] / np.exp(season_h @ b[k]).sum())
            mu[fitted] = np.exp(levels[:, None] + (season_p @ b[k])[None, :])
        out[i] = d.Baseline(mu=np.maximum(mu, d.MIN_EXPECTED), alpha=float(alpha[k]))
    return out
