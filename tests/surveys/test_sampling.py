"""Two-stage samples: sized for the margin, seeded and reproducible, PPS by size."""

import numpy as np
import pytest

from polmas.surveys.instruments import standard_ensure
from polmas.surveys.sampling import draw_regency, pps_probabilities, regency_size, sample_draw

pytestmark = pytest.mark.django_db


def test_the_size_follows_the_margin_design_effect_and_response():
    # 1.96^2 * 0.25 / 0.05^2 = 384.2 -> 385; x 1.5 -> 578; / 0.85 -> 680
    assert regency_size(margin=5, deff=1.5, response_rate=0.85) == 680
    assert regency_size(margin=10, deff=1.0, response_rate=1.0) == 97


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    version = standard_ensure()
    a = sample_draw(version=version, wave="a", year=2026, seed=1, provinces=["34"])
    b = sample_draw(version=version, wave="b", year=2026, seed=1, provinces=["34"])
    c = sample_draw(version=version, wave="c", year=2026, seed=2, provinces=["34"])
    codes = [set(s.villages.values_list("village_code", flat=True)) for s in (a, b, c)]
    assert codes[0] == codes[1] and codes[0] != codes[2]
    per_regency = {}
    for sv in a.villages.all():
        per_regency[sv.regency_code] = per_regency.get(sv.regency_code, 0) + sv.planned
        assert sv.village_code.startswith(sv.regency_code + ".")
    assert set(per_regency) == {"34.01", "34.02", "34.03", "34.04", "34.71"}
    assert all(n >= 680 for n in per_regency.values())  # enough households for ±5


def test_villages_are_drawn_with_probability_proportional_to_size():
    sizes = np.array([1000.0, 2000.0, 3000.0, 4000.0] * 25)
    probs = pps_probabilities(sizes, 10)
    assert probs.sum() == pytest.approx(10)
    assert probs[3] == pytest.approx(4 * probs[0])
    villages = [(f"v{i}", s) for i, s in enumerate(sizes)]
    hits = {s: 0 for s in (1000.0, 2000.0, 3000.0, 4000.0)}
    for rep in range(400):
        for d in draw_regency(villages, n_target=100, per_village=10, rng=np.random.default_rng(rep)):
            hits[d.size] += 1
    # 4000 is drawn about four times as often as 1000 (400 x 10 draws in all)
    assert 3.3 < hits[4000.0] / hits[1000.0] < 4.8


def test_a_village_too_large_for_its_share_is_taken_for_certain():
    probs = pps_probabilities(np.array([100_000.0] + [100.0] * 50), 5)
    assert probs[0] == 1.0 and probs[1:].sum() == pytest.approx(4)


def test_the_sample_command_draws_a_real_wave_once(capsys):
    from django.core.management import CommandError, call_command

    from polmas.surveys.models import Sample

    call_command("survey_sample", "standard", "--wave", "2027-1", "--provinces", "34", "--seed", "4")
    assert "680 households a regency" in capsys.readouterr().out
    assert Sample.objects.get(wave="2027-1").villages.count() > 60
    with pytest.raises(CommandError, match="already has a sample"):
        call_command("survey_sample", "standard", "--wave", "2027-1", "--provinces", "34", "--seed", "4")
    with pytest.raises(CommandError, match="--margin"):
        call_command("survey_sample", "standard", "--wave", "x", "--seed", "4", "--margin", "0")
