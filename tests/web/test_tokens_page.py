"""/akun/token/: the user's own API tokens, each revocable with a POST (CSRF-checked)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import person
from polmas.access.models import ApiToken, AuditEntry
from polmas.access.tokens import session_issue, token_refresh

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
PAGE = "/akun/token/"


def revoke_url(token: ApiToken) -> str:
    return f"/akun/token/{token.pk}/cabut/"


def me(client: Client, key: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code


def issued(username: str, name: str = "field app") -> tuple[ApiToken, str]:
    pair = session_issue(user=person(username), name=name)
    return ApiToken.objects.get(key_prefix=pair.access[:10]), pair.access


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_lists_my_live_tokens_only(login):
    mine, _key = issued("kapolsek", "phone of the patrol")
    gone, _ = issued("kapolsek", "old laptop")
    ApiToken.objects.filter(pk=gone.pk).update(revoked_at=timezone.now())
    stale, _ = issued("kapolsek", "stale tablet")
    past = timezone.now() - dt.timedelta(seconds=1)
    ApiToken.objects.filter(pk=stale.pk).update(expires_at=past, refresh_expires_at=past)
    issued("kapolres", "someone else's")

    body = login("kapolsek").get(PAGE, headers=EN).content.decode()
    assert "phone of the patrol" in body and mine.key_prefix in body
    assert f'data-token="{mine.pk}"' in body
    assert "old laptop" not in body and "stale tablet" not in body and "someone else" not in body
    assert "Last used" in body and "not yet" in body


def test_a_refreshed_token_is_listed_once_with_its_first_login(client, login):
    first = session_issue(user=person("kapolsek"), name="field app")
    token_refresh(key=first.refresh)
    body = login("kapolsek").get(PAGE, headers=EN).content.decode()
    assert body.count("data-token=") == 1


def test_it_says_when_there_is_no_token(login):
    body = login("kapolsek").get(PAGE, headers=EN).content.decode()
    assert 'id="no-tokens"' in body


def test_the_menu_links_to_the_page(login):
    body = login("warga").get("/", headers=EN).content.decode()
    assert f'href="{PAGE}"' in body


def test_looking_writes_nothing(login):
    token, _ = issued("kapolsek")
    client = login("kapolsek")
    audit = AuditEntry.objects.count()
    client.get(PAGE)
    assert client.get(revoke_url(token)).status_code == 405
    assert AuditEntry.objects.count() == audit
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_revoking_stops_the_token_at_once(login):
    token, key = issued("kapolsek")
    client = login("kapolsek")
    assert me(client, key) == 200
    response = client.post(revoke_url(token), headers=EN)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert ApiToken.objects.get(pk=token.pk).revoked_reason == "user"
    assert me(client, key) == 401
    page = client.get(PAGE, headers=EN).content.decode()
    assert "is revoked" in page and f'data-token="{token.pk}"' not in page


def test_revoking_someone_elses_token_answers_404(login):
    theirs, key = issued("kapolres")
    client = login("kapolsek")
    assert client.post(revoke_url(theirs)).status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert me(client, key) == 200


@pytest.mark.parametrize("token_id", ["999999999", "9" * 30])
def test_revoking_a_missing_token_answers_404(login, token_id):
    assert login("kapolsek").post(f"/akun/token/{token_id}/cabut/").status_code == 404


def test_revoking_needs_the_csrf_token(db):
    token, _ = issued("kapolsek")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person("kapolsek"))
    assert client.post(revoke_url(token)).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
