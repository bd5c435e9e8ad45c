"""The road map's actuals beyond coverage, on planted figures: problems resolved and the
median days to resolve (monthly rollups), officers trained (policing), feel safe and trust
(the survey's published estimates)."""

import datetime as dt

import pytest
from django.utils import translation

from polmas.analytics.models import MonthlyFigures
from polmas.planning import progress
from polmas.planning.models import Indicator
from polmas.policing.models import Officer, Training
from polmas.surveys.models import Estimate
from polmas.surveys.waves import wave_simulate

pytestmark = pytest.mark.django_db
ACEH = "11"  # no demo data: only the planted rows count
TEJAKULA = "51.08.09"


def _plant_cases():
    # 2023: 6 mediated + 2 acted of 10 closed = 80%; days: 4 in [3, 5), 4 in [7, 10) -> median 5.
    MonthlyFigures.objects.create(level=1, prefix=ACEH, month=202301, closed_mediation=6,
                                  closed_not_resolved=1, resolve_d3=4)
    MonthlyFigures.objects.create(level=1, prefix=ACEH, month=202307, closed_action=2,
                                  closed_criminal=1, resolve_d5=4)
    # 2024: 9 of 10 resolved; all 10 resolved in [1, 2) days -> median 1.5.
    MonthlyFigures.objects.create(level=1, prefix=ACEH, month=202405, closed_mediation=9,
                                  closed_service=1, resolve_d1=10)


def test_resolved_share_and_median_days_come_from_the_rollups():
    _plant_cases()
    assert progress.actual_series(ACEH, Indicator.RESOLVED) == {2023: 80.0, 2024: 90.0}
    assert progress.actual_series(ACEH, Indicator.MEDIAN_DAYS) == {2023: 5.0, 2024: 1.5}


def test_trained_officers_count_the_training_completed_by_each_years_end():
    officers = list(Officer.objects.filter(unit__region_id=TEJAKULA, active=True,
                                           function="bhabinkamtibmas").order_by("pk"))
    assert len(officers) >= 3
    Training.objects.filter(officer__in=officers).delete()
    Training.objects.create(officer=officers[0], course="Polmas dasar", completed_on=dt.date(2023, 5, 1))
    Training.objects.create(officer=officers[0], course="Mediasi", completed_on=dt.date(2025, 5, 1))
    Training.objects.create(officer=officers[1], course="Polmas dasar", completed_on=dt.date(2025, 1, 9))
    series = progress.actual_series(TEJAKULA, Indicator.TRAINED, this_year=2026)
    n = len(officers)
    assert series[2026] == pytest.approx(200 / n)
    for year, value in series.items():
        expected = 0 if year < 2023 else (100 / n if year < 2025 else 200 / n)
        assert value == pytest.approx(expected), year


def test_survey_indicators_read_the_published_estimate_of_the_region():
    year = dt.date.today().year
    wave = wave_simulate(provinces=["34"], year=year, seed=7, margin=10.0)
    Estimate.objects.filter(sample=wave, code="34", indicator="feel_safe").update(value=61.5)
    Estimate.objects.filter(sample=wave, code="34", indicator="trust_police").update(value=72.25)
    assert progress.actual_series("34", Indicator.FEEL_SAFE) == {year: 61.5}
    assert progress.actual_series("34", Indicator.TRUST) == {year: 72.25}
    # Below the regency the survey publishes nothing: no actual, not a wrong one.
    assert progress.actual_series("34.04.07", Indicator.FEEL_SAFE) == {}
    # An unpublished cell (too few answers) gives no actual either.
    Estimate.objects.filter(sample=wave, code="34", indicator="trust_police").update(value=None)
    assert progress.actual_series("34", Indicator.TRUST) == {}


def test_the_road_map_page_shows_the_planted_actuals(login):
    _plant_cases()
    client = login("admin")
    with translation.override("en"):
        html = client.get(f"/rencana/wilayah/{ACEH}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html[html.index("<td>problems resolved (%)</td>"):]
    row = row[:row.index("</tr>")]
    assert "90.0 (2024)" in row
    row = html[html.index("<td>median days to resolve</td>"):]
    assert "1.5 (2024)" in row[:row.index("</tr>")]
