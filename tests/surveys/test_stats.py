"""`polmas stats --json` carries the survey's headline indicators, with intervals and counts."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _stats(capsys, *args):
    call_command("stats", "--json", *args)
    return json.loads(capsys.readouterr().out)


def test_without_a_wave_the_fields_are_null(capsys):
    totals = _stats(capsys)["totals"]
    assert totals["feel_safe_pct"] is None and totals["feel_safe_pct_ci"] is None
    assert totals["trust_police_pct_n"] == 0


def test_after_a_wave_totals_and_rows_carry_the_estimates(capsys, wave):
    result = _stats(capsys, "--by", "regency")
    totals = result["totals"]
    low, high = totals["feel_safe_pct_ci"]
    assert low < totals["feel_safe_pct"] < high and totals["feel_safe_pct_n"] > 500
    assert totals["trust_police_pct_ci"][0] < totals["trust_police_pct"] < totals["trust_police_pct_ci"][1]
    rows = {r["code"]: r for r in result["rows"]}
    assert rows["34.71"]["trust_police_pct"] is not None and rows["34.71"]["trust_police_pct_n"] >= 30
    assert rows["51.08"]["feel_safe_pct"] is None and rows["51.08"]["feel_safe_pct_n"] == 0  # not surveyed
    by_province = {r["code"]: r for r in _stats(capsys, "--by", "province")["rows"]}
    assert by_province["34"]["feel_safe_pct"] is not None and by_province["51"]["feel_safe_pct"] is None


def test_the_wave_command_is_safe_to_run_again(capsys):
    from polmas.surveys.models import Response

    call_command("survey_wave", "--provinces", "34", "--seed", "5", "--wave", "hook")
    first = Response.objects.filter(sample_village__sample__wave="hook").count()
    call_command("survey_wave", "--provinces", "34", "--seed", "5", "--wave", "hook")
    assert capsys.readouterr().out.count("answering from the planted truth") == 1
    # 5 regencies x 680 households approached x 0.85 answering
    assert 2500 < first == Response.objects.filter(sample_village__sample__wave="hook").count()
