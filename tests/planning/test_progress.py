"""The road map's projection on a series with a planted trend, and the status rule."""

import random

import pytest

from polmas.planning.progress import Projection, project, status_of


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
