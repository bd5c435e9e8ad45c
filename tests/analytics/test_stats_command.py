import json

import pytest
from django.core.management import CommandError, call_command

from polmas.forums.models import Forum
from polmas.policing.models import Assignment, Officer

pytestmark = pytest.mark.django_db


def stats(*args: str, capsys) -> dict:  # type: ignore[no-untyped-def]
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
    before = stats("--year", "2023", capsys=capsys)["totals"]["forums"]
    after = stats("--year", "2024", capsys=capsys)["totals"]["forums"]
    assert after - before >= Forum.objects.filter(village__code__startswith="51.08.").count()


@pytest.mark.parametrize("bad", ["17", "abcd", "3000"])
def test_a_bad_year_is_refused_naming_the_option(bad):
    with pytest.raises(CommandError, match="--year"):
        call_command("stats", "--json", "--year", bad)
