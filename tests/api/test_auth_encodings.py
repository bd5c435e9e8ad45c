"""POST /auth/token in every encoding a client may send: each answers a clear 4xx or a token,
and every wrong password is counted towards the lockout, whatever the encoding."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from api.conftest import API, assert_error
from polmas.access.models import ApiToken
from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = f"{API}/auth/token"
EN = {"Accept-Language": "en"}
WRONG = {"username": "kapolsek", "password": "wrong"}
FORM = "application/x-www-form-urlencoded"


def post(client: Client, body, content_type: str):
    return client.post(TOKEN, body, content_type=content_type, headers=EN)


def multipart(client: Client, data: dict):
    return client.post(TOKEN, data, headers=EN)  # the test client's default: multipart


def failures() -> int:
    attempt = AccessAttempt.objects.filter(username="kapolsek").first()
    return attempt.failures_since_start if attempt else 0


def test_a_multipart_type_without_boundary_answers_400_not_500(client):
    # The outside test's finding: a JSON body labelled multipart reached authenticate(), and
    # axes' reading of the form data crashed: a 500 that was never counted.
    response = post(client, '{"username": "kapolsek", "password": "wrong"}', "multipart/form-data")
    error = assert_error(response, 400, "body")
    assert error["errors"] == [{"field": "body", "reason": "is not a valid multipart/form-data body"}]


@pytest.mark.parametrize("send", [
    lambda c, data: multipart(c, data),
    lambda c, data: post(c, "&".join(f"{k}={v}" for k, v in data.items()), FORM),
    lambda c, data: post(c, data, "application/json"),
    lambda c, data: post(c, data, "application/json; charset=UTF-8"),
], ids=["multipart", "urlencoded", "json", "json-utf8"])
def test_a_wrong_password_counts_in_every_accepted_encoding(client, send):
    for expected in (1, 2):
        assert_error(send(client, WRONG), 401)
        assert failures() == expected


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_five_wrong_passwords_as_a_form_lock_the_account(client, encoding):
    for _ in range(4):
        response = (multipart(client, WRONG) if encoding == "multipart"
                    else post(client, "username=kapolsek&password=wrong", FORM))
        assert_error(response, 401)
    fifth = multipart(client, WRONG) if encoding == "multipart" else post(
        client, "username=kapolsek&password=wrong", FORM)
    assert_error(fifth, 429)
    # Locked for JSON too: the count is the account's and the client's, not the encoding's.
    assert_error(post(client, {"username": "kapolsek", "password": PASSWORD}, "application/json"), 429)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_the_right_password_as_a_form_gets_a_token(client, encoding):
    data = {"username": "kapolsek", "password": PASSWORD, "name": "curl"}
    response = (multipart(client, data) if encoding == "multipart"
                else post(client, f"username=kapolsek&password={PASSWORD}&name=curl", FORM))
    assert response.status_code == 200, response.content
    assert response.json()["token"].startswith("pm_")
    assert ApiToken.objects.get().name == "curl"


@pytest.mark.parametrize("content_type,body,status,field,reason", [
    ("text/plain", '{"username": "kapolsek", "password": "wrong"}', 415, "Content-Type",
     "text/plain is not accepted: send application/json, application/x-www-form-urlencoded or "
     "multipart/form-data"),
    ("application/octet-stream", b"\x00\xff\xfe garbage", 415, "Content-Type",
     "application/octet-stream is not accepted: send application/json, "
     "application/x-www-form-urlencoded or multipart/form-data"),
    ("application/json; charset=latin-1", '{"username": "kapolsek", "password": "wrong"}', 415,
     "Content-Type", "charset latin-1 is not accepted: JSON is sent as UTF-8"),
    ("application/json", b'{"username": "kapolsek\xe9", "password": "x"}', 400, "body",
     "is not valid JSON"),
    ("application/json", b"\x00\xff\x13", 400, "body", "is not valid JSON"),
    ("application/json", "", 400, "body", "is empty"),
    ("", "", 400, "body", "is empty"),
    (FORM, "", 400, "body", "is empty"),
    ("multipart/form-data; boundary=zz", "", 400, "body", "is empty"),
])
def test_it_names_the_problem_with_a_body_it_cannot_read(client, content_type, body, status, field,
                                                        reason):
    response = post(client, body, content_type)
    error = assert_error(response, status, field)
    assert error["errors"] == [{"field": field, "reason": reason}]
    assert failures() == 0 and not ApiToken.objects.exists()


@pytest.mark.parametrize("data,fields", [
    ({}, {"username", "password"}),
    ({"username": "kapolsek"}, {"password"}),
    ({"username": "kapolsek\x01", "password": "x"}, {"username"}),
    ({"username": "kapolsek", "password": "p" * 1025}, {"password"}),
])
def test_a_form_with_bad_fields_answers_422_naming_them(client, data, fields):
    response = multipart(client, data)
    error = assert_error(response, 422)
    assert {e["field"] for e in error["errors"]} == fields
    assert failures() == 0


@pytest.mark.parametrize("content_type,body", [
    (FORM, "other=1"),
    ("multipart/form-data; boundary=zz", "--zz\r\nbroken"),
])
def test_a_form_without_the_fields_names_both(client, content_type, body):
    error = assert_error(post(client, body, content_type), 422)
    assert {e["field"] for e in error["errors"]} == {"username", "password"}


def test_a_file_in_the_form_is_ignored(client, tmp_path):
    upload = tmp_path / "x.txt"
    upload.write_text("hello")
    with upload.open("rb") as fh:
        response = client.post(TOKEN, {"username": "kapolsek", "password": PASSWORD, "file": fh})
    assert response.status_code == 200


def test_the_openapi_document_lists_every_accepted_encoding(client):
    body = client.get(f"{API}/openapi.json").json()["paths"][TOKEN]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", FORM, "multipart/form-data"}
    schema = body["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"username", "password"}


def test_a_body_encoded_by_hand_as_multipart_is_read(client):
    body = encode_multipart(BOUNDARY, WRONG)
    assert_error(client.generic("POST", TOKEN, body, content_type=MULTIPART_CONTENT), 401)
    assert failures() == 1
