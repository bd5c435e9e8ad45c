"""The fast estimate path (one design per set of rows, chunks of whole provinces) gives the
same numbers as the plain svy use: one call per indicator and level over the whole design."""

import math

import numpy as np
import polars as pl
import pytest
import svy

from polmas.surveys import estimates, planted, sampling
from polmas.surveys.estimates import LEVELS, MIN_N, TRUST_INDEX, Cell
from polmas.surveys.standard import ITEMS


class _Item:
    def __init__(self, d):
        self.__dict__.update({"indicator": "", "positive": ""} | d)


INDICATORS = estimates.indicators_of([_Item(d) for d in ITEMS])
NAMES = [*INDICATORS, TRUST_INDEX]


def _reference(df: pl.DataFrame, y: str, level: int) -> dict[str, Cell]:
    """The plain use of svy (the code before the speed-up): filter the rows answering y,
    one design over all of them, one domain estimation by the level."""
    scale = 1.0 if y == TRUST_INDEX else 100.0
    by = LEVELS[level]
    data = df.filter(pl.col(y).is_not_null())
    counts = dict(data.group_by(by).len().iter_rows()) if by else {"": data.height}
    sample = svy.Sample(data, svy.Design(stratum="regency", psu="village", wgt="w", singleton="center"))
    est = sample.estimation.mean(y, by=by) if by else sample.estimation.mean(y)
    out = {}
    for r in est.to_polars().iter_rows(named=True):
        code = r[by] if by else ""
        n = counts.get(code, 0)
        if n < MIN_N or r["se"] is None or not math.isfinite(r["se"]):
            out[code] = Cell(y, level, code, n)
        else:
            out[code] = Cell(y, level, code, n, scale * r["est"], scale * r["se"], max(0.0, scale * r["lci"]),
                             min(100.0, scale * r["uci"]), int(r["df"]))
    for code, n in counts.items():
        out.setdefault(code, Cell(y, level, code, n))
    return out


@pytest.fixture(scope="module")
def wave():
    """Fixed seed: 5 provinces x 7 regencies, some regencies with one answering village
    (singleton strata), some with too few answers, victim_reported asked of victims only,
    and a few trust-index gaps."""
    rng = np.random.default_rng(17)
    frame = {f"{11 + i // 7:02d}.{i % 7 + 1:02d}": [
        (f"{11 + i // 7:02d}.{i % 7 + 1:02d}.01.{j:04d}", float(rng.uniform(500, 5000)))
        for j in range(int(rng.integers(20, 120)))] for i in range(35)}
    pops = {r: sum(s for _, s in v) for r, v in frame.items()}
    village_p, _truth = planted.plant(frame, pops, seed=17)
    drawn = {}
    for k, (r, v) in enumerate(sorted(frame.items())):
        n_target = 8 if k % 11 == 3 else (25 if k % 7 == 2 else 300)  # a singleton; small cells
        drawn[r] = sampling.draw_regency(v, n_target=n_target, per_village=10,
                                         rng=np.random.default_rng([17, k]))
    rows = list(planted.respondents(drawn, village_p, seed=17, response_rate=0.85))
    first = next(c for c, _w, _a in rows if c.startswith("12.04."))
    rows = [r for r in rows if not r[0].startswith("12.04.") or r[0] == first]  # one village answered
    for i, (_c, _w, a) in enumerate(rows):
        if i % 97 == 0:
            a.pop("police_fair", None)  # a gap in the trust index
    df = estimates.frame(rows, INDICATORS)
    assert df.filter(pl.col("victim_reported").is_not_null()).height < df.height / 5
    assert df.filter(pl.col(TRUST_INDEX).is_null()).height > 0
    villages = df.group_by("regency").agg(pl.col("village").n_unique().alias("k"))
    assert villages.filter(pl.col("k") == 1).height >= 1  # a singleton stratum
    return df


def test_the_fast_path_gives_the_same_estimates_and_errors_as_plain_svy(wave, monkeypatch):
    monkeypatch.setattr(estimates, "CHUNK_ROWS", 2000)  # several chunks, as nationally
    assert len(estimates._chunks(wave)) >= 3
    fast = {(c.indicator, c.level, c.code): c for c in estimates.estimate(wave, NAMES)}
    compared = published = 0
    for y in NAMES:
        for level in LEVELS:
            for code, ref in _reference(wave, y, level).items():
                got = fast.pop((y, level, code))
                assert got.n == ref.n and got.df == ref.df and got.published == ref.published, (got, ref)
                pairs = ((got.value, ref.value), (got.se, ref.se), (got.low, ref.low), (got.high, ref.high))
                for a, b in pairs:
                    assert (a is None and b is None) or abs(a - b) < 1e-9, (got, ref)
                compared += 1
                published += ref.published
    assert not fast, fast  # nothing more than the reference
    every = len(NAMES) * (1 + 5 + 35)
    assert every - 5 <= compared <= every  # a regency may have no victim to ask
    assert compared - published >= 3 * len(NAMES)  # the small regencies are withheld


def test_regency_estimates_cover_every_indicator_unless_restricted(wave):
    every = {(c.indicator, c.level) for c in estimates.estimate(wave, NAMES)}
    assert {(y, 2) for y in NAMES} <= every
    some = {(c.indicator, c.level) for c in estimates.estimate(wave, NAMES, regency=["feel_safe"])}
    assert ("feel_safe", 2) in some and ("know_fkpm", 2) not in some and ("know_fkpm", 1) in some
