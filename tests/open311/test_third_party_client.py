"""A third-party Open311 client, start to finish: discover the endpoint, list services, post a
request with a key made by `polmas create_api_key`, read it back by id in JSON and XML."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from polmas.regions.models import Region
from polmas.reports.models import Report
from polmas.reports.tracking import tracking_hash

from .tools import LES, new_key, xml_of

pytestmark = pytest.mark.django_db


def test_a_client_lists_services_posts_a_request_and_reads_it_back(client: Client) -> None:
    key = new_key("Aplikasi Desa Aman")
    discovery = client.get("/open311/discovery.json").json()
    endpoint = discovery["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    base = urlsplit(endpoint["url"]).path
    assert base == "/open311/v2"

    services = client.get(f"{base}/services.json").json()
    theft = next(s for s in services if s["service_code"] == "theft")
    assert theft["service_name"] == "Pencurian"
    assert theft["type"] == "realtime" and theft["metadata"] is True
    definition = client.get(f"{base}/services/theft.json").json()
    assert [a["code"] for a in definition["attributes"]] == ["village", "occurred_at"]

    posted = client.post(f"{base}/requests.json", {
        "api_key": key, "service_code": "theft", "attribute[village]": LES,
        "description": "Dua sepeda motor hilang dari parkiran balai banjar semalam.",
        "attribute[occurred_at]": "2026-11-27T22:00:00+08:00",
    })
    assert posted.status_code == 200, posted.content
    [answer] = posted.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id", "token"}
    assert answer["account_id"] is None
    assert "/lapor/status/" in answer["service_notice"]
    report = Report.objects.get(pk=answer["service_request_id"])
    assert report.channel == "open311" and report.village_id == LES
    # The tracking code comes in the notice; the token only finds the request (tokens/{token}).
    words = [w.strip(":.,") for w in answer["service_notice"].split()]
    assert any(report.tracking_hash == tracking_hash(w) for w in words)

    [read] = client.get(f"{base}/requests/{report.pk}.json").json()
    les = Region.objects.get(code=LES)
    assert read["service_request_id"] == report.pk
    assert read["status"] == "open"
    assert read["service_code"] == "theft" and read["service_name"] == "Pencurian"
    assert read["description"] == "Dua sepeda motor hilang dari parkiran balai banjar semalam."
    assert read["address"] == "Les, Tejakula, Kabupaten Buleleng"
    assert read["address_id"] == LES and read["zipcode"] == "81173"
    assert (read["lat"], read["long"]) == (les.latitude, les.longitude)
    assert read["agency_responsible"] == "Polsek Tejakula"
    assert read["requested_datetime"].endswith("+08:00")  # WITA, Bali's zone

    root = xml_of(client.get(f"{base}/requests/{report.pk}.xml"))
    assert root.tag == "service_requests"
    [item] = root.findall("request")
    assert item.findtext("service_request_id") == str(report.pk)
    assert item.findtext("status") == "open"
    assert item.findtext("description") == read["description"]
    assert item.findtext("address_id") == LES
    assert float(item.findtext("lat")) == les.latitude
    assert item.findtext("requested_datetime") == read["requested_datetime"]


def test_a_client_may_post_and_read_in_xml(client: Client) -> None:
    key = new_key()
    posted = client.post("/open311/v2/requests.xml", {
        "api_key": key, "service_code": "noise", "address_id": LES,
        "description": "Sound system keras sampai jam tiga pagi.",
    })
    assert posted.status_code == 200, posted.content
    root = xml_of(posted)
    assert root.tag == "service_requests"
    [item] = root.findall("request")
    request_id = item.findtext("service_request_id")
    assert item.findtext("account_id") == "" and item.findtext("token")
    [read] = xml_of(client.get(f"/open311/v2/requests/{request_id}.xml")).findall("request")
    assert read.findtext("service_code") == "noise"
    assert read.findtext("description") == "Sound system keras sampai jam tiga pagi."


def test_a_client_without_cookies_or_csrf_token_may_post(api_key: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/open311/v2/requests.json", {
        "api_key": api_key, "service_code": "fight", "address_id": LES,
        "description": "Tawuran pemuda di lapangan desa."})
    assert response.status_code == 200, response.content
    assert Report.objects.get(pk=response.json()[0]["service_request_id"]).category_id is not None
    assert strict.post("/open311/v2/nothing.xml", {}).status_code == 404
