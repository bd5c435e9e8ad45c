"""Survey indicators as outcomes (issue 18 part 2): a regency x wave panel read through
surveys.selectors, a planted effect found, no effect where none is planted, and refusals that
name the outcome."""

import datetime as dt
import io

import numpy as np
import pytest
from django.utils import translation

from polmas.evaluation.models import EvaluationRun
from polmas.evaluation.services import EvaluationError, evaluate, intervention_record
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys.instruments import standard_ensure
from polmas.surveys.models import Estimate, Sample

pytestmark = pytest.mark.django_db
YEARS = (2021, 2022, 2023, 2024)
START = dt.date(2023, 3, 1)  # after the 2021 and 2022 waves (dated 1 July), before 2023's
EFFECT = 12.0  # percentage points planted on feel_safe in the treated regencies after START
TREATED = ("51.01", "51.03", "34.02", "34.04")


def regencies() -> list[str]:
    return list(Region.objects.filter(level=codes.REGENCY, code__regex=r"^(51|34)\.")
                .order_by("code").values_list("code", flat=True))


def plant_waves(seed: int = 18, effect: float = EFFECT) -> list[str]:
    """Four waves of regency estimates: a level per regency, a common change per wave, the
    sampling noise of about 300 answers, and `effect` on feel_safe in the treated regencies
    from START (trust_police: none)."""
    rng = np.random.default_rng(seed)
    version = standard_ensure()
    regs = regencies()
    level = {r: {"feel_safe": rng.uniform(45, 70), "trust_police": rng.uniform(25, 45)}
             for r in regs}
    shift = {y: rng.normal(0, 3) for y in YEARS}
    rows = []
    for year in YEARS:
        sample = Sample.objects.create(
            version=version, wave=f"{year}-uji", year=year, seed=seed, provinces="51,34",
            margin=5, deff=1.5, response_rate=0.85, households_per_village=10)
        for r in regs:
            n = int(rng.integers(250, 350))
            for ind in ("feel_safe", "trust_police"):
                value = level[r][ind] + shift[year] + rng.normal(0, 1.5)
                if ind == "feel_safe" and r in TREATED and dt.date(year, 7, 1) >= START:
                    value += effect
                rows.append(Estimate(sample=sample, indicator=ind, level=2, code=r, n=n,
                                     value=value, se=1.5, low=value - 3, high=value + 3, df=40))
    Estimate.objects.bulk_create(rows)
    return regs


def village_in(regency: str) -> str:
    return Region.objects.villages().filter(code__startswith=regency + ".").order_by("code") \
        .values_list("code", flat=True).first()


def intervention(slug: str, regs=TREATED, start=START):
    return intervention_record(slug=slug, name=slug, places={village_in(r): start for r in regs})


def test_the_planted_effect_on_feeling_safe_is_found_and_trust_is_unmoved():
    regs = plant_waves()
    assert len(regs) >= 12
    item = intervention("survei-uji")
    out = evaluate(intervention=item, outcome="feel_safe", seed=1, biters=499)
    assert out["unit"] == "regency" and out["cluster_by"] == "regency"
    assert out["n_treated"] == 4 and out["n_comparison"] == len(regs) - 4
    assert abs(out["effect_points"] - EFFECT) <= 3, out
    assert out["ci_low_points"] <= EFFECT <= out["ci_high_points"], out
    assert out["ci_low_points"] > 0, out
    facts = out["survey"]
    assert [w["year"] for w in facts["waves"]] == list(YEARS)
    assert facts["treated_regencies"] == 4 and facts["answers"] >= len(YEARS) * 250 * len(regs)
    # Two pre waves: the pre-trend test has one month-to-month (wave-to-wave) change to test.
    assert out["pre_trend_p"] is not None
    with translation.override("en"):
        from polmas.evaluation.services import reading
        text = reading(out)
    assert "points" in text and "Regency level" in text, text
    run = EvaluationRun.objects.get(pk=out["run"])
    assert run.outcome == "feel_safe" and run.parameters["unit"] == "regency x survey wave"
    assert run.period_from == 202107 and run.period_to == 202407 and len(run.data_hash) == 64
    trust = evaluate(intervention=item, outcome="trust_police", seed=1, biters=499, save=False)
    assert trust["ci_low_points"] <= 0 <= trust["ci_high_points"], trust


