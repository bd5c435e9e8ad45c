"""Dashboards per role: what each demo account may open, and what it sees there."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db.models import Sum

from polmas.analytics.models import CoverageFigures, MonthlyFigures

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
YEAR = 2025


@pytest.fixture(autouse=True)
def _data(board_data):
    return board_data


def rollup(prefix: str, field: str, year: int = YEAR) -> int:
    return MonthlyFigures.objects.filter(prefix=prefix, month__gte=year * 100 + 1,
                                         month__lte=year * 100 + 12).aggregate(s=Sum(field))["s"] or 0


def figure(html: str, name: str) -> str:
    marker = f'data-figure="{name}"><span class="value">'
    return html.split(marker, 1)[1].split("<", 1)[0]


def svgs(html: str) -> dict[str, ET.Element]:
    out = {}
    for chunk in html.split("<svg ")[1:]:
        root = ET.fromstring("<svg " + chunk.split("</svg>", 1)[0] + "</svg>")  # noqa: S314  our own page
        if root.get("data-chart"):
            out[root.get("data-chart")] = root
    return out


@pytest.mark.parametrize("user, path", [
    ("bappenas", "/dashboard/"), ("bappenas", "/dashboard/34/"), ("kapolda", "/dashboard/51/"),
    ("kapolda", "/dashboard/51.08/"), ("kapolres", "/dashboard/51.08/"),
    ("kapolres", "/dashboard/51.08.09/"),
    ("kapolsek", "/dashboard/51.08.09/"), ("bhabin", "/dashboard/51.08.09.2007/"),
])
def test_each_role_opens_the_boards_in_its_scope(login, user, path):
    response = login(user).get(path, {"year": YEAR})
    assert response.status_code == 200
    code = path.strip("/").split("/")[-1] if path != "/dashboard/" else ""
    html = response.content.decode()
    resolved = rollup(code, "closed_mediation") + rollup(code, "closed_action")
    assert figure(html, "resolved") == f"{resolved:,}".replace(",", ".")
    assert figure(html, "reports") == f"{rollup(code, 'reports'):,}".replace(",", ".")


@pytest.mark.parametrize("user, path", [
    ("kapolda", "/dashboard/34/"), ("kapolda", "/dashboard/34.04/"), ("kapolres", "/dashboard/51/"),
    ("kapolres", "/dashboard/51.01/"), ("kapolsek", "/dashboard/51.08/"),
    ("kapolsek", "/dashboard/51.08.01/"),
    ("bhabin", "/dashboard/51.08.09/"), ("kapolsek_depok", "/dashboard/51/"),
    ("kapolsek_depok", "/dashboard/51.08.09/"), ("kapolsek_depok", "/dashboard/51.08.09.2007/"),
    ("warga", "/dashboard/51.08.09.2007/"), ("warga", "/dashboard/"),
])
def test_it_answers_404_outside_the_scope(login, user, path):
    assert login(user).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/99/", "/dashboard/51.99/", "/dashboard/51.08.09.9999/",
                                  "/dashboard/5x/", "/dashboard/51.8/"])
def test_unknown_or_malformed_codes_are_404(login, path):
    assert login("bappenas").get(path).status_code == 404


def test_a_user_with_one_region_is_sent_there(login):
    response = login("kapolda").get("/dashboard/", {"year": YEAR})
    assert response.status_code == 302 and response["Location"] == "/dashboard/51/?year=2025"
    assert login("kapolsek").get("/dashboard/")["Location"] == "/dashboard/51.08.09/"


def test_a_bhabinkamtibmas_with_several_villages_chooses_one(login):
    response = login("bhabin").get("/dashboard/")
    assert response.status_code == 200
    assert 'href="/dashboard/51.08.09.2007/"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/dashboard/51/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query, name", [
    ({"year": "abc"}, "year"), ({"year": "1999"}, "year"), ({"year": "3000"}, "year"),
    ({"sort": "salary"}, "sort"), ({"indicator": "x"}, "indicator"), ("year=2025&year=2024", "year"),
])
def test_a_malformed_parameter_is_400_naming_it(login, query, name):
    client = login("kapolda")
    response = client.get("/dashboard/51/" + ("?" + query if isinstance(query, str) else ""),
                          query if isinstance(query, dict) else None)
    assert response.status_code == 400
    assert f'data-param="{name}"' in response.content.decode()


def test_children_drill_down_and_sort_server_side(login):
    html = login("kapolda").get("/dashboard/51/", {"year": YEAR, "sort": "-reports"}).content.decode()
    children = html.split('<section id="children">', 1)[1].split("</section>", 1)[0]
    rows = [chunk.split('"', 1)[0] for chunk in children.split('<tr data-code="')[1:]]
    assert len(rows) == 9 and set(rows) == {f"51.{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 71)}
    counts = [rollup(code, "reports") for code in rows]
    assert counts == sorted(counts, reverse=True)
    assert 'href="/dashboard/51.08/?year=2025"' in html
    by_name = login("kapolda").get("/dashboard/51/", {"sort": "name"}).content.decode()
    assert by_name.index("Kabupaten Badung") < by_name.index("Kota Denpasar")


def test_the_district_board_lists_its_villages_and_gaps(login):
    html = login("kapolsek").get("/dashboard/51.08.09/", {"year": YEAR}).content.decode()
    assert 'data-code="51.08.09.2007"' in html
    lacking = CoverageFigures.objects.filter(year=YEAR, level=4, prefix__startswith="51.08.09.", lacks__gt=0)
    gap_section = html.split('id="gaps"', 1)[1].split("</section>", 1)[0]
    for gap in lacking.order_by("-lacks", "prefix")[:20]:
        assert f'data-code="{gap.prefix}"' in gap_section


def test_the_trend_chart_draws_each_month_and_the_category_mix(login, settings):
    html = login("bappenas").get("/dashboard/", {"year": YEAR}).content.decode()
    charts = svgs(html)
    bars = charts["bars"].findall(f"{SVG}rect[@class='bar']")
    assert len(bars) == 36  # 12 months x reports, raised, resolved
    resolved = sum(float(b.get("data-value")) for b in bars if b.get("data-series") == "2")
    assert resolved == rollup("", "closed_mediation") + rollup("", "closed_action")
    labels = [t.text for t in charts["bars"].findall(f"{SVG}text")]
    assert "Mei" in labels and "Agu" in labels  # Indonesian month names by default
    mix = charts["hbars"].findall(f"{SVG}rect[@class='bar']")
    assert mix and all(float(b.get("data-value")) > 0 for b in mix)
    english = login("bappenas").get("/dashboard/", {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    english_labels = [t.text for t in svgs(english.content.decode())["bars"].findall(f"{SVG}text")]
    assert "May" in english_labels  # English when the browser asks for it


def test_the_map_uses_leaflet_from_the_app_and_no_outside_server(login, client):
    html = login("kapolda").get("/dashboard/51/", {"indicator": "forum_pct"}).content.decode()
    assert 'src="/dashboard/assets/leaflet/leaflet.js"' in html
    assert 'src="http' not in html and 'href="http' not in html
    points = html.split('id="map-points" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert points.count('"lat"') == 9 and "#" in points
    asset = client.get("/dashboard/assets/leaflet/leaflet.js")
    assert asset.status_code == 200 and asset["Content-Type"].startswith("text/javascript")
    assert client.get("/dashboard/assets/leaflet/../settings.py").status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/51/", "/dashboard/51.08/",
                                  "/dashboard/51.08.09/", "/dashboard/51.08.09.2007/"])
def test_a_board_takes_a_small_constant_number_of_queries(login, django_assert_max_num_queries, path):
    client = login("admin")
    client.get(path)  # warm the session
    # 16, one for the residents' satisfaction card, one for the survey estimates' stamp (part
    # of the kept page's key) and, at a regency and above, one for the survey's waves; +2 for
    # the early warning's card, drawn per viewer outside the kept body (the standing alarms per
    # child region, then the few listed; one when there are none); +6 for the road map's card
    # (issue 20), drawn per viewer outside the kept body at a regency and above (targets,
    # child regions, coverage, monthly figures, trained officers, the survey's waves).
    with django_assert_max_num_queries(27):
        assert client.get(path, {"year": YEAR}).status_code == 200


def test_the_update_time_is_shown(login):
    html = login("kapolda").get("/dashboard/51/").content.decode()
    assert str(dt.date.today().year) in html.split('id="updated"', 1)[1]


def test_a_year_without_figures_says_so(login):
    html = login("kapolda").get("/dashboard/51/", {"year": 2019}).content.decode()
    assert 'id="no-rollup"' in html and figure(html, "officers") == "–"


def test_a_board_is_drawn_once_per_rollup_state(login, django_assert_max_num_queries):
    """The second view of a board reuses the first one's page body; once the rollups change
    (a refresh touches their stamp) the next view draws it again with the new figures."""
    from polmas.analytics.rollup import state_touch

    client = login("kapolda")
    first = client.get("/dashboard/51/", {"year": YEAR}).content.decode()
    # session, user, scope, the stamp: no rollup reads; +2 for the alarms card (per viewer);
    # +6 for the road map's card (per viewer: a kapolda reads Bali's road map).
    with django_assert_max_num_queries(14):
        again = client.get("/dashboard/51/", {"year": YEAR}).content.decode()
    def body(html: str) -> str:  # the header's logout form carries a fresh CSRF token
        return html.split('class="breadcrumbs"', 1)[1].split('id="updated"', 1)[0]

    assert body(again) == body(first)
    before = rollup("51", "reports")
    MonthlyFigures.objects.filter(prefix="51", month=YEAR * 100 + 3).update(reports=0)
    stale = client.get("/dashboard/51/", {"year": YEAR}).content.decode()
    assert figure(stale, "reports") == figure(first, "reports")  # same stamp: the kept page
    state_touch(built=False)
    fresh = client.get("/dashboard/51/", {"year": YEAR}).content.decode()
    assert figure(fresh, "reports") == f"{rollup('51', 'reports'):,}".replace(",", ".")
    assert rollup("51", "reports") < before


def test_a_kept_board_is_never_served_across_viewers_languages_or_parameters(login):
    national = login("bappenas").get("/dashboard/51/", {"year": YEAR}).content.decode()
    assert 'href="/dashboard/"' in national.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    provincial = login("kapolda").get("/dashboard/51/", {"year": YEAR}).content.decode()
    assert 'href="/dashboard/"' not in provincial.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    kapolda = login("kapolda")
    english = kapolda.get("/dashboard/51/", {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Monthly trend" in english and "Monthly trend" not in provincial
    by_name = login("kapolda").get("/dashboard/51/", {"year": YEAR, "sort": "name"}).content.decode()
    by_reports = login("kapolda").get("/dashboard/51/", {"year": YEAR, "sort": "-reports"}).content.decode()
    order = [c.split('"', 1)[0] for c in by_reports.split('<tr data-code="')[1:10]]
    assert order != [c.split('"', 1)[0] for c in by_name.split('<tr data-code="')[1:10]]
    # Unknown parameters neither change the page nor make it a new one.
    extra = kapolda.get("/dashboard/51/", {"year": YEAR, "sort": "name", "x": "<b>"}).content.decode()
    children = extra.split('id="children"', 1)[1]
    assert "&lt;b&gt;" not in extra and "?x=" not in children and "&amp;x=" not in children


@pytest.mark.parametrize("outsider", ["kapolsek_depok", "bhabin", "warga", "fkpm"])
def test_a_kept_board_is_still_refused_outside_the_scope(login, outsider):
    """Scope is checked before the kept page is looked up: a board drawn for the province
    command is never served to someone outside it, nor its table."""
    assert login("kapolda").get("/dashboard/51.08/", {"year": YEAR}).status_code == 200
    refused = login(outsider).get("/dashboard/51.08/", {"year": YEAR})
    assert refused.status_code == 404
    assert b"board-children" not in refused.content
    export = login(outsider).get("/dashboard/51.08/export/children.csv", {"year": YEAR})
    assert export.status_code == 404
