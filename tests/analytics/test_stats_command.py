import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from polmas.analytics.services import rollups_rebuild
from polmas.cases.models import Case
from polmas.forums.models import Forum
from polmas.policing.models import Assignment, Officer
from polmas.reports.models import Report

from .factories import dataset

pytestmark = pytest.mark.django_db


def stats(*args: str, capsys) -> dict:
    call_command("stats", "--json", *args)
    return json.loads(capsys.readouterr().out)


def test_totals_count_what_is_in_the_database(capsys):
    totals = stats(capsys=capsys)["totals"]
    assert totals["provinces"] == 38
    assert totals["regencies"] == 514
    assert totals["officers"] == Officer.objects.filter(function="bhabinkamtibmas", active=True).count()
    assert totals["villages_with_officer"] == Assignment.objects.filter(end__isnull=True).count()
    assert totals["forums"] == Forum.objects.exclude(status="dissolved").count()
    assert totals["reports"] == 0 and totals["problems_resolved"] == 0


def test_rows_by_province_add_up_to_the_totals(capsys):
    result = stats("--by", "province", capsys=capsys)
    assert len(result["rows"]) == 38
    for field in ("villages", "officers", "forums", "villages_with_forum"):
        assert sum(r[field] for r in result["rows"]) == result["totals"][field]
    bali = next(r for r in result["rows"] if r["code"] == "51")
    assert bali["name"] == "Bali" and bali["regencies"] == 9 and bali["officers"] > 0


def test_rows_by_regency_name_buleleng(capsys):
    rows = stats("--by", "regency", capsys=capsys)["rows"]
    buleleng = next(r for r in rows if r["code"] == "51.08")
    assert buleleng["name"] == "Kabupaten Buleleng"
    assert buleleng["villages"] == 148


def test_a_year_counts_only_forums_founded_by_then(capsys):
    Forum.objects.filter(village__code__startswith="51.08.").update(founded_on="2024-06-01")
    rollups_rebuild()  # a bulk update sends no signal: the rollups are rebuilt
    before = stats("--year", "2023", capsys=capsys)["totals"]["forums"]
    after = stats("--year", "2024", capsys=capsys)["totals"]["forums"]
    assert after - before >= Forum.objects.filter(village__code__startswith="51.08.").count()


@pytest.mark.parametrize("bad", ["17", "abcd", "3000"])
def test_a_bad_year_is_refused_naming_the_option(bad):
    with pytest.raises(CommandError, match="--year"):
        call_command("stats", "--json", "--year", bad)


UTC_2025_CLOSED = {"closed_at__gte": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                   "closed_at__lt": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
UTC_2025_CREATED = {"created_at__gte": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                    "created_at__lt": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}


def test_problems_resolved_and_reports_come_from_the_rollups(capsys):
    dataset(seed=3, n=80, years=(2024, 2025))
    rollups_rebuild()
    totals = stats("--year", "2025", capsys=capsys)["totals"]
    resolved = Case.objects.filter(outcome__in=Case.RESOLVED, **UTC_2025_CLOSED).count()
    reports = Report.objects.filter(spam=False, duplicate_of__isnull=True, **UTC_2025_CREATED).count()
    assert (totals["problems_resolved"], totals["reports"]) == (resolved, reports) and resolved > 5
    # Raw rows changed behind the rollups' back (no signal) do not show until a rebuild.
    Case.objects.filter(outcome__in=Case.RESOLVED, **UTC_2025_CLOSED).update(outcome="not_resolved")
    assert stats("--year", "2025", capsys=capsys)["totals"]["problems_resolved"] == resolved
    rollups_rebuild()
    assert stats("--year", "2025", capsys=capsys)["totals"]["problems_resolved"] == 0


def test_rows_by_province_carry_problems_resolved(capsys):
    dataset(seed=4, n=60, years=(2025,))
    rollups_rebuild()
    rows = stats("--by", "province", "--year", "2025", capsys=capsys)["rows"]
    for code in ("51", "34"):
        row = next(r for r in rows if r["code"] == code)
        assert row["problems_resolved"] == Case.objects.filter(
            outcome__in=Case.RESOLVED, village_id__gte=code, village_id__lt=code + "/", **UTC_2025_CLOSED,
        ).count()
