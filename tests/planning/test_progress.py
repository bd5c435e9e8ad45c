"""The road map's projection on a series with a planted trend, and the status rule."""

import random

import pytest

from polmas.planning.progress import Projection, project, range_of, status_of


def test_the_projection_recovers_a_planted_trend():
    rng = random.Random(7)
    years = list(range(2015, 2026))
    values = [40 + 3 * (y - 2015) + rng.gauss(0, 1) for y in years]
    p = project(years, values, 2030)
    truth = 40 + 3 * 15
    assert p.value == pytest.approx(truth, abs=3)
    assert p.low < truth < p.high
    assert p.high - p.low < 10


def test_an_exact_line_projects_exactly():
    p = project([2020, 2021, 2022, 2023], [46, 50, 54, 58], 2030)
    assert p.value == pytest.approx(86)


def test_a_steep_share_is_projected_to_100_percent_not_past_it():
    # 60 -> 90 in three years: the straight line reaches 177% by 2030 (the bug seen nationally)
    years, values = [2023, 2024, 2025], [60.0, 75.0, 90.0]
    assert project(years, values, 2030).value == pytest.approx(165)  # unclipped: a line
    p = project(years, values, 2030, bounds=range_of("officer_coverage"))
    assert p.value == 100 and p.high == 100
    assert 0 <= p.low <= 100
    assert status_of("officer_coverage", 95, p) == "on_track"


def test_days_to_resolve_are_never_projected_below_zero():
    p = project([2023, 2024, 2025], [30.0, 20.0, 11.0], 2030, bounds=range_of("median_days"))
    assert p.value == 0 and p.low == 0
    assert p.high >= 0
    assert range_of("median_days") == (0.0, None)


def test_too_few_years_give_no_projection():
    assert project([2024, 2025], [40, 50], 2030) is None


def test_the_status_rule():
    p = Projection(value=80, low=70, high=90)
    assert status_of("officer_coverage", 75, p) == "on_track"
    assert status_of("officer_coverage", 85, p) == "at_risk"
    assert status_of("officer_coverage", 95, p) == "off_track"
    assert status_of("officer_coverage", None, p) == "no_target"
    assert status_of("officer_coverage", 50, None) == "no_data"
    # median days: lower is better
    d = Projection(value=10, low=6, high=14)
    assert status_of("median_days", 12, d) == "on_track"
    assert status_of("median_days", 8, d) == "at_risk"
    assert status_of("median_days", 5, d) == "off_track"
