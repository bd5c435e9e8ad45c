"""A year's records for analysts (issue 22, part 8): CSV and Parquet, anonymised, in scope,
audited."""

import csv
import io

import pyarrow.parquet as pq
import pytest

from polmas.access.models import AuditEntry
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Report

from .factories import dataset

pytestmark = pytest.mark.django_db

URL = "/dashboard/data/{kind}/{year}.{fmt}"
YEAR = 2025


@pytest.fixture(autouse=True)
def _records():
    """About 120 records of each kind over Bali and Yogyakarta in 2024 and 2025, some sealed."""
    return dataset(n=120)


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_planner_gets_the_years_reports_without_identities(login):
    named = report_submit(ReportInput(category="theft", description="Motor Pak Wayan Sudarma hilang.",
                                      channel="web", village="51.08.09.2007", anonymous=False,
                                      name="Wayan Sudarma", phone="081234567890"))
    year = named.report.created_at.year
    response = login("bappenas").get(URL.format(kind="reports", year=year, fmt="csv"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))

    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == Report.objects.filter(created_at__year=year, spam=False).count()
    assert "Sudarma" not in body and "081234567890" not in body and "description" not in rows[0]
    mine = next(r for r in rows if r["id"] == str(named.report.pk))
    assert mine["place"] == "51.08.09.2007" and mine["place_level"] == "village"
    assert mine["received_hour"].endswith(":00Z")


def test_sealed_records_go_no_finer_than_the_district(login):
    sealed_report = report_submit(ReportInput(category="domestic_violence", channel="web",
                                              description="Tetangga saya dipukuli suaminya.",
                                              village="51.08.09.2007"))
    client = login("bappenas")
    reports = rows_of(client.get(URL.format(kind="reports", year=sealed_report.report.created_at.year,
                                            fmt="csv")))
    mine = next(r for r in reports if r["id"] == str(sealed_report.report.pk))
    assert (mine["place"], mine["place_level"], mine["sensitive"]) == ("51.08.09", "district", "True")

    cases = rows_of(client.get(URL.format(kind="cases", year=YEAR, fmt="csv")))
    sealed = [r for r in cases if r["sensitive"] == "True"]
    assert sealed, "the data set has sealed cases"
    assert all(len(r["place"]) == 8 and r["place_level"] == "district" for r in sealed)
    assert all(len(r["place"]) == 13 for r in cases if r["sensitive"] == "False")


def test_parquet_holds_the_same_rows_as_csv(login):
    client = login("bappenas")
    year = YEAR
    as_csv = rows_of(client.get(URL.format(kind="activities", year=year, fmt="csv")))
    response = client.get(URL.format(kind="activities", year=year, fmt="parquet"))
    table = pq.read_table(io.BytesIO(b"".join(response.streaming_content)))

    assert table.num_rows == len(as_csv) > 0
    assert table.column_names == ["id", "kind", "occurred_hour", "place", "households", "audience"]
    hours = table.column("occurred_hour").to_pylist()
    assert all(h.minute == h.second == 0 for h in hours if h is not None)


@pytest.mark.parametrize("kind", ["cases", "meetings"])
def test_each_kind_comes_out(login, kind):
    assert rows_of(login("bappenas").get(URL.format(kind=kind, year=YEAR, fmt="csv")))


def test_a_supervisor_gets_only_their_scope_and_the_download_is_audited(login):
    client = login("kapolres")  # Polres Buleleng, 51.08
    year = YEAR
    before = AuditEntry.objects.filter(action="analytics.bulk_export").count()
    rows = rows_of(client.get(URL.format(kind="reports", year=year, fmt="csv")))

    assert rows and all(r["place"].startswith("51.08.") for r in rows)
    assert AuditEntry.objects.filter(action="analytics.bulk_export").count() == before + 1
    narrowed = rows_of(client.get(URL.format(kind="reports", year=year, fmt="csv") + "?region=51.08.09"))
    assert narrowed and all(r["place"].startswith("51.08.09") for r in narrowed)
    assert client.get(URL.format(kind="reports", year=year, fmt="csv") + "?region=34").status_code == 404


@pytest.mark.parametrize(("query", "field"), [("?region=51.08.09.2007", "region"), ("?region=xx", "region")])
def test_a_region_finer_than_a_district_or_malformed_is_refused(login, query, field):
    year = 2025
    client = login("bappenas")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(URL.format(kind="reports", year=year, fmt="csv") + query)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_a_year_out_of_range_is_refused_and_unknown_kinds_do_not_exist(login):
    year = 2025
    client = login("bappenas")
    assert client.get(URL.format(kind="reports", year=1999, fmt="csv")).status_code == 400
    assert client.get(URL.format(kind="users", year=year, fmt="csv")).status_code == 404
    assert client.get(URL.format(kind="reports", year=year, fmt="xlsx")).status_code == 404


@pytest.mark.parametrize("who", ["bhabin", "warga", "fkpm", "ppa", "mitra"])
def test_other_roles_may_not(login, who):
    year = 2025
    assert login(who).get(URL.format(kind="reports", year=year, fmt="csv")).status_code == 403
