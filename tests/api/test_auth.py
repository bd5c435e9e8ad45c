"""POST /auth/token and the bearer tokens it hands out."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone, translation

from api.conftest import API, assert_error
from conftest import person
from polmas.access.models import ApiToken
from polmas.access.tokens import token_issue, token_revoke
from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = f"{API}/auth/token"


def login(client: Client, username: str, password: str, **headers):
    return client.post(TOKEN, {"username": username, "password": password},
                       content_type="application/json", headers={"Accept-Language": "en", **headers})


def me(client: Client, authorization: str | None, lang: str = "en"):
    headers = {"Accept-Language": lang}
    if authorization is not None:
        headers["Authorization"] = authorization
    return client.get(f"{API}/me", headers=headers)


def test_it_issues_a_token_that_opens_the_api(client):
    response = login(client, "kapolsek", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("pm_") and body["token_type"] == "Bearer"
    assert me(client, f"Bearer {body['token']}").json()["username"] == "kapolsek"
    stored = ApiToken.objects.get(user=person("kapolsek"))
    assert stored.key_hash != body["token"] and body["token"] not in stored.key_hash


def test_it_names_the_token_as_asked(client):
    response = client.post(TOKEN, {"username": "kapolsek", "password": PASSWORD, "name": "field app"},
                           content_type="application/json")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=person("kapolsek")).name == "field app"


def test_it_refuses_a_wrong_password(client):
    body = assert_error(login(client, "kapolsek", "not-the-password"), 401)
    assert body["detail"] == "Wrong username or password."
    assert not ApiToken.objects.filter(user=person("kapolsek")).exists()


def test_it_refuses_an_unknown_user_like_a_wrong_password(client):
    body = assert_error(login(client, "nobody-at-all", PASSWORD), 401)
    assert body["detail"] == "Wrong username or password."


def test_it_refuses_a_disabled_account(client):
    user = person("kapolsek")
    user.is_active = False
    user.save()
    assert_error(login(client, "kapolsek", PASSWORD), 401)


def test_it_locks_the_account_after_five_wrong_passwords(client):
    for _ in range(4):
        assert_error(login(client, "kapolsek", "wrong"), 401)
    fifth = assert_error(login(client, "kapolsek", "wrong"), 429)
    assert "Too many failed logins" in fifth["detail"]
    # Now even the right password is refused, in JSON, with a hint when to come back.
    sixth = login(client, "kapolsek", PASSWORD)
    body = assert_error(sixth, 429)
    assert body["detail"] == "Too many failed logins: this account is locked for 15 minutes."
    assert int(sixth["Retry-After"]) == 15 * 60
    assert not ApiToken.objects.filter(user=person("kapolsek")).exists()


def test_a_lock_without_cool_off_says_an_administrator_must_lift_it(client, settings):
    settings.AXES_COOLOFF_TIME = None
    for _ in range(5):
        login(client, "kapolsek", "wrong")
    response = login(client, "kapolsek", PASSWORD)
    assert "until an administrator unlocks it" in assert_error(response, 429)["detail"]
    assert not response.has_header("Retry-After")


def test_lockout_counts_failures_under_the_username_sent_as_json(client):
    for _ in range(2):
        login(client, "kapolsek", "wrong")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "kapolsek"
    assert attempt.failures_since_start == 2


def test_lockout_of_one_account_leaves_other_accounts_alone(client):
    for _ in range(5):
        login(client, "kapolsek", "wrong")
    assert login(client, "kapolres", PASSWORD).status_code == 200


def test_a_successful_login_clears_earlier_failures(client):
    for _ in range(4):
        login(client, "kapolsek", "wrong")
    assert login(client, "kapolsek", PASSWORD).status_code == 200
    for _ in range(4):
        assert_error(login(client, "kapolsek", "wrong"), 401)
    assert login(client, "kapolsek", PASSWORD).status_code == 200


def test_it_answers_in_indonesian_unless_asked_for_english(client):
    response = client.post(TOKEN, {"username": "kapolsek", "password": "wrong"},
                           content_type="application/json")
    assert_error(response, 401)
    assert response["Content-Language"] == "id"
    assert login(client, "kapolsek", "wrong")["Content-Language"] == "en"


@pytest.mark.parametrize("body,reason", [
    ("{not json", "is not valid JSON"),
    ('{"username": "kapolsek", "password": ', "is not valid JSON"),
    ("[]", "must be a JSON object"),
    ("null", "must be a JSON object"),
    ('"kapolsek"', "must be a JSON object"),
    (b"\xff\xfe", "is not valid JSON"),
])
def test_it_answers_400_for_a_body_that_is_not_a_json_object(client, body, reason):
    response = client.post(TOKEN, body, content_type="application/json",
                           headers={"Accept-Language": "en"})
    error = assert_error(response, 400, "body")
    assert error["errors"] == [{"field": "body", "reason": reason}]


def test_it_answers_413_for_a_huge_body(client, settings):
    body = '{"username": "kapolsek", "password": "%s"}' % ("x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    response = client.post(TOKEN, body, content_type="application/json",
                           headers={"Accept-Language": "en"})
    assert assert_error(response, 413)["detail"] == "The request body is too large."


@pytest.mark.parametrize("body,fields", [
    ({}, {"username", "password"}),
    ({"username": "kapolsek"}, {"password"}),
    ({"username": 7, "password": ["x"]}, {"username", "password"}),
    ({"username": "", "password": PASSWORD}, {"username"}),
    ({"username": "kapolsek\x00", "password": PASSWORD}, {"username"}),
    ({"username": "k" * 151, "password": PASSWORD}, {"username"}),
    ({"username": "kapolsek", "password": "p" * 1025}, {"password"}),
    ({"username": "kapolsek", "password": PASSWORD, "name": "a\x00b"}, {"name"}),
    ({"username": "kapolsek", "password": PASSWORD, "name": "n" * 101}, {"name"}),
])
def test_it_answers_422_naming_each_bad_field(client, body, fields):
    response = client.post(TOKEN, body, content_type="application/json",
                           headers={"Accept-Language": "en"})
    error = assert_error(response, 422)
    assert {e["field"] for e in error["errors"]} == fields
    assert not ApiToken.objects.exists()


def test_a_missing_field_is_named_in_english_on_request(client):
    response = client.post(TOKEN, {"username": "kapolsek"}, content_type="application/json",
                           headers={"Accept-Language": "en"})
    assert response.json()["errors"] == [{"field": "password", "reason": "is required"}]


def test_it_refuses_a_call_without_a_token(client):
    response = me(client, None)
    body = assert_error(response, 401)
    assert body["detail"].startswith("Authentication required")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("authorization", [
    "Basic a2Fwb2xzZWs6cG9sbWFzLWRlbW8=", "Token pm_abc", "Bearer", "bearer ", "pm_abc",
])
def test_it_refuses_other_authorization_schemes(client, authorization):
    assert_error(me(client, authorization), 401)


@pytest.mark.parametrize("key,detail", [
    ("not-our-token", "The token is malformed."),
    ("pm_" + "x" * 200, "The token is malformed."),
    ("pm_" + "A" * 43, "The token is not recognised."),
    ("pm_\x00\x01", "The token is not recognised."),
])
def test_it_refuses_a_forged_token(client, key, detail):
    assert assert_error(me(client, f"Bearer {key}"), 401)["detail"] == detail


def test_it_refuses_a_revoked_token(client):
    key = token_issue(user=person("kapolsek"))
    assert me(client, f"Bearer {key}").status_code == 200
    token_revoke(user=person("kapolsek"), token_id=ApiToken.objects.get().pk)
    body = assert_error(me(client, f"Bearer {key}"), 401)
    assert body["detail"] == "The token has been revoked."


def test_it_refuses_an_expired_token_saying_so(client):
    key = token_issue(user=person("kapolsek"))
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    body = assert_error(me(client, f"Bearer {key}"), 401)
    assert "expired" in body["detail"]


def test_it_refuses_the_token_of_a_disabled_account(client):
    key = token_issue(user=person("kapolsek"))
    person("kapolsek").__class__.objects.filter(username="kapolsek").update(is_active=False)
    assert assert_error(me(client, f"Bearer {key}"), 401)["detail"] == "The account is disabled."


def test_token_errors_are_translatable(client):
    # Indonesian by default: the status and shape hold whatever the catalogue says.
    response = me(client, "Bearer pm_unknown", lang="id")
    assert_error(response, 401)
    assert response["Content-Language"] == "id"


def test_errors_come_out_in_indonesian_without_accept_language(client):
    key = token_issue(user=person("warga"))
    response = client.get(f"{API}/units/1", headers={"Authorization": f"Bearer {key}"})
    with translation.override("id"):
        expected = translation.gettext("Not found.")
    assert assert_error(response, 404)["detail"] == expected
    assert response["Content-Language"] == "id"


def test_a_read_leaves_the_token_untouched_and_a_write_records_its_use(client):
    """A GET never writes (ADR 13): last_used_at is the token's last use for a request that may
    write; a read-only client shows as alive by the fresh tokens its refreshes make."""
    key = token_issue(user=person("kapolsek"))
    for _ in range(2):
        assert me(client, f"Bearer {key}").status_code == 200
    assert ApiToken.objects.get().last_used_at is None
    response = client.post(f"{API}/reports/inbox/seen", {"ids": [1]}, content_type="application/json",
                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code < 500
    assert ApiToken.objects.get().last_used_at is not None
