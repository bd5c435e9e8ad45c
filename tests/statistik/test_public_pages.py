"""/statistik/: the country, provinces and regencies for anyone, small counts suppressed,
nothing sensitive below province level, nothing at all below regency level."""

import csv
import html as htmllib
import io
import json
import re

import pytest

from polmas.regions.models import Region

from .conftest import BULELENG, DENPASAR, YEAR

pytestmark = pytest.mark.django_db
COUNT_FIELDS = ["villages", "villages_with_officer", "villages_with_forum", "officers", "forums", "reports",
                "problems_raised", "problems_resolved"]


@pytest.fixture(autouse=True)
def _data(public_data):
    return public_data


def figure(html: str, name: str) -> str:
    return htmllib.unescape(html.split(f'data-figure="{name}"><span class="value">', 1)[1].split("<", 1)[0])


def category_rows(html: str) -> dict[str, list[str]]:
    section = html.split('<section id="categories">', 1)[1].split("</section>", 1)[0]
    rows = {}
    for chunk in section.split("<tr data-category=")[1:]:
        name = chunk.split('<th scope="row">', 1)[1].split("<", 1)[0]
        rows[name] = [htmllib.unescape(v) for v in re.findall(r'<td class="num">([^<]*)</td>', chunk)]
    return rows


def test_anyone_sees_the_regency_with_small_counts_suppressed(client, public_data):
    theft, noise = (public_data["categories"][c].name_id for c in ("theft", "noise"))
    response = client.get(f"/statistik/{BULELENG}/", {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "reports") == "16" and figure(html, "problems_resolved") == "8"
    assert figure(html, "resolution_rate") == "100,0%"  # Indonesian decimal comma
    rows = category_rows(html)
    assert rows[theft][0] == "<5"  # 3 thefts
    assert rows[noise][0] == "7"


def test_a_regency_shows_sensitive_categories_only_combined(client, public_data):
    html = client.get(f"/statistik/{BULELENG}/", {"year": YEAR}).content.decode()
    sensitive = [c for c in public_data["categories"].values() if c.sensitive]
    for c in sensitive:
        assert c.name_id not in html and c.name_en not in html
    rows = category_rows(html)
    plain = {public_data["categories"][c].name_id for c in ("theft", "noise")}
    combined = [name for name in rows if name not in plain]
    assert len(combined) == 1 and rows[combined[0]][0] == "6"
    assert html.count("data-sensitive") == 1


def test_the_province_lists_sensitive_categories_suppressed(client, public_data):
    html = client.get("/statistik/51/", {"year": YEAR}).content.decode()
    rows = category_rows(html)
    abuse = public_data["categories"]["child_abuse"]
    assert rows[abuse.name_id][0] == "<5"  # two reports in Denpasar
    assert 'data-code="51.71"' in html and 'data-code="51.08"' in html


def test_no_count_under_five_is_ever_shown(client):
    for path in ("/statistik/", "/statistik/51/", f"/statistik/{BULELENG}/", f"/statistik/{DENPASAR}/"):
        html = client.get(path, {"year": YEAR}).content.decode()
        shown = re.findall(r'<span class="value">([^<]*)</span>', html)
        shown += re.findall(r'<td class="num"[^>]*>([^<]*)</td>', html)
        assert shown
        for value in map(htmllib.unescape, shown):
            if "%" in value or "," in value or value in ("<5", "–"):
                continue  # rates, means (one decimal), suppressed or unknown
            assert int(value.replace(".", "")) >= 5, (path, value)
    denpasar = client.get(f"/statistik/{DENPASAR}/", {"year": YEAR}).content.decode()
    assert figure(denpasar, "reports") == "<5" and figure(denpasar, "resolution_rate") == "–"


@pytest.mark.parametrize("path", ["/statistik/51.08.09/", "/statistik/51.08.09.2007/", "/statistik/99/",
                                  "/statistik/5x/", "/statistik/51.99/"])
def test_below_regency_or_unknown_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/statistik/", "/statistik/data.csv", "/statistik/data.geojson"])
def test_a_bad_year_is_400_naming_it(client, path):
    response = client.get(path, {"year": "20x7"})
    assert response.status_code == 400 and b'data-param="year"' in response.content


def test_open_data_csv_is_suppressed_and_licensed(client):
    response = client.get("/statistik/data.csv", {"year": YEAR})
    assert response.status_code == 200 and 'rel="license"' in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 38 + 514
    assert {r["level"] for r in rows} == {"0", "1", "2"}  # nothing below regency
    by_code = {r["code"]: r for r in rows}
    assert by_code[BULELENG]["reports"] == "16" and by_code[DENPASAR]["reports"] == "<5"
    assert by_code[DENPASAR]["resolution_rate"] == ""
    for row in rows:
        assert row["licence"] == "CC BY 4.0" and row["updated_at"]
        for field in COUNT_FIELDS:
            assert row[field] == "<5" or int(row[field]) >= 5


def test_open_data_geojson_has_centroid_points_and_the_licence(client):
    response = client.get("/statistik/data.geojson", {"year": YEAR})
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and data["license"] == "CC BY 4.0" and data["updated"]
    features = {f["properties"]["code"]: f for f in data["features"]}
    assert len(features) == 38 + 514
    buleleng = Region.objects.get(code=BULELENG)
    assert features[BULELENG]["geometry"] == {"type": "Point",
                                              "coordinates": [buleleng.longitude, buleleng.latitude]}
    # Numbers are JSON numbers (issue 15): a count under 5 is null and named as suppressed.
    assert features[DENPASAR]["properties"]["reports"] is None
    assert "reports" in features[DENPASAR]["properties"]["suppressed_under_5"]
    for f in features.values():
        props = f["properties"]
        for field in COUNT_FIELDS:
            value = props[field]
            if value is None:
                assert field in props["suppressed_under_5"]
            else:
                assert type(value) is int and value >= 5 and field not in props["suppressed_under_5"]
    rates = [f["properties"]["officer_coverage_pct"] for f in features.values()]
    assert any(isinstance(r, float) for r in rates)
    assert all(r is None or isinstance(r, float) for r in rates)


def test_the_public_page_takes_few_queries(client, django_assert_max_num_queries):
    for path in ("/statistik/", "/statistik/51/", f"/statistik/{BULELENG}/"):
        with django_assert_max_num_queries(9):
            assert client.get(path, {"year": YEAR}).status_code == 200
