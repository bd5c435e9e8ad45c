"""Every indicator goes down to the regencies (not only feel_safe, trust_police and the trust
index), with cells under 30 answers stored without a number; the public table, the CSV and the
XLSX follow."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from polmas.surveys import estimates
from polmas.surveys.models import Estimate

pytestmark = pytest.mark.django_db
REGENCIES = {"34.01", "34.02", "34.03", "34.04", "34.71"}


def test_every_indicator_is_stored_for_every_regency(wave):
    indicators = set(estimates.indicators_of(wave.version.items.all())) | {estimates.TRUST_INDEX}
    assert {"fear_home", "victim_12m", "victim_reported", "know_bhabin", "know_fkpm"} <= indicators
    for indicator in indicators:
        cells = Estimate.objects.filter(sample=wave, indicator=indicator, level=2)
        assert {c.code for c in cells} == REGENCIES, indicator
    # Answered by everyone: published in every regency. Asked of victims only (8%): too few.
    shown = Estimate.objects.filter(sample=wave, indicator="know_fkpm", level=2, value__isnull=False)
    assert shown.count() == 5 and all(c.n >= 30 and c.low < c.value < c.high for c in shown)
    few = Estimate.objects.filter(sample=wave, indicator="victim_reported", level=2)
    assert few.exists() and all(c.n < 30 and c.value is None and c.se is None and c.low is None for c in few)


def test_the_public_table_and_downloads_show_a_regencys_other_indicators(client, wave):
    page = client.get("/statistik/survei/", headers={"accept-language": "en"}).content.decode()
    row = re.search(r'<tr data-code="34.71" data-level="2">(.*?)</tr>', page, re.S).group(1)
    cell = Estimate.objects.get(sample=wave, indicator="fear_home", code="34.71")
    heads = re.findall(r'data-indicator="([a-z_0-9]+)"', page)
    tds = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert len(tds) == len(heads)
    shown = tds[heads.index("fear_home")]
    assert f"{cell.value:.1f}" in shown and f"n={cell.n}" in shown
    assert "too few answers" in tds[heads.index("victim_reported")]

    rows = list(csv.reader(io.StringIO(client.get("/statistik/survei/data.csv").content.decode())))
    mine = {(r[1], r[3]): r for r in rows[1:] if r[2] == "2"}
    assert mine[("fear_home", "34.71")][5] == f"{cell.value:.1f}"
    withheld = mine[("victim_reported", "34.71")]
    assert withheld[5] == "" and "fewer than 30" in withheld[8]
    assert {code for (ind, code) in mine if ind == "know_bhabin"} == REGENCIES
    sheet = load_workbook(io.BytesIO(client.get("/statistik/survei/data.xlsx").content)).active
    book = {(r[1], r[3]): r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == 2}
    assert book[("fear_home", "34.71")][5] == pytest.approx(round(cell.value, 1))
