"""GET /regions, /regions/nearest and /regions/{code}: public reference data behind a token."""

from urllib.parse import quote

import pytest
from django.utils import translation

from api.conftest import API, LES, TEJAKULA, all_items, assert_error
from conftest import OUTSIDER
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db

REGIONS = f"{API}/regions"
NEAREST = f"{REGIONS}/nearest"


def as_out(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level,
            "parent": region.parent_id, "latitude": region.latitude, "longitude": region.longitude}


def test_it_lists_the_provinces(api):
    items = all_items(api("kapolsek"), REGIONS)
    assert [r["code"] for r in items] == list(
        Region.objects.filter(level=1).order_by("code").values_list("code", flat=True))
    assert len(items) >= 34


def test_it_lists_the_villages_of_a_district(api):
    items = all_items(api("kapolsek"), REGIONS, parent=TEJAKULA)
    expected = Region.objects.filter(parent_id=TEJAKULA).order_by("code")
    assert items == [as_out(r) for r in expected]
    assert LES in [r["code"] for r in items]


def test_it_shows_one_region_in_full(api):
    response = api("kapolsek").get(f"{REGIONS}/{LES}")
    assert response.status_code == 200
    assert response.json() == as_out(Region.objects.get(code=LES))


def test_it_finds_a_region_by_name_despite_old_spelling(api):
    items = api("kapolsek").get(REGIONS, q="Djokjakarta", level=1).json()["items"]
    assert items and items[0]["code"] == "34"


def test_a_search_stays_within_the_parent(api):
    items = api("kapolsek").get(REGIONS, q="Les", parent=TEJAKULA).json()["items"]
    assert LES in [r["code"] for r in items]
    assert all(r["code"].startswith(TEJAKULA + ".") or r["code"] == TEJAKULA for r in items)


def test_it_finds_the_village_nearest_to_a_coordinate(api):
    les = Region.objects.get(code=LES)
    response = api("kapolsek").get(NEAREST, lat=les.latitude + 0.001, lon=les.longitude - 0.001)
    assert response.status_code == 200
    assert response.json()["code"] == LES


def test_the_open_sea_has_no_nearest_village(api):
    # Inside Indonesia's extent, but some 250 km south of Java.
    assert_error(api("kapolsek").get(NEAREST, lat=-11.0, lon=110.0), 404)


@pytest.mark.parametrize("username", ["warga", OUTSIDER, "bappenas"])
def test_every_signed_in_caller_reads_every_region(api, username):
    # Regions are reference data: no scope, even for a resident or someone from Yogyakarta.
    assert api(username).get(f"{REGIONS}/{LES}").status_code == 200
    assert api(username).get(REGIONS, parent=TEJAKULA).json()["count"] > 0


@pytest.mark.parametrize("path,params", [
    (REGIONS, {}), (REGIONS, {"parent": TEJAKULA}), (f"{REGIONS}/{LES}", {}),
    (NEAREST, {"lat": -8.1, "lon": 115.3}),
])
def test_it_refuses_anonymous_callers(api, path, params):
    assert_error(api(None).get(path, **params), 401)


@pytest.mark.parametrize("code", [
    "abc", "5", "510", "51.8", "51.08.9", "51.08.09.207", "51.08.09.2007.1", "51..08", "51.08.",
    "51\n", "51.08\n", "٥١", "５１", "51 ", " 51", "51\x00", "51%", "x" * 500,
])
def test_it_answers_400_for_a_malformed_code(english, code):
    body = assert_error(english(f"{REGIONS}/{quote(code, safe='')}", "kapolsek"), 400, "code")
    assert "is not a region code" in body["errors"][0]["reason"]


@pytest.mark.parametrize("code", ["99", "51.99", "51.08.99", "51.08.09.9999"])
def test_it_answers_404_for_an_unknown_code(english, code):
    body = assert_error(english(f"{REGIONS}/{code}", "kapolsek"), 404, "code")
    assert body["detail"] == f"code: no region has code {code}"


@pytest.mark.parametrize("parent,status", [
    ("51.8", 400), ("51\x00", 400), ("51.08.09.2007.1", 400), ("x" * 500, 400), ("99", 404),
])
def test_it_answers_400_or_404_for_a_bad_parent(api, parent, status):
    assert_error(api("kapolsek").get(REGIONS, parent=parent), status, "parent")
    assert_error(api("kapolsek").get(REGIONS, parent=parent, q="Les"), status, "parent")


@pytest.mark.parametrize("params,field", [
    ({"q": "x" * 101}, "q"), ({"level": 0}, "level"), ({"level": 5}, "level"),
    ({"level": "village"}, "level"),
])
def test_it_answers_422_for_bad_search_parameters(api, params, field):
    assert_error(api("kapolsek").get(REGIONS, **params), 422, field)


@pytest.mark.parametrize("params,field", [
    ({"limit": -1}, "limit"), ({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
    ({"limit": 10**30}, "limit"), ({"limit": "ten"}, "limit"), ({"limit": "1.5"}, "limit"),
    ({"offset": -1}, "offset"), ({"offset": 10**30}, "offset"), ({"offset": 2**63}, "offset"),
    ({"offset": "x"}, "offset"),
])
def test_it_answers_422_for_a_bad_limit_or_offset(english, params, field):
    body = assert_error(english(REGIONS, "kapolsek", **params), 422, field)
    assert body["detail"].startswith(f"{field}: ")


def test_the_largest_page_is_500_items(api):
    body = api("kapolsek").get(REGIONS, parent="51.08", limit=500).json()
    assert body["count"] == Region.objects.filter(parent_id="51.08").count()


def test_an_offset_past_the_end_gives_an_empty_page(api):
    body = api("kapolsek").get(REGIONS, offset=1_000_000).json()
    assert body == {"items": [], "count": Region.objects.filter(level=1).count()}


@pytest.mark.parametrize("params,field", [
    ({"lat": "north", "lon": 115.0}, "lat"), ({"lat": -8.1, "lon": ""}, "lon"),
    ({"lat": "nan", "lon": 115.0}, "lat"), ({"lat": -8.1, "lon": "inf"}, "lon"),
    ({"lat": "1e400", "lon": 115.0}, "lat"), ({"lat": -8.1}, "lon"), ({"lon": 115.0}, "lat"),
])
def test_it_answers_422_for_a_coordinate_that_is_not_a_number(api, params, field):
    assert_error(api("kapolsek").get(NEAREST, **params), 422, field)


@pytest.mark.parametrize("lat,lon,field", [
    (40.0, 115.0, "lat"), (-90.0, 115.0, "lat"), (-8.1, 0.0, "lon"), (-8.1, 179.9, "lon"),
    (-8.1, -115.0, "lon"),
])
def test_it_answers_400_for_a_coordinate_outside_indonesia(english, lat, lon, field):
    body = assert_error(english(NEAREST, "kapolsek", lat=lat, lon=lon), 400, field)
    assert "outside Indonesia" in body["detail"]


def test_field_reasons_come_out_in_indonesian_by_default(api):
    body = assert_error(api("kapolsek").get(REGIONS, limit=501), 422, "limit")
    with translation.override("id"):
        expected = translation.gettext("must be at most %(le)s") % {"le": 500}
    assert body["errors"] == [{"field": "limit", "reason": expected}]
