"""The default detector against planted outbreaks, on a small seeded world (the bench runs
the large one: bench/early_warning.py)."""

import pytest

from polmas.earlywarning import planted

SEED = 20261205


@pytest.fixture(scope="module")
def world():
    return planted.world_simulate(seed=SEED, districts=25)


@pytest.fixture(scope="module")
def figures(world):
    return planted.measure(world, "combined")


def test_the_world_plants_1_to_5_neighbouring_villages_at_2_to_4x_for_2_to_6_weeks(world):
    assert len(world.outbreaks) == 50
    for ob in world.outbreaks:
        assert 1 <= len(ob.villages) <= 5 and 2 <= ob.factor <= 4 and 2 <= ob.weeks <= 6
        assert len({int(world.district[v]) for v in ob.villages}) == 1
        assert ob.start >= world.eval_from


def test_false_alarms_at_most_one_per_district_year(figures):
    assert figures.false_per_district_year <= 1.0, figures.row()


def test_positive_predictive_value_at_least_half(figures):
    assert figures.ppv >= 0.5, figures.row()


def test_default_is_far_more_precise_than_ears(world, figures):
    ears = planted.measure(world, "ears_c2")
    assert ears.false_per_district_year > 5 * figures.false_per_district_year


@pytest.mark.xfail(strict=True, reason="not met: about 47-54% of outbreaks are flagged within 2 weeks at "
                   "<=1 false alarm per district-year, and the oracle (the same scan on the true "
                   "expectations) reaches about 47-60%: see docs/adr/0026-early-warning.md")
def test_sensitivity_at_least_85_percent_within_two_weeks(figures):
    assert figures.sensitivity >= 0.85, figures.row()


def test_sensitivity_as_measured_stays_above_50_percent(figures):
    # The floor of what is reached today (54% on this world, with each series held to a third
    # of the district's false-alarm budget), so that a regression shows.
    assert figures.sensitivity >= 0.50, figures.row()


def test_a_district_pays_for_its_three_groups():
    # The weekly run scans property, violence and disorder separately in each district; the
    # budget of one false alarm per district-year is shared by them (detectors.VILLAGE_SERIES).
    from polmas.earlywarning.detectors import VILLAGE_SERIES
    from polmas.earlywarning.groups import DISTRICT_ONLY, GROUPS

    assert len(set(GROUPS) - DISTRICT_ONLY) == VILLAGE_SERIES
    f = planted.Figures("x", outbreaks=1, detected=1, alarms=10, true_alarms=4, district_years=2.0)
    assert f.false_per_series_year == 3.0 and f.false_per_district_year == 9.0


def test_the_scan_flags_at_least_as_many_as_the_old_default_at_its_false_alarm_rate(world):
    # The old default (negbin + pooled) was tuned to one series' budget; held to the same
    # number of false alarms, the scan flags at least as many outbreaks.
    old = planted.measure(world, "negbin_pooled")
    scored = planted.scan_scored(world)
    scan = planted.measure(world, "scan", planted.above(
        scored, planted.level_at(world, scored, old.false_per_district_year)))
    assert scan.false_per_district_year <= old.false_per_district_year, (scan.row(), old.row())
    assert scan.sensitivity >= old.sensitivity, (scan.row(), old.row())


@pytest.fixture(scope="module")
def oracle(world):
    scored = planted.scan_scored(world, oracle=True)
    return planted.measure(world, "oracle", planted.above(scored, planted.level_at(world, scored, 1.0)))


def test_even_the_oracle_scan_on_the_true_expectations_stays_under_85_percent(oracle, figures):
    # Why the target is out of reach on this world: knowing every village's true expected count
    # and using the whole false-alarm budget, the same scan flags about 60% here.
    assert oracle.false_per_district_year <= 1.0, oracle.row()
    assert oracle.sensitivity < 0.85, oracle.row()
    # and the fitted default is within a few outbreaks of it
    assert figures.sensitivity >= oracle.sensitivity - 0.1, (figures.row(), oracle.row())
