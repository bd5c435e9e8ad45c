"""The survey's estimates where planners look: indicator cards with intervals on the
dashboards (regency and above), a trend across waves, and the published table as CSV and
XLSX with the same numbers."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from polmas.surveys.models import Estimate
from polmas.surveys.waves import wave_simulate
from surveys.conftest import YEAR

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def _cards(html: str) -> dict[str, str]:
    section = re.search(r'<section class="card" id="survey">(.*?)</section>', html, re.S)
    assert section, "no survey section"
    return {k: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", v)).strip() for k, v in re.findall(
        r'<div class="figure" data-survey="([a-z_]+)"[^>]*>(.*?)</div>', section.group(1), re.S)}


def test_a_regency_board_shows_the_waves_cards_with_their_intervals(login, wave):
    page = login("bappenas").get("/dashboard/34.71/", {"year": YEAR}, headers=EN).content.decode()
    cards = _cards(page)
    assert list(cards) == ["feel_safe", "trust_police", "trust_index"]
    cell = Estimate.objects.get(sample=wave, indicator="feel_safe", code="34.71")
    assert cell.value is not None and cell.n >= 30
    assert f"{cell.value:.1f}%" in cards["feel_safe"]
    assert f"{cell.low:.1f}–{cell.high:.1f}" in cards["feel_safe"] and f"n = {cell.n}" in cards["feel_safe"]
    assert 'id="survey-trend"' not in page  # one wave: no trend yet
    # Indonesian numbers on an Indonesian page.
    indonesian = login("bappenas").get("/dashboard/34.71/", {"year": YEAR},
                                       headers={"accept-language": "id"}).content.decode()
    assert f"{cell.value:.1f}%".replace(".", ",") in _cards(indonesian)["feel_safe"]


def test_a_second_wave_adds_a_trend_and_the_kept_page_is_redrawn(login, wave):
    client = login("bappenas")
    assert 'id="survey-trend"' not in client.get("/dashboard/34/", {"year": YEAR}).content.decode()
    wave_simulate(provinces=["34"], year=YEAR, seed=8, wave="second", margin=10.0)
    page = client.get("/dashboard/34/", {"year": YEAR}, headers=EN).content.decode()  # not the kept copy
    rows = re.findall(r'<tr data-wave="([^"]+)">', page)
    assert rows == [wave.wave, "second"]
    latest = Estimate.objects.get(sample__wave="second", indicator="trust_police", code="34")
    assert f"{latest.value:.1f}%" in _cards(page)["trust_police"]


def test_a_province_board_lists_its_regencies_estimates(login, wave):
    """The table of children: each regency of D.I. Yogyakarta with its latest estimates and
    intervals, linked to its board; a regency withheld for too few answers shows no number;
    a regency's own board has no such table (districts are not estimated)."""
    Estimate.objects.filter(sample=wave, code="34.02", indicator="feel_safe").update(
        value=None, low=None, high=None, n=12)
    page = login("bappenas").get("/dashboard/34/", {"year": YEAR}, headers=EN).content.decode()
    table = re.search(r'<table id="survey-children">(.*?)</table>', page, re.S)
    assert table, "no table of the regencies"
    rows = dict(re.findall(r'<tr data-code="([0-9.]+)">(.*?)</tr>', table.group(1), re.S))
    regencies = set(Estimate.objects.filter(sample=wave, code__regex=r"^34\.[0-9]{2}$")
                    .values_list("code", flat=True))
    assert set(rows) == regencies and len(regencies) >= 2
    cell = Estimate.objects.get(sample=wave, indicator="trust_police", code="34.71")
    assert f"{cell.value:.1f}% <span class=\"ci\">{cell.low:.1f}–{cell.high:.1f}</span>" in rows["34.71"]
    assert 'href="/dashboard/34.71/"' in rows["34.71"]
    withheld = re.findall(r'<td class="num">(.*?)</td>', rows["34.02"])
    assert withheld[0] == "–" and "%" in withheld[1]
    regency = login("bappenas").get("/dashboard/34.71/", {"year": YEAR}, headers=EN).content.decode()
    assert 'id="survey"' in regency and 'id="survey-children"' not in regency


def test_no_survey_section_below_the_regency_or_where_none_was_asked(login, wave):
    client = login("bappenas")
    assert 'id="survey"' not in client.get("/dashboard/34.71.01/", {"year": YEAR}).content.decode()
    assert 'id="survey"' not in client.get("/dashboard/51/", {"year": YEAR}).content.decode()


def test_too_few_answers_show_no_number(login, wave):
    Estimate.objects.filter(sample=wave, code="34.71", indicator="feel_safe").update(
        value=None, low=None, high=None, n=12)
    cards = _cards(login("bappenas").get("/dashboard/34.71/", {"year": YEAR}, headers=EN).content.decode())
    assert cards["feel_safe"].startswith("–") and "too few answers (n=12)" in cards["feel_safe"]


def test_the_xlsx_download_matches_the_csv(client, wave):
    text = client.get("/statistik/survei/data.csv").content.decode()
    from_csv = list(csv.reader(io.StringIO(text)))
    response = client.get("/statistik/survei/data.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    from_xlsx = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert from_xlsx[0] == from_csv[0] and len(from_xlsx) == len(from_csv) > 10
    for a, b in zip(from_csv[1:], from_xlsx[1:], strict=True):
        assert a[:4] == [str(x) for x in b[:4]]
        assert a[5] == ("" if b[5] == "" else f"{b[5]:.1f}")  # numbers stay numbers in XLSX
        assert isinstance(b[5], int | float) or b[5] == ""


def test_downloads_answer_404_before_any_wave(client):
    assert client.get("/statistik/survei/data.xlsx").status_code == 404
