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
    rows = list(rows)
    names = sorted({name for name, _yes in indicators.values()} | set(TRUST_INDEX_ITEMS))
    answers = pl.DataFrame([{n: a.get(n) for n in names} for _c, _w, a in rows],
                           schema={n: pl.Utf8 for n in names}, orient="row")
    base = pl.DataFrame({"village": [r[0] for r in rows], "w": [float(r[1]) for r in rows]},
                        schema={"village": pl.Utf8, "w": pl.Float64})
    cols = [pl.when(pl.col(name).is_null()).then(None)
            .otherwise(pl.col(name).is_in(list(yes)).cast(pl.Float64)).alias(key)
            for key, (name, yes) in indicators.items()]
    parts = []
    for name, (low, high, reverse) in TRUST_INDEX_ITEMS.items():
        scaled = (pl.col(name).cast(pl.Float64, strict=False) - low) / (high - low)
        parts.append((1 - scaled if reverse else scaled).alias(f"part_{name}"))
    df = pl.concat([base, answers.select(cols + parts)], how="horizontal")
    part_names = [f"part_{k}" for k in TRUST_INDEX_ITEMS]
    df = df.with_columns((100 * pl.mean_horizontal(part_names)).alias(TRUST_INDEX),
                         pl.any_horizontal(pl.col(part_names).is_null()).alias("_gap"))
    df = df.with_columns(pl.when(pl.col("_gap")).then(None).otherwise(pl.col(TRUST_INDEX))
                         .alias(TRUST_INDEX)).drop("_gap")
    return df.with_columns(regency=pl.col("village").str.slice(0, 5),
                           province=pl.col("village").str.slice(0, 2))


DESIGN = {"stratum": "regency", "psu": "village", "wgt": "w", "singleton": "center"}
# Rows per svy call for the province and regency domains (see `estimate`).
CHUNK_ROWS = 10_000


def _sample(data: pl.DataFrame) -> svy.Sample:
    # A regency where only one village answered has no variance of its own: centre it on the
    # grand mean (R survey's "adjust"), which is conservative, rather than refuse the wave.
    return svy.Sample(data, svy.Design(**DESIGN))


def _published(y: str, level: int, code: str, n: int, r: dict, scale: float) -> Cell:
    if n < MIN_N or r["se"] is None or not math.isfinite(r["se"]):
        return Cell(y, level, code, n)
    # A share's interval stays within 0-100 (the linearised one can cross a bound).
    return Cell(y, level, code, n, scale * r["est"], scale * r["se"], max(0.0, scale * r["lci"]),
                min(100.0, scale * r["uci"]), int(r["df"]))


def _scale(y: str) -> float:
    return 1.0 if y == TRUST_INDEX else 100.0


def _chunks(data: pl.DataFrame) -> list[pl.DataFrame]:
    """Whole provinces together, about CHUNK_ROWS rows a chunk."""
    sizes = data.group_by("province").len().sort("province").iter_rows()
    groups: list[list[str]] = [[]]
    rows = 0
    for province, n in sizes:
        if rows and rows + n > CHUNK_ROWS:
            groups.append([])
            rows = 0
        groups[-1].append(province)
        rows += n
    return [data.filter(pl.col("province").is_in(g)) for g in groups if g]


def estimate(df: pl.DataFrame, indicators: list[str], *, regency: list[str] | None = None) -> list[Cell]:
    """Each indicator for the country and the provinces; for the regencies those in `regency`
    (default: all).

    The same numbers as one svy call per indicator and level over the whole design (the test
    checks to 1e-9), but cheaper:
    - the rows answering an indicator are the design's rows; indicators answered by the same
      rows share one svy design (one `Sample`), and the country's means of those indicators
      come from one batched svy call (`mean` with a list);
    - a province or regency is a domain made of whole strata, so its estimate, standard error
      and (per-domain) degrees of freedom depend only on its own strata: svy's domain
      estimation runs on chunks of whole provinces, whose cost grows with rows x domains.
    """
    wanted = [y for y in indicators if y in df.columns]
    if not wanted:
        return []
    masks = df.select([pl.col(y).is_not_null().alias(y) for y in wanted])
    groups: dict[bytes, list[str]] = {}
    for y in wanted:
        groups.setdefault(masks[y].to_numpy().tobytes(), []).append(y)
    cells: list[Cell] = []
    for ys in groups.values():
        data = df.filter(pl.col(ys[0]).is_not_null())
        if data.height == 0:
            continue
        n = data.height
        country = _sample(data).estimation.mean(ys)
        for y, est in zip(ys, country, strict=True):
            r = est.to_polars().row(0, named=True)
            cells.append(_published(y, 0, "", n, r, _scale(y)))
        for level in (1, 2):
            by = LEVELS[level]
            counts = dict(data.group_by(by).len().iter_rows())
            ys_level = [y for y in ys if level == 1 or regency is None or y in regency]
            if not ys_level:
                continue
            seen: dict[str, set[str]] = {y: set() for y in ys_level}
            for chunk in _chunks(data):
                sample = _sample(chunk)
                for y in ys_level:
                    for r in sample.estimation.mean(y, by=by).to_polars().iter_rows(named=True):
                        code = r[by]
                        seen[y].add(code)
                        cells.append(_published(y, level, code, counts.get(code, 0), r, _scale(y)))
            for y in ys_level:
                cells += [Cell(y, level, code, k) for code, k in counts.items() if code not in seen[y]]
    order = {y: i for i, y in enumerate(wanted)}
    cells.sort(key=lambda c: (order[c.indicator], c.level, c.code))
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
