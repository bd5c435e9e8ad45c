"""Coordinates are checked against the village named and against Indonesia's land and
waters (issue 14, hole 11; ADR 15): a point far from the village named, or far from every
village, is refused naming the location, and nothing is stored."""

import pytest
from django.test import Client

from polmas.regions.models import Region
from polmas.regions.selectors import haversine_km
from polmas.reports.intake import OFFSHORE_KM, VILLAGE_KM, IntakeError, report_submit
from polmas.reports.models import Report

from .helpers import LES, report_input

pytestmark = pytest.mark.django_db

JAKARTA = (-6.2, 106.8)  # Slipi, 0.7 km from its village's centre
CHRISTMAS_ISLAND = (-10.4475, 105.6904)  # Australian, 353 km from the nearest village
KUCHING = (1.5533, 110.3592)  # Malaysian, 52.8 km from Indonesia's nearest village
JOHOR_BAHRU = (1.4927, 103.7414)  # Malaysian, 40.7 km from Batam's nearest village
VANIMO = (-2.6817, 141.3025)  # Papua New Guinea, 38.7 km from Jayapura's nearest village
PENUKTUKAN = "51.08.09.2008"  # Les's neighbour, 2.4 km away


def refused(**fields: object) -> dict[str, str]:
    with pytest.raises(IntakeError) as caught:
        report_submit(report_input(**fields))
    assert caught.value.status == 400
    assert not Report.objects.exists()
    return caught.value.errors


def centre(code: str) -> tuple[float, float]:
    village = Region.objects.get(code=code)
    return village.latitude, village.longitude


def test_a_point_across_the_country_from_the_village_named_is_refused():
    errors = refused(village=LES, latitude=JAKARTA[0], longitude=JAKARTA[1])

    assert list(errors) == ["latitude"]
    assert " 970 km " in errors["latitude"] and "51.08.09.2007" in errors["latitude"]


@pytest.mark.parametrize("point", [CHRISTMAS_ISLAND, KUCHING])
def test_a_point_outside_indonesia_is_refused_even_with_a_village_named(point: tuple[float, float]):
    errors = refused(village=LES, latitude=point[0], longitude=point[1])

    assert list(errors) == ["latitude"]
    assert str(round(OFFSHORE_KM)) in errors["latitude"]


@pytest.mark.parametrize("point", [CHRISTMAS_ISLAND, KUCHING, JOHOR_BAHRU, VANIMO])
def test_a_point_beyond_indonesias_waters_is_not_taken_for_the_nearest_border_village(
        point: tuple[float, float]):
    errors = refused(village="", latitude=point[0], longitude=point[1])

    assert list(errors) == ["latitude"]


def test_a_point_in_the_village_or_next_door_is_taken():
    lat, lon = centre(LES)
    here = report_submit(report_input(village=LES, latitude=lat + 0.01, longitude=lon - 0.01)).report
    next_door = report_submit(report_input(village=PENUKTUKAN, latitude=lat, longitude=lon)).report

    assert (here.village_id, here.latitude) == (LES, lat + 0.01)
    assert next_door.village_id == PENUKTUKAN


def test_a_point_far_out_in_a_remote_village_is_taken_when_no_village_lies_nearer():
    # An island village whose nearest neighbour lies 182 km away: 20 km off its centre is
    # still nearer to it than to any other village, so the reporter is believed.
    remote = "91.19.05.2007"
    lat, lon = centre(remote)
    point = (lat + 0.18, lon)
    assert haversine_km(*point, lat, lon) > VILLAGE_KM

    stored = report_submit(report_input(village=remote, latitude=point[0], longitude=point[1])).report
    located = report_submit(report_input(village="", latitude=point[0], longitude=point[1])).report

    assert stored.village_id == remote and located.village_id == remote


def test_the_api_names_latitude_with_the_reason_in_english(client: Client):
    response = client.post("/api/v1/reports", {
        "category": "theft", "description": "Motor dicuri.", "village": LES,
        "latitude": JAKARTA[0], "longitude": JAKARTA[1]},
        content_type="application/json", headers={"Accept-Language": "en"})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "latitude"
    assert error["reason"] == ("The location (latitude, longitude) lies 970 km from the village named "
                               "(51.08.09.2007): name the village where it happened, or send no location.")
    assert not Report.objects.exists()


def test_open311_names_lat(client: Client):
    from open311.tools import new_key

    response = client.post("/open311/v2/requests.json", {
        "api_key": new_key(), "service_code": "theft", "description": "Motor dicuri.",
        "lat": str(KUCHING[0]), "long": str(KUCHING[1])}, headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("lat: The location (latitude, longitude) lies "
                                                        "outside Indonesia's land and waters")
    assert not Report.objects.exists()
