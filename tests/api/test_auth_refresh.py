"""Token lifetime, POST /auth/refresh (rotation, reuse), POST /auth/revoke, and the tokens a
password change or a disabled account ends."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.conftest import API, assert_error
from conftest import person
from polmas.access.models import ApiToken, AuditEntry
from polmas.access.tokens import session_issue
from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def login(client: Client, username: str = "kapolsek") -> dict:
    response = client.post(f"{API}/auth/token", {"username": username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def refresh(client: Client, refresh_token: str):
    return client.post(f"{API}/auth/refresh", {"refresh_token": refresh_token},
                       content_type="application/json", headers=EN)


def me(client: Client, token: str):
    return client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}", **EN})


def revoke(client: Client, token: str):
    return client.post(f"{API}/auth/revoke", headers={"Authorization": f"Bearer {token}", **EN})


def test_the_access_token_lasts_a_day_and_the_refresh_token_thirty(client):
    body = login(client)
    created = ApiToken.objects.get().created_at
    expires = dt.datetime.fromisoformat(body["expires_at"])
    refresh_expires = dt.datetime.fromisoformat(body["refresh_expires_at"])
    assert abs(expires - created - dt.timedelta(hours=24)) < dt.timedelta(seconds=5)
    assert abs(refresh_expires - created - dt.timedelta(days=30)) < dt.timedelta(seconds=5)
    assert body["refresh_token"].startswith("pmr_") and body["refresh_token"] != body["token"]


def test_the_lifetimes_follow_the_settings(client, settings):
    settings.API_TOKEN_TTL_HOURS = 10
    settings.API_REFRESH_TTL_DAYS = 3
    login(client)
    token = ApiToken.objects.get()
    assert abs(token.expires_at - token.created_at - dt.timedelta(hours=10)) < dt.timedelta(seconds=5)
    assert abs(token.refresh_expires_at - token.created_at - dt.timedelta(days=3)) < dt.timedelta(seconds=5)


def test_a_refresh_gives_new_tokens_and_uses_up_the_old_ones(client):
    first = login(client)
    response = refresh(client, first["refresh_token"])
    assert response.status_code == 200, response.content
    second = response.json()
    assert second["token"] != first["token"] and second["refresh_token"] != first["refresh_token"]
    assert me(client, second["token"]).json()["username"] == "kapolsek"
    assert assert_error(me(client, first["token"]), 401)["detail"] == "The token has been revoked."
    # The new pair refreshes in turn.
    assert refresh(client, second["refresh_token"]).status_code == 200


def test_an_expired_access_token_is_refreshed_offline_shift_style(client):
    first = login(client)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(hours=1))
    assert "POST /auth/refresh" in assert_error(me(client, first["token"]), 401)["detail"]
    second = refresh(client, first["refresh_token"]).json()
    assert me(client, second["token"]).status_code == 200


def test_a_reused_refresh_token_revokes_the_whole_login(client):
    first = login(client)
    second = refresh(client, first["refresh_token"]).json()
    replay = refresh(client, first["refresh_token"])
    assert "already used" in assert_error(replay, 401)["detail"]
    assert assert_error(me(client, second["token"]), 401)["detail"] == "The token has been revoked."
    assert_error(refresh(client, second["refresh_token"]), 401)
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"refreshed", "reuse"}
    assert AuditEntry.objects.filter(action="token.revoke", detail__reason="reuse").exists()


def test_a_reuse_leaves_the_accounts_other_logins_alone(client):
    phone = login(client)
    laptop = login(client)
    refresh(client, phone["refresh_token"])
    refresh(client, phone["refresh_token"])
    assert me(client, laptop["token"]).status_code == 200


@pytest.mark.parametrize("key,status,detail", [
    ("pmr_" + "A" * 43, 401, "The refresh token is not recognised."),
    ("pm_abc", 401, "The refresh token is malformed."),
    ("x" * 101, 422, None),
    ("", 422, None),
])
def test_it_refuses_a_bad_refresh_token(client, key, status, detail):
    body = assert_error(refresh(client, key), status)
    if detail:
        assert body["detail"] == detail


def test_an_expired_refresh_token_is_refused(client):
    first = login(client)
    ApiToken.objects.update(refresh_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "expired" in assert_error(refresh(client, first["refresh_token"]), 401)["detail"]


def test_refresh_reads_a_form_body_too(client):
    first = login(client)
    response = client.post(f"{API}/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert response.status_code == 200, response.content


def test_revoke_logs_out_this_login_only(client):
    phone = login(client)
    laptop = login(client)
    response = revoke(client, phone["token"])
    assert response.status_code == 204
    assert_error(me(client, phone["token"]), 401)
    assert_error(refresh(client, phone["refresh_token"]), 401)
    assert me(client, laptop["token"]).status_code == 200
    assert ApiToken.objects.get(revoked_at__isnull=False).revoked_reason == "logout"


def test_revoke_needs_a_live_token(client):
    phone = login(client)
    revoke(client, phone["token"])
    assert_error(revoke(client, phone["token"]), 401)
    assert_error(client.post(f"{API}/auth/revoke"), 401)


def test_each_login_revoked_is_audited_once(client):
    phone, laptop = login(client), login(client)
    refresh(client, phone["refresh_token"])
    # A login with two live rows (an old row the admin brought back): still one login.
    ApiToken.objects.filter(revoked_reason="refreshed").update(revoked_at=None, revoked_reason="")
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 3
    user = person("kapolsek")
    user.set_password("a-brand-new-password-31")
    user.save()
    entries = AuditEntry.objects.filter(action="token.revoke", detail__reason="password")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(f) for f in ApiToken.objects.order_by().values_list("family", flat=True).distinct())
    assert entries.count() == 2
    assert laptop  # both logins were made


def test_a_new_password_ends_every_token(client):
    first = login(client)
    user = person("kapolsek")
    user.set_password("a-brand-new-password-31")
    user.save()
    assert_error(me(client, first["token"]), 401)
    assert_error(refresh(client, first["refresh_token"]), 401)
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"password"}


def test_a_login_that_upgrades_the_password_hash_leaves_the_tokens_alone(client, settings):
    """After a Django upgrade (a new hasher, more iterations) the next login re-hashes the same
    password: that is no new password, and the field app's other logins must go on."""
    first = login(client)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert person("kapolsek").password.startswith("md5$")

    second = login(client)

    assert person("kapolsek").password.startswith("pbkdf2_sha256$")  # the hash was upgraded
    assert me(client, first["token"]).status_code == 200
    assert me(client, second["token"]).status_code == 200
    assert not ApiToken.objects.exclude(revoked_reason="").exists()


