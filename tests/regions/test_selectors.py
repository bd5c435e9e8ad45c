import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polmas.regions import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["Jogja", "Yogyakarta", "Djokjakarta", "yogya", "Yogjakarta"])
def test_search_finds_yogyakarta_however_it_is_spelled(query):
    found = [r.code for r in selectors.region_search(query=query, level=1)]
    assert found[:1] == ["34"]


def test_search_ranks_the_exact_name_first():
    assert selectors.region_search(query="Les", within="51")[0].code == "51.08.09.2007"


def test_search_tolerates_a_typo():
    assert "51.71" in [r.code for r in selectors.region_search(query="Denpasr")]


def test_search_ignores_a_query_too_short_to_mean_anything():
    assert selectors.region_search(query=" ! ") == []


def test_nearest_village_to_a_point_in_desa_les():
    assert selectors.nearest_village(lat=-8.1471, lon=115.3666).code == "51.08.09.2007"


def test_nearest_village_reads_a_few_grid_cells_not_the_whole_table():
    with CaptureQueriesContext(connection) as ctx:
        village = selectors.nearest_village(lat=-7.7956, lon=110.3695)  # central Yogyakarta
    assert village.code.startswith("34.71.")
    assert len(ctx.captured_queries) <= 3
    assert all("cell" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("lat,lon", [(0.0, 0.0), (-8.1, 150.0), (51.5, -0.1)])
def test_nearest_village_outside_indonesia_is_none(lat, lon):
    assert selectors.nearest_village(lat=lat, lon=lon) is None


def test_region_get_refuses_malformed_codes():
    assert selectors.region_get(code="51.8") is None
    assert selectors.region_get(code="51.08.09.2007'--") is None
    assert selectors.region_get(code="51.08.09.2007").name == "Les"
