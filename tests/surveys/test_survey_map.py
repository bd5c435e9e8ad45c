"""The map of the survey's estimates (/statistik/survei/peta/): a point per region coloured by
its estimate (the dashboards' scale), the interval in each point's title and in the table,
suppressed cells grey, a legend; linked from /statistik/survei/ and the dashboards' card."""

import re

import pytest

from polmas.analytics import charts
from polmas.surveys.models import Estimate
from surveys.conftest import YEAR

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
URL = "/statistik/survei/peta/"


def _circles(page: str) -> dict[str, str]:
    """{title: fill} of the map's points."""
    return {t: f for f, t in re.findall(r'<circle [^>]*fill="([^"]+)"[^>]*><title>([^<]+)</title>', page)}


def test_a_provinces_regencies_are_coloured_by_their_estimate(client, wave):
    Estimate.objects.filter(sample=wave, indicator="trust_police", code="34.04").update(
        value=None, se=None, low=None, high=None, n=12)  # planted: too few answers
    page = client.get(URL, {"indikator": "trust_police", "wilayah": "34"}, headers=EN).content.decode()
    shown = list(Estimate.objects.filter(sample=wave, indicator="trust_police", level=2, value__isnull=False)
                 .order_by("value"))
    assert len(shown) == 4
    circles = _circles(page)
    assert len(circles) == 5
    lowest, highest = shown[0], shown[-1]
    by_name = {t.split(":")[0]: (t, f) for t, f in circles.items()}
    names = dict((e.code, n) for e, n in [(e, _name(e.code)) for e in shown])
    title, fill = by_name[names[highest.code]]
    assert fill == charts.SCALE[-1]
    assert f"{highest.low:.1f}–{highest.high:.1f}" in title and f"n = {highest.n}" in title
    assert by_name[names[lowest.code]][1] == charts.SCALE[0]
    grey = [t for t, f in circles.items() if f == charts.NO_DATA]
    assert len(grey) == 1 and "too few answers (n=12)" in grey[0]
    # The table: every regency with its interval, the withheld one without a number.
    row = re.search(r'<tr data-code="34.04" data-state="too-few">(.*?)</tr>', page, re.S).group(1)
    assert "too few answers (n=12)" in row
    row = re.search(rf'<tr data-code="{highest.code}" data-state="shown">(.*?)</tr>', page, re.S).group(1)
    assert f"{highest.value:.1f}%" in row and f"{highest.low:.1f}–{highest.high:.1f} · n={highest.n}" in row
    legend = re.search(r'<ul class="legend" id="survey-legend".*?</ul>', page, re.S).group(0)
    assert legend.count("<li>") == 6 and "too few answers (under 30)" in legend
    assert charts.NO_DATA in legend and "http" not in re.sub(r'xmlns="[^"]+"', "", page.split("<main")[-1])


def _name(code: str) -> str:
    from polmas.regions.models import Region
    return Region.objects.get(code=code).name


def test_the_country_shows_provinces_or_all_regencies(client, wave):
    page = client.get(URL, headers=EN).content.decode()
    assert 'data-level="1"' in page and len(_circles(page)) == 1  # the wave asked in one province
    cell = Estimate.objects.get(sample=wave, indicator="feel_safe", code="34")
    assert f"{cell.low:.1f}–{cell.high:.1f}" in next(iter(_circles(page)))
    page = client.get(URL, {"tingkat": "kabupaten", "indikator": "know_fkpm"}, headers=EN).content.decode()
    assert 'data-level="2"' in page and len(_circles(page)) == 5


@pytest.mark.parametrize(("params", "name"), [
    ({"indikator": "nope"}, "indikator"), ({"wilayah": "34.71"}, "wilayah"), ({"wilayah": "99"}, "wilayah"),
    ({"wilayah": "<b>"}, "wilayah"), ({"tingkat": "desa"}, "tingkat")])
def test_bad_parameters_are_refused_naming_the_parameter(client, wave, params, name):
    response = client.get(URL, params, headers=EN)
    assert response.status_code == 400
    assert f'data-param="{name}"' in response.content.decode()


def test_no_wave_yet_says_so(client):
    page = client.get(URL, headers=EN)
    assert page.status_code == 200 and 'id="no-wave"' in page.content.decode()


def test_the_statistics_page_and_the_dashboards_card_link_to_the_map(client, login, wave):
    assert f'href="{URL}"' in client.get("/statistik/survei/").content.decode()
    board = login("bappenas").get("/dashboard/34.71/", {"year": YEAR}).content.decode()
    assert f'id="survey-map-link" href="{URL}?wilayah=34"' in board
