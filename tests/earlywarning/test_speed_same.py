"""The national run's faster paths give the same results as the plain ones: the districts'
baselines fitted together (baselines.nb_baselines) against statsmodels one district at a
time (detectors.nb_baseline), and the run reading its counts as arrays against reading them
row by row, on seeded worlds: the same expectations (within 1e-6) and the same alarms."""

import datetime as dt

import numpy as np
import pytest

from earlywarning.helpers import LAST
from polmas.earlywarning import detectors as d
from polmas.earlywarning import planted, run
from polmas.earlywarning.baselines import nb_baselines
from polmas.earlywarning.models import WeeklyCount
from polmas.regions.models import Region


def one_by_one(histories, history_weeks, predict_weeks):
    return [d.nb_baseline(h, history_weeks, predict_weeks) for h in histories]


@pytest.fixture(scope="module")
def world():
    return planted.world_simulate(seed=11, districts=12)


def _blocks(world, t):
    weeks = np.arange(world.counts.shape[1])
    blocks = [world.counts[world.district == k] for k in range(world.districts)]
    # and the edges: a silent district, one with two reports, one too short to fit, a busy one
    rng = np.random.default_rng(5)
    blocks += [np.zeros((6, world.counts.shape[1]), dtype=int),
               np.eye(2, world.counts.shape[1], t - 10, dtype=int),
               rng.poisson(40.0, (4, world.counts.shape[1]))]
    hist = [b[:, :t - d.GUARD + 1] for b in blocks]
    hist.append(blocks[0][:, :7])
    return blocks, hist, weeks[:t - d.GUARD + 1], weeks[t - 2:t + 1]


@pytest.mark.parametrize("offset", [0, 17, 51])
def test_baselines_fitted_together_are_statsmodels_one_by_one(world, offset):
    t = world.eval_from + offset
    _, hist, hw, pw = _blocks(world, t)
    together = nb_baselines(hist, hw, pw)
    alone = one_by_one(hist, hw, pw)
    assert len(together) == len(alone)
    for a, b in zip(alone, together, strict=True):
        assert b.mu.shape == a.mu.shape
        np.testing.assert_allclose(b.mu, a.mu, rtol=1e-6, atol=0)
        assert b.alpha == pytest.approx(a.alpha, rel=1e-9)
    assert len({round(a.alpha, 6) for a in alone}) > 3  # the fits really differ per district


def test_the_same_alarms_every_week_of_a_year(world):
    """The default detector over the world's evaluated year (every other week), with either
    fit: the same alarms, and there are alarms to compare."""
    where = [world.district == k for k in range(world.districts)]
    pools = [d.neighbours(world.lat[w], world.lon[w], np.zeros(int(w.sum()), dtype=int)) for w in where]
    seen = {"together": [], "alone": []}
    for t in range(world.eval_from, world.counts.shape[1], 2):
        blocks, hist, hw, pw = _blocks(world, t)
        blocks, hist = blocks[:world.districts], hist[:world.districts]
        for name, fit in (("together", nb_baselines), ("alone", one_by_one)):
            for k, (block, baseline) in enumerate(zip(blocks, fit(hist, hw, pw), strict=True)):
                sig, hit = d.combined(block, t, baseline, 2, pools[k])
                seen[name] += [(t, k, tuple(h), int(o), round(float(e), 9))
                               for h, o, e in zip(hit, sig.observed, sig.expected, strict=True)]
    assert len(seen["alone"]) > 20
    assert seen["together"] == seen["alone"]


@pytest.fixture
def counts(db):
    """Seeded weekly counts for every village of three districts (Tejakula's among them) and
    every district of their regencies, 80 weeks to LAST, with a tripled run in two villages."""
    rng = np.random.default_rng(7)
    districts = ["51.08.09", "51.08.01", "51.01.01"]
    villages = list(Region.objects.filter(level=4, parent_id__in=districts).order_by("code")
                    .values_list("code", flat=True))
    assert len(villages) > 20
    weeks = [LAST - dt.timedelta(weeks=k) for k in range(79, -1, -1)]
    rows = []
    for group, places in (("property", villages), ("violence", villages),
                          ("sensitive", sorted({v[:8] for v in villages}))):
        level = np.exp(rng.normal(0, 0.8, len(places)))[:, None] * (
            1 + 0.3 * np.sin(2 * np.pi * np.arange(80) / d.SEASON + rng.uniform(0, 6)))
        if group == "property":
            level[:2, -3:] *= 4
        c = rng.negative_binomial(4.0, 4.0 / (4.0 + level))
        rows += [WeeklyCount(region_id=places[i], group=group, week=weeks[j], count=int(c[i, j]))
                 for i, j in zip(*np.nonzero(c), strict=True)]
    WeeklyCount.objects.bulk_create(rows)
    return villages


def _read_row_by_row(group, since, week):
    """The run's reader before it read arrays: one ORM row at a time."""
    n = (week - since).days // 7 + 1
    series = {}
    for place, monday, count in WeeklyCount.objects.filter(group=group, week__gte=since, week__lte=week) \
            .values_list("region_id", "week", "count"):
        series.setdefault(place, np.zeros(n))[(monday - since).days // 7] = count
    return series, n


@pytest.mark.parametrize("group", ["property", "violence", "sensitive"])
def test_the_run_reads_and_finds_the_same(counts, group, monkeypatch):
    since = LAST - dt.timedelta(weeks=79)
    fast, n = run._read(("property", "violence", "disorder", "sensitive"), since, LAST)[group]
    assert run._read(("disorder",), since, LAST)["disorder"] == ({}, 80)
    slow, n_slow = _read_row_by_row(group, since, LAST)
    assert n == n_slow == 80
    assert fast.keys() == slow.keys() and len(fast) > 2
    for place, values in slow.items():
        np.testing.assert_array_equal(fast[place], values)
    found = run.detect(group, LAST, since, counts=(fast, n))
    monkeypatch.setattr(run, "_series", _read_row_by_row)
    assert run.detect(group, LAST, since, fit=one_by_one) == found
    if group == "property":
        assert {v for f in found for v in f.villages} & set(counts[:2])