def test_no_effect_planted_the_interval_covers_zero():
    plant_waves(seed=19, effect=0.0)
    out = evaluate(intervention=intervention("survei-plasebo"), outcome="feel_safe", seed=2,
                   biters=499, save=False)
    assert out["ci_low_points"] <= 0 <= out["ci_high_points"], out


@pytest.mark.parametrize(("case", "words"), [
    ("before_every_wave", "no wave before and after"),
    ("after_every_wave", "no wave before and after"),
    ("one_regency", "only 1 regency"),
    ("few_comparison", "Too few comparison regencies"),
    ("no_waves", "No survey wave"),
])
def test_refused_naming_the_outcome(case, words):
    if case != "no_waves":
        plant_waves()
    if case == "before_every_wave":
        item = intervention("survei-dini", start=dt.date(2020, 1, 1))
    elif case == "after_every_wave":
        item = intervention("survei-akhir", start=dt.date(2025, 1, 1))
    elif case == "one_regency":
        item = intervention("survei-satu", regs=TREATED[:1])
    elif case == "few_comparison":
        item = intervention("survei-banding")
        # Enough comparison villages, but in two regencies only: two comparison regencies.
        item.comparison = [v for r in ("51.02", "34.01") for v in Region.objects.villages()
                           .filter(code__startswith=r + ".").values_list("code", flat=True)[:4]]
        item.save()
    else:
        item = intervention("survei-kosong")
    with translation.override("en"), pytest.raises(EvaluationError) as exc:
        evaluate(intervention=item, outcome="feel_safe", biters=9)
    assert exc.value.field == "outcome"
    assert words in exc.value.reason, exc.value.reason
    assert not EvaluationRun.objects.filter(intervention=item).exists()


def test_the_page_offers_the_survey_outcome_and_labels_its_level(login):
    plant_waves()
    intervention("survei-halaman")
    client = login("bappenas")
    page = client.get("/evaluasi/", headers={"Accept-Language": "en"})
    assert 'value="feel_safe"' in page.content.decode()
    answer = client.post("/evaluasi/", {"intervention": "survei-halaman", "outcome": "feel_safe",
                                        "pool": "never"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    shown = client.get(answer["Location"], headers={"Accept-Language": "en"}).content.decode()
    assert 'id="survey-level"' in shown and "regency level" in shown
    assert "4 treated regencies" in shown and 'id="estimate-points"' in shown
    run = EvaluationRun.objects.get(intervention__slug="survei-halaman")
    assert f"{run.result['survey']['answers']} answers" in shown
    # The PDF report says the level too.
    from pypdf import PdfReader
    pdf = client.get(f"/evaluasi/hasil/{run.pk}/laporan.pdf", headers={"Accept-Language": "en"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "regency level" in text.replace("\n", " ") and "percentage points" in text
    # Refused: one regency only; the form names the outcome and nothing is saved.
    intervention("survei-halaman-satu", regs=TREATED[:1])
    bad = client.post("/evaluasi/", {"intervention": "survei-halaman-satu",
                                     "outcome": "feel_safe", "pool": "never"},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 400 and "only 1 regency" in bad.content.decode()
    assert not EvaluationRun.objects.filter(intervention__slug="survei-halaman-satu").exists()


def test_the_api_takes_the_survey_outcome(api):
    plant_waves()
    intervention("survei-api")
    client = api("bappenas")
    answer = client.post("/api/v1/evaluation/runs", {"intervention": "survei-api",
                                                     "outcome": "trust_police"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["n_treated"] == 4
    intervention("survei-api-dini", start=dt.date(2020, 1, 1))
    bad = client.post("/api/v1/evaluation/runs", {"intervention": "survei-api-dini",
                                                  "outcome": "trust_police"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "outcome"
