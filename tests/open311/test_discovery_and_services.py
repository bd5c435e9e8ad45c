"""Discovery and the service catalogue, in both formats and both languages."""

import pytest
from django.test import Client

from polmas.reports.models import Category

from .tools import V2, assert_errors, xml_of

pytestmark = pytest.mark.django_db


def test_discovery_points_to_the_v2_endpoint_and_states_the_privacy_rules(client: Client) -> None:
    body = client.get("/open311/discovery.json", headers={"Accept-Language": "en"}).json()
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert body["endpoints"][0]["type"] == "production"
    assert "never published" in body["privacy"] and "centre of their village" in body["privacy"]
    root = xml_of(client.get("/open311/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_list_every_active_category_in_indonesian_by_default(client: Client) -> None:
    services = client.get(f"{V2}/services.json").json()
    active = list(Category.objects.filter(active=True).values_list("code", flat=True))
    assert [s["service_code"] for s in services] == active
    theft = next(s for s in services if s["service_code"] == "theft")
    assert theft["description"].startswith("Pencurian")  # a description, though none was written
    assert theft | {"description": ""} == {"service_code": "theft", "service_name": "Pencurian",
                                           "description": "", "metadata": True, "type": "realtime",
                     "keywords": "curi, pencurian, maling, hilang", "group": "property"}


def test_services_speak_english_on_request(client: Client) -> None:
    services = client.get(f"{V2}/services.json", headers={"Accept-Language": "en"}).json()
    assert {s["service_code"]: s["service_name"] for s in services}["theft"] == "Theft"


def test_services_xml_parses_with_one_service_element_each(client: Client) -> None:
    root = xml_of(client.get(f"{V2}/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "theft" in codes and len(codes) == Category.objects.filter(active=True).count()
    theft = root.findall("service")[codes.index("theft")]
    assert theft.findtext("metadata") == "true" and theft.findtext("service_name") == "Pencurian"


def test_sensitive_services_say_they_are_never_published_and_where_to_get_help(client: Client) -> None:
    services = client.get(f"{V2}/services.json", headers={"Accept-Language": "en"}).json()
    by_code = {s["service_code"]: s for s in services}
    for code in ("domestic_violence", "sexual_violence", "child_abuse", "trafficking"):
        assert "never published" in by_code[code]["description"]
        assert "110" in by_code[code]["description"] and "SAPA 129" in by_code[code]["description"]
    assert "never published" not in by_code["theft"]["description"]


def test_inactive_categories_are_not_offered(client: Client) -> None:
    Category.objects.filter(code="gambling").update(active=False)
    services = client.get(f"{V2}/services.json").json()
    assert "gambling" not in [s["service_code"] for s in services]
    assert_errors(client.get(f"{V2}/services/gambling.json"), 404, "service_code")


def test_service_definition_describes_the_village_and_time_attributes(client: Client) -> None:
    body = client.get(f"{V2}/services/noise.json", headers={"Accept-Language": "en"}).json()
    assert body["service_code"] == "noise"
    village, when = body["attributes"]
    assert (village["code"], village["datatype"], village["required"]) == ("village", "string", False)
    assert "51.08.09.2007" in village["datatype_description"]
    assert (when["code"], when["datatype"], when["order"]) == ("occurred_at", "datetime", 2)
    root = xml_of(client.get(f"{V2}/services/noise.xml"))
    assert root.tag == "service_definition"
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == ["village", "occurred_at"]
    assert root.find("attributes/attribute/values") is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_answers_404_in_the_error_format(client: Client, fmt: str) -> None:
    errors = assert_errors(client.get(f"{V2}/services/pothole.{fmt}"), 404, "service_code", fmt=fmt)
    assert "pothole" in errors[0]["description"]


def test_an_unknown_path_or_format_answers_404_in_the_error_format(client: Client) -> None:
    assert_errors(client.get("/open311/v2/services.csv"), 404)
    assert_errors(client.get("/open311/v3/services.xml"), 404, fmt="xml")
    assert_errors(client.post("/open311/v2/nothing.json", {}), 404)


def test_posting_to_the_catalogue_answers_405(client: Client) -> None:
    response = client.post(f"{V2}/services.json", {})
    assert_errors(response, 405)
    assert response["Allow"] == "GET"
