"""POST requests with bad input: the standard's error shape, the parameter named, nothing stored."""

import pytest
from django.test import Client
from django.utils import timezone

from conftest import person
from polmas.access.models import AuditEntry, Open311Key
from polmas.reports.models import Report
from polmas.reports.services import sender_block

from .tools import LES, V2, assert_errors, new_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_stored():
    before = Report.objects.count(), AuditEntry.objects.filter(action="report.submit").count()
    yield
    assert (Report.objects.count(), AuditEntry.objects.filter(action="report.submit").count()) == before


@pytest.mark.usefixtures("nothing_stored")
@pytest.mark.parametrize(("fields", "status", "named"), [
    ({"service_code": "pothole"}, 404, "service_code"),
    ({"service_code": None}, 400, "service_code"),
    ({"description": None}, 400, "description"),
    ({"description": "   "}, 400, "description"),
    ({"description": "x" * 5001}, 400, "description"),
    ({"description": "ada\x00nul"}, 400, "description"),
    ({"address_id": None, "lat": "35.6812", "long": "139.7671"}, 400, "lat"),  # Tokyo
    ({"lat": "-31.9523", "long": "115.8613"}, 400, "lat"),  # Perth, with a village given too
    ({"address_id": None, "lat": "-8.15"}, 400, "long"),
    ({"address_id": None, "lat": "selatan", "long": "115.3"}, 400, "lat"),
    ({"address_id": None, "lat": "nan", "long": "115.3"}, 400, "lat"),
    ({"address_id": None}, 400, "address_id"),
    ({"address_id": None, "address_string": "Jalan Qwxzv no. 5"}, 400, "address_string"),
    ({"address_id": "51.08.09.9999"}, 400, "address_id"),
    ({"address_id": None, "attribute[village]": "Les"}, 400, "attribute[village]"),
    ({"attribute[village]": "51.08.09.2002"}, 400, "address_id"),
    ({"attribute[colour]": "merah"}, 400, "attribute[colour]"),
    ({"attribute[occurred_at]": "tadi malam"}, 400, "attribute[occurred_at]"),
    ({"attribute[occurred_at]": "2099-01-01T00:00:00+07:00"}, 400, "attribute[occurred_at]"),
    ({"phone": "12ab"}, 400, "phone"),
    ({"email": "not-an-address"}, 400, "email"),
    ({"first_name": "W" * 71}, 400, "first_name"),
])
def test_bad_input_is_refused_naming_the_parameter(post, fields: dict, status: int, named: str) -> None:
    assert_errors(post(**fields), status, named)
    assert_errors(post("xml", **fields), status, named, fmt="xml")


@pytest.mark.usefixtures("nothing_stored")
def test_several_problems_are_listed_together(post) -> None:
    errors = assert_errors(post(service_code="pothole", description=""), 404)
    described = sorted(e["description"].split(":")[0] for e in errors)
    assert described == ["description", "service_code"]
    assert {e["code"] for e in errors} == {400, 404}


@pytest.mark.usefixtures("nothing_stored")
def test_errors_speak_english_on_request(client: Client, api_key: str) -> None:
    response = client.post(f"{V2}/requests.json", {"api_key": api_key, "service_code": "theft",
                                                   "address_id": LES, "description": "x" * 5001},
                           headers={"Accept-Language": "en"})
    [error] = assert_errors(response, 400, "description")
    assert error["description"] == "description: The text is longer than 5000 characters."


@pytest.mark.usefixtures("nothing_stored")
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_key_is_refused_with_403(post, fmt: str) -> None:
    assert_errors(post(fmt, api_key=None), 403, "api_key", fmt=fmt)
    assert_errors(post(fmt, api_key=""), 403, "api_key", fmt=fmt)


@pytest.mark.usefixtures("nothing_stored")
@pytest.mark.parametrize("key", ["o311_" + "A" * 43, "pm_notanopen311key", "o311_" + "x" * 200])
def test_an_invalid_key_is_refused_with_403(post, key: str) -> None:
    assert_errors(post(api_key=key), 403, "api_key")


@pytest.mark.usefixtures("nothing_stored")
def test_a_revoked_key_is_refused_with_403(post, api_key: str) -> None:
    Open311Key.objects.filter(key_prefix=api_key[:10]).update(revoked_at=timezone.now())
    [error] = assert_errors(post(), 403, "api_key")
    assert "revoked" in error["description"] or "dicabut" in error["description"]


@pytest.mark.usefixtures("nothing_stored")
def test_a_key_in_the_query_string_is_not_accepted(client: Client, api_key: str) -> None:
    response = client.post(f"{V2}/requests.json?api_key={api_key}",
                           {"service_code": "theft", "address_id": LES, "description": "Motor hilang."})
    assert_errors(response, 403, "api_key")


@pytest.mark.usefixtures("nothing_stored")
def test_a_json_body_is_not_a_form_post(client: Client, api_key: str) -> None:
    response = client.post(f"{V2}/requests.json", {"api_key": api_key, "service_code": "theft"},
                           content_type="application/json")
    assert_errors(response, 403, "api_key")


def test_the_hourly_limit_per_client_applies(post, settings) -> None:
    settings.POLMAS_REPORTS_PER_HOUR = 2
    assert post().status_code == 200 and post().status_code == 200
    before = Report.objects.count()
    [error] = assert_errors(post(), 429)
    assert "hour" in error["description"] or "jam" in error["description"]
    assert Report.objects.count() == before
    # Another client (another key) has its own allowance.
    assert post(api_key=new_key("Other app")).status_code == 200


def test_a_blocked_phone_is_refused_with_403(post) -> None:
    first = post(phone="081299887766")
    report_id = first.json()[0]["service_request_id"]
    sender_block(actor=person("kapolsek"), report_id=report_id, what="phone", reason="laporan palsu")
    before = Report.objects.count()
    assert_errors(post(phone="081299887766"), 403)
    assert Report.objects.count() == before
    assert post(phone="081211112222").status_code == 200


def test_media_url_is_ignored_and_said_so(post) -> None:
    response = post(media_url="http://169.254.169.254/latest/meta-data/")
    assert response.status_code == 200
    [answer] = response.json()
    assert "media_url" in answer["service_notice"]
    assert not Report.objects.get(pk=answer["service_request_id"]).photo


def test_a_post_is_audited_with_the_client_key(post, api_key: str) -> None:
    report_id = post().json()[0]["service_request_id"]
    entry = AuditEntry.objects.get(action="open311.post", object_id=str(report_id))
    key = Open311Key.objects.get(key_prefix=api_key[:10])
    assert entry.detail == {"key": key.pk, "client": "Lapor Desa app"}
    assert key.last_used_at is not None


def test_get_and_put_on_a_single_request_answer_405_for_put(client: Client) -> None:
    response = client.put(f"{V2}/requests/1.json")
    assert_errors(response, 405)


@pytest.mark.usefixtures("nothing_stored")
def test_a_body_over_the_upload_limit_answers_413(post) -> None:
    assert_errors(post(description="x" * 3_000_000), 413)


@pytest.mark.usefixtures("nothing_stored")
def test_a_flood_of_fields_answers_400(client: Client, api_key: str) -> None:
    fields = {f"f{i}": "1" for i in range(1200)}
    response = client.post(f"{V2}/requests.json", {"api_key": api_key, **fields})
    assert_errors(response, 400)


@pytest.mark.usefixtures("nothing_stored")
def test_errors_are_in_indonesian_by_default(post) -> None:
    [error] = assert_errors(post(api_key=None), 403)
    assert error["description"] == "api_key: kunci API diperlukan untuk mengirim permintaan."
