"""Each dashboard table downloads as CSV and XLSX, within scope only."""

import csv
import datetime as dt
import io

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from polmas.analytics.models import MonthlyFigures
from polmas.cases.models import Case
from polmas.reports.models import Category

from .factories import LES

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture(autouse=True)
def _data(board_data):
    return board_data


def reports(prefix: str) -> int:
    return MonthlyFigures.objects.filter(prefix=prefix, month__gte=YEAR * 100 + 1,
                                         month__lte=YEAR * 100 + 12).aggregate(s=Sum("reports"))["s"] or 0


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_children_table_downloads_as_csv(login):
    response = login("kapolda").get("/dashboard/51/export/children.csv", {"year": YEAR, "sort": "code"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="polmas-51-2025-children.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["kode", "nama"] and "laporan" in header
    assert [r[0] for r in body] == sorted(r[0] for r in body) and len(body) == 9
    column = header.index("laporan")
    assert {r[0]: int(r[column]) for r in body} == {r[0]: reports(r[0]) for r in body}


def test_the_children_table_downloads_as_xlsx_with_the_same_rows(login):
    client = login("bappenas")
    csv_rows = read_csv(client.get("/dashboard/export/children.csv", {"year": YEAR}))
    response = client.get("/dashboard/export/children.xlsx", {"year": YEAR})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(xlsx_rows) == 39 and xlsx_rows[0] == csv_rows[0]
    assert [r[:2] for r in xlsx_rows] == [r[:2] for r in csv_rows]
    bali = next(r for r in xlsx_rows if r[0] == "51")
    assert int(bali[csv_rows[0].index("laporan")]) == reports("51")


@pytest.mark.parametrize("table", ["months", "categories", "gaps", "overdue"])
def test_every_table_downloads_in_both_formats(login, table):
    client = login("kapolres")
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/dashboard/51.08/export/{table}.{fmt}", {"year": YEAR})
        assert response.status_code == 200
        assert f"polmas-51.08-2025-{table}.{fmt}" in response["Content-Disposition"]
    months = read_csv(client.get("/dashboard/51.08/export/months.csv", {"year": YEAR}))
    assert [r[0] for r in months[1:]] == [f"2025-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("user, path", [
    ("kapolsek_depok", "/dashboard/51/export/children.csv"), ("kapolres", "/dashboard/51/export/gaps.xlsx"),
    ("kapolda", "/dashboard/export/children.csv"), ("kapolsek", "/dashboard/51.08/export/overdue.csv"),
    ("bappenas", "/dashboard/99/export/children.csv"),
])
def test_exports_outside_the_scope_are_refused(login, user, path):
    assert login(user).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/51/export/salaries.csv", "/dashboard/51/export/children.pdf",
                                  "/dashboard/51/export/children.csv?year=20x5"])
def test_a_bad_table_format_or_year_is_400(login, path):
    response = login("kapolda").get(path)
    assert response.status_code == 400


def test_overdue_cases_show_sealed_ones_without_village_or_category(login):
    old = timezone.now() - dt.timedelta(days=40)
    theft, abuse = Category.objects.get(code="theft"), Category.objects.get(code="child_abuse")
    plain = Case.objects.create(village_id=LES, category=theft, title="t", statement="s", source="report",
                                opened_at=old, last_activity_at=old)
    sealed = Case.objects.create(village_id=LES, category=abuse, title="t", statement="s", source="report",
                                 opened_at=old, last_activity_at=old - dt.timedelta(days=1), sensitive=True)
    html = login("kapolsek").get("/dashboard/51.08.09/").content.decode()
    section = html.split('id="overdue"', 1)[1].split("</section>", 1)[0]
    assert plain.number in section and sealed.number in section
    assert section.index(sealed.number) < section.index(plain.number)  # longest without progress first
    assert abuse.name_id not in section and theft.name_id in section
    for user, path in (("bappenas", "/dashboard/"), ("kapolda", "/dashboard/51/")):  # the per-stage walk
        national = login(user).get(path).content.decode().split('id="overdue"', 1)[1]
        assert national.index(sealed.number) < national.index(plain.number)
    rows = read_csv(login("kapolsek").get("/dashboard/51.08.09/export/overdue.csv"))
    sealed_row = next(r for r in rows if r[0] == sealed.number)
    assert sealed_row[1] == sealed_row[3] != "" and abuse.name_id not in sealed_row[3]
    assert LES not in ",".join(sealed_row) and "Les" not in sealed_row[1]
