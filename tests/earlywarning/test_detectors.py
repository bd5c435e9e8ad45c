"""The detectors on small count arrays: each test plants what it expects to be found."""

import numpy as np

from polmas.earlywarning import detectors as d


def _flat(level: float, n: int = 4, weeks: int = 120, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).poisson(level, size=(n, weeks)).astype(float)


def test_ears_flags_a_spike_and_not_a_single_report_in_a_quiet_village():
    counts = np.zeros((2, 20))
    counts[0, :19] = np.tile([2, 3, 2, 1, 2], 4)[:19]
    counts[0, 19] = 12  # a spike in a busy village
    counts[1, 19] = 1  # one report in a village that never had one
    for detector in (d.ears_c1, d.ears_c2, d.ears_c3):
        sig = detector(counts, 19)
        assert sig.alarm.tolist() == [True, False], detector.__name__


def test_nb_baseline_follows_the_season():
    weeks = np.arange(156)
    mu = 3 * np.exp(0.5 * np.sin(2 * np.pi * weeks / d.SEASON))
    counts = np.random.default_rng(1).poisson(np.tile(mu, (5, 1)))
    base = d.nb_baseline(counts, weeks, np.array([13, 39]))  # the peak and the trough of the year
    assert base.mu[:, 0].mean() > 1.6 * base.mu[:, 1].mean()
    assert abs(base.mu[:, 0].mean() - 3 * np.exp(0.5)) < 1.0


def test_negbin_alarms_on_a_tripled_week_but_not_on_an_ordinary_one():
    counts = _flat(2.0)
    hist = counts[:, :100]
    base = d.nb_baseline(hist, np.arange(100), np.arange(98, 120))
    quiet = d.negbin(counts, 110, base, 12)
    assert not quiet.alarm.any()
    counts[1, 108:111] = [7, 8, 9]
    loud = d.negbin(counts, 110, base, 12)
    assert loud.alarm.tolist() == [False, True, False, False]
    assert loud.observed[1] >= 9 and loud.expected[1] < loud.observed[1] / 2


def test_sparse_village_one_report_is_not_an_alarm():
    counts = np.zeros((3, 60))
    counts[0, 59] = 1
    counts[1, 58:60] = 1
    base = d.nb_baseline(counts[:, :50], np.arange(50), np.arange(57, 60))
    assert (base.mu >= d.MIN_EXPECTED).all()
    assert not d.negbin(counts, 59, base, 2).alarm.any()


def test_neighbourhood_finds_two_villages_rising_together_that_each_stay_under_the_village_bar():
    lat = np.array([-8.10, -8.11, -8.30, -8.40, -8.50])
    lon = np.array([115.40, 115.41, 115.60, 115.70, 115.80])
    pools = d.neighbours(lat, lon, np.zeros(5, dtype=int), radius_km=5, sizes=d.POOL_SIZES)
    # villages 0 and 1 are 1.6 km apart
    assert pools.members[pools.centre == 0][0].tolist()[:2] == [True, True]
    assert not pools.members[pools.centre == 4].any()  # 15 km and more from everyone: no cluster
    counts = _flat(1.0, n=5, seed=8)
    base = d.nb_baseline(counts[:, :100], np.arange(100), np.arange(98, 120))
    counts[0, 108:111] = [3, 3, 3]
    counts[1, 108:111] = [3, 4, 3]
    assert not d.negbin(counts, 110, base, 12).alarm.any()
    pooled = d.neighbourhood(counts, 110, base, 12, pools)
    assert pooled.alarm.sum() == 1
    (hit,) = np.flatnonzero(pooled.alarm)
    assert set(np.flatnonzero(pools.members[hit])) == {0, 1}
    _signal, groups = d.negbin_pooled(counts, 110, base, 12, pools)
    assert [set(g.tolist()) for g in groups] == [{0, 1}]


_LAT = np.array([-8.100, -8.105, -8.110, -8.104, -8.30, -8.40])
_LON = np.array([115.400, 115.405, 115.398, 115.412, 115.60, 115.70])


def test_scan_candidates_are_each_village_alone_and_with_its_1_to_4_nearest():
    pools = d.neighbours(_LAT, _LON, np.zeros(6, dtype=int))
    sizes = pools.members.sum(axis=1)
    assert set(sizes.tolist()) == {1, 2, 3, 4}  # four villages within 5 km of each other
    assert (sizes == 1).sum() == 6  # every village alone, the far ones too
    assert not pools.members[:, 4:][sizes > 1].any()  # 4 and 5 are 15 km and more from anyone


def test_scan_finds_two_villages_rising_together_and_names_them_both():
    pools = d.neighbours(_LAT, _LON, np.zeros(6, dtype=int))
    counts = _flat(1.0, n=6, seed=8)
    base = d.nb_baseline(counts[:, :100], np.arange(100), np.arange(98, 120))
    assert d.scan(counts, 110, base, 12, pools)[1] == []  # an ordinary week: nothing
    counts[0, 109:111] = [4, 4]
    counts[1, 109:111] = [4, 5]
    sig, groups = d.combined(counts, 110, base, 12, pools)
    assert [set(g.tolist()) for g in groups] == [{0, 1}]
    assert sig.weeks.tolist() == [2] and sig.observed[0] == 17 and sig.expected[0] < 17 / 3
    # each village alone is less improbable than the two together
    scores = d.scan_scores(counts, 110, base, 12, pools)
    sizes = pools.members.sum(axis=1)
    pair = int(np.flatnonzero((sizes == 2) & pools.members[:, 0] & pools.members[:, 1])[0])
    for v in (0, 1):
        alone = int(np.flatnonzero((sizes == 1) & pools.members[:, v])[0])
        assert scores.score[alone] < scores.score[pair]


def test_scan_one_report_in_a_quiet_village_is_not_an_alarm():
    pools = d.neighbours(_LAT, _LON, np.zeros(6, dtype=int))
    counts = np.zeros((6, 60))
    counts[4, 59] = 1  # a village that never had a report
    counts[5, 58:60] = 1
    base = d.nb_baseline(counts[:, :50], np.arange(50), np.arange(57, 60))
    assert d.scan(counts, 59, base, 2, pools)[1] == []


def test_scan_keeps_the_best_of_overlapping_clusters_only():
    members = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool)
    picked = d.scan_pick(members, np.array([3.0, 5.0, 4.0, 2.5]), level=2.0)
    assert picked.tolist() == [1, 3]  # {0,1} first; {1,2} and {0} overlap it; {2} does not
    assert d.scan_pick(members, np.array([3.0, 5.0, 4.0, 2.5]), level=4.5).tolist() == [1]


def test_haversine_one_degree_of_latitude_is_about_111_km():
    assert abs(float(d.haversine_km(0, 0, 1, 0)) - 111.2) < 0.5
