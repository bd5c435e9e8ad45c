"""POST /reports: anyone may report; bad input is refused by field and nothing is stored."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from api.conftest import assert_error
from conftest import person
from polmas.reports.api_schemas import SubmittedOut
from polmas.reports.models import Report
from polmas.reports.tracking import tracking_hash, value_hash
from reports_api.conftest import REPORTS, good

pytestmark = pytest.mark.django_db

DEPOK_VILLAGE = "34.04.07.2001"


def test_an_anonymous_resident_reports_without_a_token_and_gets_a_tracking_code(as_):
    count = Report.objects.count()
    response = as_(None).post(REPORTS, good(occurred_at="2026-01-05T20:30:00+08:00"))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "tracking_code", "status", "likely_duplicate", "help"}
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", body["tracking_code"])
    assert (body["status"], body["likely_duplicate"], body["help"]) == ("received", False, [])
    report = Report.objects.get(pk=body["id"])
    assert Report.objects.count() == count + 1
    assert report.tracking_hash == tracking_hash(body["tracking_code"])
    assert (report.category.code, report.village_id, report.channel) == ("theft", "51.08.09.2007", "api")
    assert report.occurred_at == dt.datetime(2026, 1, 5, 12, 30, tzinfo=dt.UTC)
    assert report.submitted_by is None and report.client_key == value_hash("client", "127.0.0.1")
    assert response["Content-Type"] == "application/json"
    # Written by hand (not validated by the framework): it must still be what the schema says.
    assert SubmittedOut.model_validate(body).model_dump() == body


def test_a_signed_in_officer_is_recorded_as_the_submitter(as_):
    body = as_("bhabin").post(REPORTS, good()).json()
    assert Report.objects.get(pk=body["id"]).submitted_by == person("bhabin")


def test_a_bad_token_is_not_taken_for_anonymity(client):
    count = Report.objects.count()
    response = client.post(REPORTS, good(), content_type="application/json",
                           headers={"Authorization": "Bearer not-a-token"})
    assert_error(response, 401)
    assert Report.objects.count() == count


def test_the_place_may_be_a_location_instead_of_a_village(as_):
    body = as_(None).post(REPORTS, good(village="", latitude=-8.1470, longitude=115.3665)).json()
    assert Report.objects.get(pk=body["id"]).village_id == "51.08.09.2007"


def test_a_sensitive_report_shows_where_to_get_help_at_once(as_):
    response = as_(None, lang="en").post(REPORTS, good(category="domestic_violence",
                                                       description="Ibu dipukul suaminya."))
    assert response.status_code == 201
    contacts = {h["contact"]: h["name"] for h in response.json()["help"]}
    assert contacts["110"] == "Police emergency line"
    assert "SAPA" in contacts["129"] and "08111-129-129" in contacts
    assert any(name.startswith("UPTD PPA") for name in contacts.values())
    assert SubmittedOut.model_validate(response.json()).model_dump() == response.json()


def test_help_is_given_in_indonesian_by_default(as_):
    body = as_(None).post(REPORTS, good(category="child_abuse", description="Anak dipukul.")).json()
    assert {h["contact"] for h in body["help"]} >= {"110", "129"}
    assert "Police" not in str(body["help"])


def test_a_second_report_nearby_is_flagged_as_a_likely_duplicate(as_):
    first = as_(None).post(REPORTS, good()).json()
    second = as_(None).post(REPORTS, good(description="Motor tetangga juga hilang.")).json()
    assert second["likely_duplicate"] is True
    assert Report.objects.get(pk=second["id"]).likely_duplicate_of_id == first["id"]
    assert as_(None).post(REPORTS, good(village=DEPOK_VILLAGE)).json()["likely_duplicate"] is False


def test_a_sensitive_submitter_is_never_told_of_an_earlier_report(as_):
    fields = {"category": "domestic_violence", "description": "Ibu dipukul suaminya."}
    first = as_(None).post(REPORTS, good(**fields)).json()
    second = as_(None).post(REPORTS, good(**fields)).json()
    assert second["likely_duplicate"] is False
    # The officer still gets the hint.
    assert Report.objects.get(pk=second["id"]).likely_duplicate_of_id == first["id"]


def test_resending_with_the_same_client_uuid_stores_nothing_new(as_):
    key = str(uuid.uuid4())
    first = as_(None).post(REPORTS, good(client_uuid=key))
    count = Report.objects.count()
    again = as_(None).post(REPORTS, good(client_uuid=key))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Report.objects.count() == count


def test_a_resend_from_the_same_address_gets_a_working_code_and_another_address_none(as_):
    key = str(uuid.uuid4())
    first = as_(None, addr="203.0.113.5").post(REPORTS, good(client_uuid=key)).json()
    replay = as_(None, addr="198.51.100.9").post(REPORTS, good(client_uuid=key))
    assert replay.status_code == 200 and replay.json()["tracking_code"] is None
    again = as_(None, addr="203.0.113.5").post(REPORTS, good(client_uuid=key))
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    code = again.json()["tracking_code"]
    assert code and code != first["tracking_code"]
    status = f"{REPORTS}/status"
    assert as_(None).post(status, {"tracking_code": code}).json()["number"] == first["id"]
    assert as_(None).post(status, {"tracking_code": first["tracking_code"]}).status_code == 404


LONG = "x" * 5001
FUTURE = (timezone.now() + dt.timedelta(days=2)).isoformat()
BAD = [
    ({"category": "unicorns"}, "category"),
    ({"description": LONG}, "description"),
    ({"description": "   "}, "description"),
    ({"description": "dicuri\u0000"}, "description"),
    ({"village": "51.8.9.2007"}, "village"),
    ({"village": "51.08.09.9999"}, "village"),
    ({"village": "51.08.09"}, "village"),
    ({"village": "", "latitude": 48.85, "longitude": 2.35}, "latitude"),
    ({"village": "", "latitude": -8.14}, "longitude"),
    ({"occurred_at": FUTURE}, "occurred_at"),
    ({"phone": "12345"}, "phone"),
    ({"phone": "+44 20 7946 0958"}, "phone"),
    ({"email": "bukan-alamat"}, "email"),
    ({"reply_channel": "sms"}, "phone"),
    ({"anonymous": False, "name": "n" * 151}, "name"),
]


@pytest.mark.parametrize("fields,field", BAD)
def test_bad_content_answers_400_naming_the_field_and_stores_nothing(as_, fields, field):
    count = Report.objects.count()
    body = assert_error(as_(None).post(REPORTS, good(**fields)), 400, field)
    assert field in body["detail"]
    assert Report.objects.count() == count


@pytest.mark.parametrize("fields,field", [
    ({"latitude": "utara", "longitude": 115.3}, "latitude"),
    ({"anonymous": "mungkin"}, "anonymous"),
    ({"client_uuid": "not-a-uuid"}, "client_uuid"),
    ({"occurred_at": "kemarin"}, "occurred_at"),
    ({"reply_channel": "pigeon"}, "reply_channel"),
    ({"phone": "0" * 41}, "phone"),
    ({"category": 7}, "category"),
    ({"description": None}, "description"),
])
def test_the_wrong_json_types_answer_422_naming_the_field(as_, fields, field):
    count = Report.objects.count()
    assert_error(as_(None).post(REPORTS, good(**fields)), 422, field)
    assert Report.objects.count() == count


@pytest.mark.parametrize("raw", ['{"category": "theft",', "[1, 2]", "null", "\"theft\"", "{'a': 1}"])
def test_malformed_json_answers_400_and_stores_nothing(as_, raw):
    count = Report.objects.count()
    assert_error(as_(None).post(REPORTS, raw), 400, "body")
    assert Report.objects.count() == count


def test_an_empty_body_answers_422_naming_it(as_):
    count = Report.objects.count()
    assert_error(as_(None).post(REPORTS, ""), 422, "body")
    assert Report.objects.count() == count


def test_every_bad_field_is_named_at_once_in_english(as_):
    body = assert_error(as_(None, lang="en").post(REPORTS, good(category="unicorns", village="99.99.99.9999",
                                                                phone="1")), 400)
    reasons = {e["field"]: e["reason"] for e in body["errors"]}
    assert reasons["category"] == "Unknown category unicorns."
    assert reasons["village"] == "No village has code 99.99.99.9999."
    assert set(reasons) == {"category", "village", "phone"}


def test_too_many_anonymous_reports_from_one_address_answer_429(as_, settings):
    settings.POLMAS_REPORTS_PER_HOUR = 2
    for _ in range(2):
        assert as_(None, addr="198.51.100.4").post(REPORTS, good()).status_code == 201
    count = Report.objects.count()
    response = as_(None, lang="en", addr="198.51.100.4").post(REPORTS, good())
    body = assert_error(response, 429)
    assert body["detail"] == "Too many reports from here in the last hour; please try again later."
    assert response["Retry-After"] == "3600" and Report.objects.count() == count
    # Another address, and an officer with a token, are not held back.
    assert as_(None, addr="198.51.100.5").post(REPORTS, good()).status_code == 201
    assert as_("bhabin", addr="198.51.100.4").post(REPORTS, good()).status_code == 201


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(as_, settings):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    assert as_(None, forwarded="10.0.0.1").post(REPORTS, good()).status_code == 201
    assert_error(as_(None, forwarded="10.0.0.2").post(REPORTS, good()), 429)


def test_behind_a_known_proxy_the_forwarded_address_is_the_client(as_, settings):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    settings.NINJA_NUM_PROXIES = 1
    assert as_(None, forwarded="203.0.113.1").post(REPORTS, good()).status_code == 201
    assert as_(None, forwarded="203.0.113.2").post(REPORTS, good()).status_code == 201
    assert_error(as_(None, forwarded="203.0.113.1").post(REPORTS, good()), 429)


def test_behind_our_proxy_the_api_counts_the_address_it_added_like_the_form(as_, settings):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    settings.POLMAS_BEHIND_PROXY = True
    assert as_(None, forwarded="198.51.100.7, 203.0.113.8").post(REPORTS, good()).status_code == 201
    # Only the last entry (the one our proxy added) counts: a forged first entry does not help.
    assert_error(as_(None, forwarded="198.51.100.9, 203.0.113.8").post(REPORTS, good()), 429)
    assert as_(None, forwarded="203.0.113.9").post(REPORTS, good()).status_code == 201
    # Not an address: the connecting address counts (the test client's 127.0.0.1).
    assert as_(None, forwarded="nonsense").post(REPORTS, good()).status_code == 201
    assert_error(as_(None, forwarded="also nonsense").post(REPORTS, good()), 429)
