"""The demo history plants -30% in one district of Kota Yogyakarta and nothing in another; the
evaluation, reading only the rollups, finds the first and not the second."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import YEAR
from polmas.analytics.services import rollups_rebuild
from polmas.evaluation.models import EvaluationRun, Intervention
from polmas.evaluation.services import EvaluationError, evaluate, intervention_record
from polmas.reports.models import Report
from polmas.simulation import history
from polmas.simulation.reports import TEXTS

pytestmark = pytest.mark.django_db


def test_history_span_ends_on_a_sunday_before_today():
    first, end = history.history_span(2026, today=dt.date(2026, 12, 5))
    assert end == dt.date(2026, 11, 29) and end.weekday() == 6
    assert first == dt.date(2022, 11, 1)
    assert history.history_years(2025) == [2021, 2022, 2023, 2024, 2025]


def test_planted_effect_found_and_placebo_not():
    """One pass over D.I. Yogyakarta's history (building it is the slow part)."""
    made = history.history_generate(provinces=["34"], year=YEAR, seed=5)
    rollups_rebuild()
    assert made > 20_000
    # Safe to rerun: nothing added the second time.
    assert history.history_generate(provinces=["34"], year=YEAR, seed=5) == 0
    planted = Intervention.objects.get(slug="malioboro-uji")
    assert planted.planted_pct == -30 and planted.places.count() >= 2
    assert all(p.region_code.startswith("34.71.") for p in planted.places.all())
    out = evaluate(intervention=planted, outcome="reports", seed=1, biters=199)
    assert abs(out["estimate_pct"] - -30) <= 5, out
    assert out["ci_low_pct"] <= -30 <= out["ci_high_pct"], out
    assert "fall" in out["reading"].lower() or "turun" in out["reading"].lower()
    run = EvaluationRun.objects.get(pk=out["run"])
    assert run.versions["csdid"] and len(run.data_hash) == 64
    assert run.result["fidelity"] and "tenure_months" in run.result["fidelity"][0]
    # The same data hash when run again on the same data.
    again = evaluate(intervention=planted, outcome="reports", seed=1, biters=9, save=False,
                     synthetic=False)
    assert again["data_hash"] == run.data_hash
    placebo = evaluate(intervention=Intervention.objects.get(slug="placebo-uji"),
                       outcome="reports", seed=1, biters=199, synthetic=False)
    assert placebo["ci_low_pct"] <= 0 <= placebo["ci_high_pct"], placebo
    command_prints_exactly_the_keys()
    bad_input_refused()


def test_tejakula_theft_floor():
    # Only Tejakula's villages (a prefix is enough), as the demo writes them for all of Bali.
    history.history_generate(provinces=["51.08.09"], year=YEAR, seed=5)
    first, end = history.history_span(YEAR)
    weeks = ((end - first).days + 1) / 7
    theft = Report.objects.filter(village_id__gte="51.08.09.", village_id__lt="51.08.09/",
                                  category__code="theft", tracking_hash__gt="")
    from polmas.regions.models import Region

    villages = Region.objects.villages().under("51.08.09").count()
    assert theft.count() / villages / weeks >= 1.0
    # Stored as every report's text is, encrypted at rest; read back as a stock text.
    first_theft = theft.first()
    assert first_theft.description in TEXTS["theft"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM reports_report WHERE id = %s", [first_theft.pk])
        assert cursor.fetchone()[0].startswith("gAAAAA")
    # History is past: none of it waits for the worker's routing (or tells an officer).
    assert not Report.objects.filter(routed_at__isnull=True).exists()


def command_prints_exactly_the_keys():
    out = io.StringIO()
    call_command("evaluate", "--intervention", "malioboro-uji", "--outcome", "reports",
                 "--json", stdout=out)
    got = json.loads(out.getvalue())
    assert list(got) == ["method", "estimate_pct", "ci_low_pct", "ci_high_pct", "pre_trend_p",
                         "n_treated", "n_comparison"]
    assert got["method"] == "callaway_santanna" and got["n_comparison"] > 100


def bad_input_refused():
    empty = Intervention.objects.create(slug="kosong", name="kosong")
    with pytest.raises(EvaluationError) as exc:
        evaluate(intervention=empty)
    assert exc.value.field == "intervention"
    planted = Intervention.objects.get(slug="malioboro-uji")
    with pytest.raises(EvaluationError) as exc:
        evaluate(intervention=planted, period_from=199001)
    assert exc.value.field == "period_from"
    with pytest.raises(EvaluationError) as exc:
        evaluate(intervention=planted, outcome="nope")
    assert exc.value.field == "outcome"
    # Every place started before the data: nothing before the start to compare with.
    early = intervention_record(slug="dini", name="dini",
                                places={p.region_code: dt.date(2000, 1, 1)
                                        for p in planted.places.all()})
    with pytest.raises(EvaluationError) as exc:
        evaluate(intervention=early)
    assert exc.value.field in ("period_from", "intervention")
    assert not EvaluationRun.objects.filter(intervention__in=[empty, early]).exists()


def test_simulate_refuses_an_impossible_planted_effect():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--plant-effect"):
        call_command("simulate", "--plant-effect", "-150")
