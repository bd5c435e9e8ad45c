"""Issue 20, road map item 3: "It shows on the dashboards, as a table and a map". The
country's, a province's and a regency's boards carry a card listing each child region's
actual against target, projection and status, with the rule linked, and a map of the children
coloured by status; only for those who may read the road map (planners, supervisors,
administrators). The card is drawn per request, so a new target shows at once on a kept board
and a reader's card is never served to another viewer."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from polmas.analytics.models import CoverageFigures
from polmas.planning.models import Indicator, Target
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db
YEAR = 2030


@pytest.fixture(autouse=True)
def _data(board_data):
    return board_data


def _plant() -> list[str]:
    """Three years of coverage for Bali's regencies: Buleleng rising 30, 50, 70; the
    others flat at 40. A national target of 90% for the officers' coverage in 2030."""
    regencies = list(Region.objects.filter(level=2, code__gte="51.", code__lt="51/").order_by("code")
                     .values_list("code", flat=True))
    CoverageFigures.objects.filter(level=2, prefix__in=regencies).delete()  # the module's 2025 too
    for code in regencies:
        for j, year in enumerate((2022, 2023, 2024)):
            CoverageFigures.objects.create(level=2, prefix=code, year=year, villages=100,
                                           villages_with_officer=30 + 20 * j if code == "51.08" else 40)
    Target.objects.create(region_code="", indicator=Indicator.OFFICER_COVERAGE, year=YEAR, value=90)
    return regencies


def card(html: str) -> str:
    start = html.index('id="board-roadmap"')
    return html[start:html.index("</section>", start)]


def get(client, path: str) -> str:
    with translation.override("en"):
        return client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_kapolda_sees_each_regency_against_its_target_with_the_rule_and_the_map(login):
    regencies = _plant()
    html = get(login("kapolda"), "/dashboard/51/")
    shown = card(html)
    assert "Road map: progress to 2030" in shown
    assert shown.count("<tr data-code=") == len(regencies) == 9
    assert '<th>villages with an active Bhabinkamtibmas (%)</th>' in shown
    assert "villages with an FKPM (%)" not in shown  # no target for it: no column
    assert 'href="/rencana/wilayah/51/?year=2030#status-rule"' in shown
    assert 'href="/rencana/wilayah/51.08/?year=2030"' in shown
    buleleng = shown[shown.index('<tr data-code="51.08"'):]
    buleleng = buleleng[:buleleng.index("</tr>")]
    # Latest actual 70 (2024) against 90; the trend 30, 50, 70 reaches 90 well before 2030.
    assert 'data-status="on_track"' in buleleng and "70.0 / 90.0" in buleleng and "on track" in buleleng
    other = shown[shown.index(f'<tr data-code="{regencies[0]}"'):]
    assert 'data-status="off_track"' in other[:other.index("</tr>")]
    # The map: one dot per regency in its status's colour, each named.
    svg = ET.fromstring("<svg " + shown.split("<svg ", 1)[1].split("</svg>", 1)[0] + "</svg>")  # noqa: S314
    fills = [c.get("fill") for c in svg.iter("{http://www.w3.org/2000/svg}circle")]
    assert sorted(fills) == sorted(["#2e8540"] + ["#b3261e"] * 8)
    assert "on track (1)" in shown and "off track (8)" in shown
    # After the kept board's body, so the page still opens with its own figures.
    assert html.index('id="trend"') < html.index('id="board-roadmap"')


def test_the_country_board_lists_provinces_for_a_planner_and_the_regency_board_districts(login):
    _plant()
    national = card(get(login("bappenas"), "/dashboard/"))
    assert national.count("<tr data-code=") == Region.objects.filter(level=1).count()
    assert '<tr data-code="51"' in national
    regency = card(get(login("kapolres"), "/dashboard/51.08/"))
    assert regency.count("<tr data-code=") == Region.objects.filter(level=3, code__gte="51.08.",
                                                                    code__lt="51.08/").count()


@pytest.mark.parametrize("user, path", [
    ("ppa", "/dashboard/51.08/"),       # a PPA officer reads the board, not the road map
    ("mitra", "/dashboard/51/"),        # a partner likewise
    ("kapolsek", "/dashboard/51.08.09/"),  # a district's board: no card (targets stop at regencies)
])
def test_others_see_the_board_without_the_card(login, user, path):
    _plant()
    response = login(user).get(path)
    assert response.status_code == 200
    assert 'id="board-roadmap"' not in response.content.decode()


def test_a_new_target_shows_at_once_on_a_kept_board_and_never_to_another_viewer(login, client):
    _plant()
    first = get(login("kapolda"), "/dashboard/51/")  # the board's body is now kept
    assert "villages with an FKPM (%)" not in card(first)
    Target.objects.create(region_code="51", indicator=Indicator.FORUM_COVERAGE, year=YEAR, value=60)
    again = card(get(login("kapolda"), "/dashboard/51/"))
    assert "<th>villages with an FKPM (%)</th>" in again
    client.logout()
    assert 'id="board-roadmap"' not in get(login("mitra"), "/dashboard/51/")


def test_without_any_target_the_card_says_so(login):
    html = card(get(login("kapolda"), "/dashboard/51/"))
    assert 'id="roadmap-no-target"' in html and "No target is set for 2030 in this area." in html
    assert "<table" not in html


def test_the_road_map_page_of_a_province_lists_its_regencies_as_a_table_and_a_map(login):
    _plant()
    html = get(login("kapolda"), "/rencana/wilayah/51/?year=2030")
    shown = card(html)
    assert "The regions below: progress to 2030" in shown and shown.count("<tr data-code=") == 9
    assert "<circle" in shown and "The road map of this area" not in shown
    assert html.index('id="progress"') < html.index('id="board-roadmap"')
    later = card(get(login("kapolda"), "/rencana/wilayah/51/?year=2031"))
    assert "No target is set for 2031 in this area." in later
