"""/lapor/lokasi/: the village "use my location" will use, named before sending; a GET that
writes nothing."""

import pytest
from django.test import Client

from polmas.reports.models import Report

pytestmark = pytest.mark.django_db


def test_it_names_the_nearest_village(client: Client):
    count = Report.objects.count()

    response = client.get("/lapor/lokasi/", {"lat": "-8.1391", "lon": "115.3668"})

    assert response.status_code == 200
    body = response.json()
    assert body["code"].startswith("51.08.09.")  # a village of Tejakula, Buleleng
    assert body["name"] in body["label"] and "Bali" in body["label"]
    assert Report.objects.count() == count


@pytest.mark.parametrize(("params", "field"), [({"lon": "115.3"}, "lat"), ({"lat": "x", "lon": "115"}, "lat"),
                                               ({"lat": "-8", "lon": "999"}, "lon"),
                                               ({"lat": "nan", "lon": "115"}, "lat")])
def test_bad_coordinates_are_400_naming_the_field(client: Client, params: dict, field: str):
    response = client.get("/lapor/lokasi/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_point_far_from_indonesia_is_404(client: Client):
    response = client.get("/lapor/lokasi/", {"lat": "48.85", "lon": "2.35"})
    assert response.status_code == 404
    assert "lat" in response.json()["errors"]


def test_the_form_knows_where_to_ask(client: Client):
    body = client.get("/lapor/").content.decode()
    assert 'data-locate="/lapor/lokasi/"' in body