def test_the_password_form_ends_every_token(client):
    first = login(client)
    client.force_login(person("admin"))
    user = person("kapolsek")
    response = client.post(f"/admin/auth/user/{user.pk}/password/",
                           {"password1": "Another-Pass-8812", "password2": "Another-Pass-8812"})
    assert response.status_code == 302, response.content
    assert_error(me(client, first["token"]), 401)


def test_changepassword_command_ends_every_token(client, monkeypatch):
    first = login(client)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Command-Pass-5521")
    call_command("changepassword", "kapolsek", stdout=io.StringIO())
    assert_error(me(client, first["token"]), 401)


def test_disabling_the_account_ends_every_token(client):
    first = login(client)
    user = person("kapolsek")
    user.is_active = False
    user.save()
    assert ApiToken.objects.get().revoked_reason == "deactivated"
    user.is_active = True
    user.save()
    assert_error(me(client, first["token"]), 401)


def test_saving_a_user_otherwise_leaves_the_tokens_alone(client):
    first = login(client)
    user = person("kapolsek")
    user.first_name = "Made"
    user.save()
    login(client)  # last_login is saved again
    assert me(client, first["token"]).status_code == 200


def test_the_other_users_tokens_stay(client):
    other = session_issue(user=person("kapolres"))
    user = person("kapolsek")
    user.set_password("a-brand-new-password-31")
    user.save()
    assert me(client, other.access).status_code == 200
