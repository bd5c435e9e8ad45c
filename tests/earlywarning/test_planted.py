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


@pytest.mark.xfail(strict=True, reason="not met: about 50% of outbreaks are flagged within 2 weeks at "
                   "<=1 false alarm per district-year (see docs/adr/0026-early-warning.md)")
def test_sensitivity_at_least_85_percent_within_two_weeks(figures):
    assert figures.sensitivity >= 0.85, figures.row()


def test_sensitivity_as_measured_stays_above_40_percent(figures):
    # The floor of what is reached today, so that a regression shows.
    assert figures.sensitivity >= 0.40, figures.row()
