"""Estimates against a planted truth: coverage of the regencies' 95% intervals, standard
errors against an independent computation, suppression of small cells, change between waves."""

import numpy as np
import pytest

from polmas.surveys import estimates, planted, sampling
from polmas.surveys.estimates import Cell, change
from polmas.surveys.models import Estimate
from polmas.surveys.standard import ITEMS


class _Item:
    def __init__(self, d):
        self.__dict__.update({"indicator": "", "positive": ""} | d)


INDICATORS = estimates.indicators_of([_Item(d) for d in ITEMS])


def _frame(seed: int, regencies: int = 12):
    rng = np.random.default_rng(99)
    return {f"{11 + i // 9:02d}.{i % 9 + 1:02d}": [
        (f"{11 + i // 9:02d}.{i % 9 + 1:02d}.01.{j:04d}", float(rng.uniform(500, 5000)))
        for j in range(int(rng.integers(40, 250)))] for i in range(regencies)}


def _wave(frame, seed: int, n_target: int = 300):
    pops = {r: sum(s for _, s in v) for r, v in frame.items()}
    village_p, truth = planted.plant(frame, pops, seed=seed)
    drawn = {r: sampling.draw_regency(v, n_target=n_target, per_village=10,
                                      rng=np.random.default_rng([seed, k]))
             for k, (r, v) in enumerate(sorted(frame.items()))}
    df = estimates.frame(list(planted.respondents(drawn, village_p, seed=seed, response_rate=0.85)),
                         INDICATORS)
    return df, truth


def test_regency_intervals_cover_the_planted_truth_about_95_percent_of_the_time():
    frame = _frame(0)
    hits = total = 0
    for rep in range(12):  # 12 waves x 12 regencies x 2 indicators = 288 intervals (bench: many more)
        df, truth = _wave(frame, seed=100 + rep)
        for c in estimates.estimate(df, ["feel_safe", "trust_police"]):
            if c.level == 2:
                hits += planted.covered(truth[c.code][c.indicator], c.low, c.high)
                total += 1
    assert total == 288
    assert 0.93 <= hits / total <= 0.97, hits / total


def test_standard_errors_match_an_independent_computation_within_2_percent():
    df, _truth = _wave(_frame(0), seed=5)
    cells = [c for c in estimates.estimate(df, ["feel_safe", "trust_police"]) if c.level == 2]
    assert len(cells) == 24
    for c in cells:
        independent = 100 * estimates.closed_form_se(df, c.indicator, c.code)
        assert abs(c.se / independent - 1) < 0.02, (c, independent)


def test_a_cell_under_30_answers_gets_no_number():
    df, _truth = _wave(_frame(0, regencies=2), seed=3, n_target=20)
    cells = [c for c in estimates.estimate(df, ["feel_safe"]) if c.level == 2]
    assert cells and all(c.n < 30 and c.value is None and c.low is None for c in cells)
    country = next(c for c in estimates.estimate(df, ["feel_safe"]) if c.level == 0)
    assert country.n >= 30 and country.value is not None


def test_a_change_is_significant_only_when_its_interval_excludes_zero():
    before = Cell("feel_safe", 2, "34.01", 500, 50.0, 2.0, 46.0, 54.0, 40)
    small = change(before, Cell("feel_safe", 2, "34.01", 500, 53.0, 2.0, 49.0, 57.0, 40))
    large = change(before, Cell("feel_safe", 2, "34.01", 500, 60.0, 2.0, 56.0, 64.0, 40))
    assert small.low < 0 < small.high and not small.significant
    assert large.low > 0 and large.significant
    assert large.diff == pytest.approx(10.0)
    assert not change(before, Cell("feel_safe", 2, "34.01", 12)).significant


def test_the_trust_index_reports_its_reliability():
    df, _truth = _wave(_frame(0, regencies=3), seed=4)
    alpha = estimates.reliability(df)
    assert alpha is not None and 0.6 < alpha["alpha"] < 1 and alpha["ci"][0] < alpha["alpha"] < alpha["ci"][1]


@pytest.mark.django_db
def test_a_stored_wave_publishes_regencies_provinces_and_the_country(wave):
    stored = Estimate.objects.filter(sample=wave, indicator="feel_safe")
    assert {e.level for e in stored} == {0, 1, 2}
    assert {e.code for e in stored if e.level == 2} == {"34.01", "34.02", "34.03", "34.04", "34.71"}
    truth = wave.method["planted"]
    for e in stored.filter(level=2):
        assert e.n >= 30 and e.low < e.value < e.high
        assert abs(e.value - 100 * truth[e.code]["feel_safe"]) < 15
    assert wave.method["trust_index_alpha"]["alpha"] > 0.6


@pytest.mark.django_db
def test_the_published_page_shows_the_change_between_waves_with_its_significance(client, wave):
    from polmas.surveys.waves import wave_simulate

    later = wave_simulate(provinces=["34"], year=wave.year, seed=8, margin=10.0, wave="second")
    assert later.pk != wave.pk
    page = client.get("/statistik/survei/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="changes"' in page and "Change since wave" in page
    # Another seed plants another truth: each change is called significant only when its
    # interval excludes zero, which the page states either way.
    assert page.count("data-significant=") == 3
