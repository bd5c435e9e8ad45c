"""GeoReport v2 as an outside client reads the spec (issue 15): a request placed by its
address_string alone, the POST's token that GET tokens/{token} answers, the one jurisdiction
declared and any other refused, a description for every service, and no empty media_url.
JSON and XML alike."""

import pytest
from django.test import Client
from django.utils.translation import override

from polmas.regions.models import Region
from polmas.reports.models import Category, Report
from polmas.reports.tracking import tracking_hash

from .tools import LES, V2, assert_errors, report_new, xml_of

pytestmark = pytest.mark.django_db
FORMATS = ["json", "xml"]


def answer_of(response, fmt: str) -> dict:
    assert response.status_code == 200, response.content
    if fmt == "json":
        [item] = response.json()
        return item
    [item] = xml_of(response).findall("request")
    return {child.tag: child.text or "" for child in item}


# --- address_string ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("address", ["Les", "Jl. Raya Les no. 5, Les, Tejakula",
                                     "Banjar Dinas Kawanan, Les, Tejakula, Buleleng, Bali, 81173"])
def test_an_address_string_alone_places_the_request_in_its_village(post, fmt: str, address: str) -> None:
    answer = answer_of(post(fmt, address_id=None, address_string=address), fmt)
    report = Report.objects.get(pk=answer["service_request_id"])
    assert report.village_id == LES
    assert f"({LES})" in answer["service_notice"]  # the client is told which village was read


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_several_villages_share_is_the_specs_400_with_some_of_them(post, fmt: str) -> None:
    before = Report.objects.count()
    [error] = assert_errors(post(fmt, address_id=None, address_string="Sidomulyo"), 400,
                            "address_string", fmt=fmt)
    sidomulyo = Region.objects.filter(level=4, name="Sidomulyo").values_list("code", flat=True)
    assert sum(code in error["description"] for code in sidomulyo) >= 2
    assert Report.objects.count() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_address_that_names_no_village_is_refused_naming_address_string(post, fmt: str) -> None:
    before = Report.objects.count()
    assert_errors(post(fmt, address_id=None, address_string="Qwxzv Qwxzv"), 400, "address_string", fmt=fmt)
    assert Report.objects.count() == before


def test_a_village_code_wins_over_the_address_string(post) -> None:
    answer = answer_of(post(address_string="Sidomulyo"), "json")  # address_id: Desa Les
    assert Report.objects.get(pk=answer["service_request_id"]).village_id == LES
    assert "address_string" not in answer["service_notice"]


def test_a_long_list_of_commas_is_not_searched_part_by_part(post) -> None:
    assert_errors(post(address_id=None, address_string="," * 1500 + "Qwxzv"), 400, "address_string")


# --- tokens -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_the_posts_token_finds_its_request(client: Client, post, fmt: str) -> None:
    answer = answer_of(post(fmt), fmt)
    token = answer["token"]
    found = answer_of(client.get(f"{V2}/tokens/{token}.{fmt}"), fmt)
    assert str(found["service_request_id"]) == str(answer["service_request_id"])
    assert found["token"] == token


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_made_up_or_altered_token_is_404(client: Client, post, fmt: str) -> None:
    token = answer_of(post(fmt), fmt)["token"]
    assert_errors(client.get(f"{V2}/tokens/{token[:-2]}xx.{fmt}"), 404, "token", fmt=fmt)
    assert_errors(client.get(f"{V2}/tokens/abc.{fmt}"), 404, "token", fmt=fmt)


def test_the_token_is_not_the_tracking_code_which_comes_in_the_notice(post) -> None:
    answer = post().json()[0]
    report = Report.objects.get(pk=answer["service_request_id"])
    assert report.tracking_hash != tracking_hash(answer["token"])  # a URL never carries the code
    words = answer["service_notice"].replace(":", " ").split()
    assert any(report.tracking_hash == tracking_hash(w) for w in words)


# --- jurisdiction_id --------------------------------------------------------------------------

def test_discovery_declares_the_jurisdiction(client: Client, settings) -> None:
    settings.POLMAS_OPEN311_JURISDICTION = "polmas.example.go.id"
    body = client.get("/open311/discovery.json").json()
    assert body["jurisdiction_id"] == "polmas.example.go.id"
    assert body["endpoints"][0]["jurisdiction_id"] == "polmas.example.go.id"
    assert xml_of(client.get("/open311/discovery.xml")).findtext("jurisdiction_id") == "polmas.example.go.id"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["services", "services/theft", "requests"])
def test_another_jurisdiction_is_refused_and_ours_accepted(client: Client, settings, fmt: str,
                                                           path: str) -> None:
    settings.POLMAS_OPEN311_JURISDICTION = "polmas.example.go.id"
    assert_errors(client.get(f"{V2}/{path}.{fmt}", {"jurisdiction_id": "sf.gov"}), 404,
                  "jurisdiction_id", fmt=fmt)
    assert client.get(f"{V2}/{path}.{fmt}", {"jurisdiction_id": "polmas.example.go.id"}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_for_another_jurisdiction_stores_nothing(post, fmt: str) -> None:
    before = Report.objects.count()
    assert_errors(post(fmt, jurisdiction_id="made.up"), 404, "jurisdiction_id", fmt=fmt)
    assert Report.objects.count() == before
    assert post(fmt, jurisdiction_id="polmas.id").status_code == 200


# --- services and requests --------------------------------------------------------------------

@pytest.mark.parametrize("language", ["id", "en"])
def test_every_service_has_a_description(client: Client, language: str) -> None:
    services = client.get(f"{V2}/services.json", headers={"Accept-Language": language}).json()
    assert services and all(s["description"].strip() for s in services)
    theft = next(s for s in services if s["service_code"] == "theft")
    with override(language):
        assert Category.objects.get(code="theft").name in theft["description"]
    assert "address_string" in theft["description"]
    root = xml_of(client.get(f"{V2}/services.xml"))
    assert all(s.findtext("description") for s in root.findall("service"))


def test_a_written_description_is_kept(client: Client) -> None:
    Category.objects.filter(code="noise").update(description_id="Suara keras lewat jam 22.")
    services = client.get(f"{V2}/services.json").json()
    noise = next(s for s in services if s["service_code"] == "noise")
    assert noise["description"] == "Suara keras lewat jam 22."


def test_media_url_is_absent_rather_than_empty(client: Client) -> None:
    report = report_new()
    [item] = client.get(f"{V2}/requests/{report.pk}.json").json()
    assert "media_url" not in item
    [element] = xml_of(client.get(f"{V2}/requests/{report.pk}.xml")).findall("request")
    assert element.find("media_url") is None
