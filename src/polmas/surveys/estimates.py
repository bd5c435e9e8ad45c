"""Design-based estimates of the survey's indicators per regency, province and the country.

The design: strata = regencies, clusters (PSUs) = sampled villages, weights = 1 / (P(village)
x P(household | village)). Means and their 95% intervals come from svy (Taylor linearisation,
t with the design's degrees of freedom); the trust index's reliability is Cronbach's alpha
from pingouin. A cell with fewer than MIN_N answers gets no number.
"""

import math
from dataclasses import dataclass

import numpy as np
import polars as pl
import svy
from scipy import stats

from polmas.surveys.standard import TRUST_INDEX_ITEMS

MIN_N = 30
TRUST_INDEX = "trust_index"
LEVELS = {0: None, 1: "province", 2: "regency"}


@dataclass(frozen=True)
class Cell:
    indicator: str
    level: int
    code: str
    n: int
    value: float | None = None  # percent (0-100), or index points for the trust index
    se: float | None = None
    low: float | None = None
    high: float | None = None
    df: int | None = None

    @property
    def published(self) -> bool:
        return self.value is not None


def indicators_of(items) -> dict[str, tuple[str, frozenset[str]]]:
    """{indicator: (item name, values counted as yes)} from the items' own columns."""
    return {i.indicator: (i.name, frozenset(i.positive.split())) for i in items
            if i.indicator and i.positive}


def frame(rows, indicators: dict[str, tuple[str, frozenset[str]]]) -> pl.DataFrame:
    """rows: (village code, weight, answers) -> one row per response, y as 0/1 (null when the
    item was not asked), plus the trust index (0-100) when its items are in the form."""
    village, weight = [], []
    ys: dict[str, list[float | None]] = {k: [] for k in indicators}
    index: list[float | None] = []
    parts: dict[str, list[float | None]] = {k: [] for k in TRUST_INDEX_ITEMS}
    for code, w, answers in rows:
        village.append(code)
        weight.append(w)
        for key, (name, yes) in indicators.items():
            value = answers.get(name)
            ys[key].append(None if value is None else float(value in yes))
        scaled = []
        for name, (low, high, reverse) in TRUST_INDEX_ITEMS.items():
            value = answers.get(name)
            s = None if value is None else (float(value) - low) / (high - low)
            s = 1 - s if s is not None and reverse else s
            parts[name].append(s)
            scaled.append(s)
        index.append(None if None in scaled else 100 * sum(scaled) / len(scaled))  # type: ignore[arg-type]
    df = pl.DataFrame({"village": village, "w": weight, **ys,
                       **({TRUST_INDEX: index} | {f"part_{k}": v for k, v in parts.items()})},
                      schema_overrides={k: pl.Float64 for k in [*ys, TRUST_INDEX]})
    return df.with_columns(regency=pl.col("village").str.slice(0, 5),
                           province=pl.col("village").str.slice(0, 2))


def _cells(df: pl.DataFrame, y: str, level: int, scale: float) -> list[Cell]:
    by = LEVELS[level]
    data = df.filter(pl.col(y).is_not_null())
    if data.height == 0:
        return []
    counts = (dict(data.group_by(by).len().iter_rows()) if by else {"": data.height})
    # A regency where only one village answered has no variance of its own: centre it on the
    # grand mean (R survey's "adjust"), which is conservative, rather than refuse the wave.
    sample = svy.Sample(data, svy.Design(stratum="regency", psu="village", wgt="w", singleton="center"))
    est = sample.estimation.mean(y, by=by) if by else sample.estimation.mean(y)
    out = []
    for r in est.to_polars().iter_rows(named=True):
        code = r[by] if by else ""
        n = counts.get(code, 0)
        if n < MIN_N or r["se"] is None or not math.isfinite(r["se"]):
            out.append(Cell(y, level, code, n))
            continue
        # A share's interval stays within 0-100 (the linearised one can cross a bound).
        out.append(Cell(y, level, code, n, scale * r["est"], scale * r["se"], max(0.0, scale * r["lci"]),
                        min(100.0, scale * r["uci"]), int(r["df"])))
    seen = {c.code for c in out}
    out += [Cell(y, level, code, n) for code, n in counts.items() if code not in seen]
    return out


def estimate(df: pl.DataFrame, indicators: list[str]) -> list[Cell]:
    """Every indicator at every level (country, provinces, regencies)."""
    cells = []
    for y in indicators:
        if y not in df.columns:
            continue
        scale = 1.0 if y == TRUST_INDEX else 100.0
        for level in LEVELS:
            cells += _cells(df, y, level, scale)
    return cells


def reliability(df: pl.DataFrame) -> dict | None:
    """Cronbach's alpha of the trust index's items (with its 95% interval), by pingouin."""
    import pingouin  # heavy (pandas, scipy): only when an index is computed

    cols = [f"part_{k}" for k in TRUST_INDEX_ITEMS]
    if not set(cols) <= set(df.columns):
        return None
    data = df.select(cols).drop_nulls()
    if data.height < MIN_N:
        return None
    alpha, ci = pingouin.cronbach_alpha(data=data.to_pandas())
    return {"alpha": round(float(alpha), 3), "ci": [round(float(ci[0]), 3), round(float(ci[1]), 3)],
            "n": data.height, "items": list(TRUST_INDEX_ITEMS)}


@dataclass(frozen=True)
class Change:
    before: Cell
    after: Cell
    diff: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)  # type: ignore[operator]


def change(before: Cell, after: Cell) -> Change:
    """The change between two waves (independent samples), with its own 95% interval: the
    standard errors combined, t with the smaller of the two waves' degrees of freedom."""
    if not (before.published and after.published):
        return Change(before, after, None, None, None)
    diff = after.value - before.value  # type: ignore[operator]
    se = math.hypot(before.se, after.se)  # type: ignore[arg-type]
    t = float(stats.t.ppf(0.975, max(1, min(before.df or 1, after.df or 1))))
    return Change(before, after, diff, diff - t * se, diff + t * se)


def closed_form_se(df: pl.DataFrame, y: str, regency: str) -> float:
    """The independent check (tests and bench only): the with-replacement linearisation
    variance of a ratio mean for one stratum, written out with numpy."""
    d = df.filter((pl.col("regency") == regency) & pl.col(y).is_not_null())
    w, v, yy = d["w"].to_numpy(), d["village"].to_numpy(), d[y].to_numpy()
    mean = np.sum(w * yy) / np.sum(w)
    z = w * (yy - mean) / np.sum(w)
    totals = np.array([z[v == c].sum() for c in np.unique(v)])
    k = len(totals)
    return float(math.sqrt(k / (k - 1) * np.sum((totals - totals.mean()) ** 2)))
