"""Dashboards read as a user sees them (issue 15, items 6, 8, 9): the overdue cases link to
their pages for those who read cases, numbers are in the language's format (map legends
included: "88,9"), the map names its places and gives each a value and a link, and a tile
server is used only when a deployment names one."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from cases.helpers import open_case
from polmas.analytics.dashboard import overdue
from polmas.cases.models import Case
from polmas.env import SettingError, env_tile_url

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture(autouse=True)
def _data(board_data):
    return board_data


@pytest.fixture
def quiet_case():
    """An open case in Desa Les without progress for 30 days."""
    case = open_case()
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=30))
    return case


def section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start:html.index("</section>", start)]


def points(html: str) -> list[dict]:
    return json.loads(html.split('id="map-points" type="application/json">', 1)[1].split("</script>", 1)[0])


def test_overdue_case_numbers_link_to_the_case_for_those_who_read_cases(login, quiet_case):
    rows = overdue(code="51")
    assert rows, "the data set has overdue cases in Bali"
    html = section(login("kapolda").get("/dashboard/51/", {"year": YEAR}).content.decode(), "overdue")
    for o in rows:
        assert f'<a href="/kasus/{o.case_id}/">{o.number}</a>' in html


def test_a_planner_sees_the_numbers_without_links_to_pages_closed_to_them(login, quiet_case):
    html = section(login("bappenas").get("/dashboard/51/", {"year": YEAR}).content.decode(), "overdue")
    assert "/kasus/" not in html and overdue(code="51")[0].number in html


def test_the_map_legend_and_labels_are_in_indonesian_format(login):
    html = login("kapolda").get("/dashboard/51/", {"year": YEAR, "indicator": "forum_pct"}).content.decode()
    legend = html.split('class="legend"', 1)[1].split("</ul>", 1)[0]
    ranges = re.findall(r"([\d.,]+) – ([\d.,]+)", legend)
    assert ranges and all("," in low and "," in high for low, high in ranges)
    assert not re.search(r"\d\.\d </", legend) and not re.search(r"\d\.\d –", legend)
    for p in points(html):
        assert p["value"] is None or isinstance(p["value"], float | int)
        assert "." not in p["label"].rsplit(": ", 1)[1]  # "Buleleng: 88,9", never "88.9"
    english = login("kapolda").get("/dashboard/51/", {"year": YEAR, "indicator": "forum_pct"},
                                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"\d\.\d – \d", english.split('class="legend"', 1)[1].split("</ul>", 1)[0])


def test_each_map_point_carries_its_name_value_and_link(login):
    html = login("kapolda").get("/dashboard/51/", {"year": YEAR}).content.decode()
    pts = points(html)
    assert len(pts) == 9
    for p in pts:
        assert p["name"] and p["url"] == f"/dashboard/{p['code']}/"
    svg = html.split('id="map"', 1)[1].split("</svg>", 1)[0]
    names = re.findall(r'<text class="place"[^>]*>([^<]+)</text>', svg)
    assert sorted(names) == sorted(p["name"] for p in pts)  # named without JavaScript too
    box = html.split('id="map"', 1)[1].split(">", 1)[0]
    assert 'data-open-label="' in box and "data-tiles" not in box
    assert 'id="map-outlines"' in html


def test_a_configured_tile_server_is_named_to_the_map_and_allowed_by_the_csp(login, settings):
    settings.POLMAS_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.POLMAS_MAP_TILES_ATTRIBUTION = "© Contoh"
    html = login("kapolres").get("/dashboard/51.08/", {"year": YEAR, "indicator": "rate"}).content.decode()
    box = html.split('id="map"', 1)[1].split(">", 1)[0]
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in box
    assert 'data-attribution="© Contoh"' in box


@pytest.mark.parametrize("raw, origin", [
    ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
    ("https://{s}.tile.example.net:8443/osm/{z}/{x}/{y}.png", "https://*.tile.example.net:8443"),
])
def test_the_tile_setting_gives_the_origin_for_the_csp(monkeypatch, raw, origin):
    monkeypatch.setenv("POLMAS_MAP_TILES_URL", raw)
    assert env_tile_url("POLMAS_MAP_TILES_URL") == (raw, origin)


@pytest.mark.parametrize("raw", ["tiles.example.org/{z}/{x}/{y}.png", "ftp://x/{z}/{x}/{y}",
                                 "https://tiles.example.org/{z}/{x}.png", "javascript:alert(1)//{z}{x}{y}"])
def test_a_malformed_tile_setting_stops_the_process_naming_it(monkeypatch, raw):
    monkeypatch.setenv("POLMAS_MAP_TILES_URL", raw)
    with pytest.raises(SettingError, match="POLMAS_MAP_TILES_URL"):
        env_tile_url("POLMAS_MAP_TILES_URL")


def test_unset_means_no_tiles(monkeypatch):
    monkeypatch.delenv("POLMAS_MAP_TILES_URL", raising=False)
    assert env_tile_url("POLMAS_MAP_TILES_URL") == ("", "")
    assert timezone.now()
