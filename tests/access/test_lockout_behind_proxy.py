"""Behind a proxy (POLMAS_BEHIND_PROXY=1) every request comes from the proxy's address: the
lockout must count failures per client (the hop our proxy added to X-Forwarded-For, as for
intake) and username, or five wrong passwords would lock everyone out."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
X, Y = "203.0.113.7", "198.51.100.23"


@pytest.fixture(autouse=True)
def behind_proxy(settings):
    settings.POLMAS_BEHIND_PROXY = True


def api_login(client: Client, username: str, password: str, client_address: str,
              forwarded_prefix: str = ""):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", REMOTE_ADDR=PROXY,
                       headers={"X-Forwarded-For": forwarded_prefix + client_address})


def web_login(client: Client, username: str, password: str, client_address: str):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": client_address})


def lock(client: Client, username: str, client_address: str) -> None:
    for _ in range(4):
        assert api_login(client, username, "wrong", client_address).status_code == 401
    assert api_login(client, username, "wrong", client_address).status_code == 429


def test_a_locked_user_leaves_other_users_behind_the_proxy_alone(client):
    lock(client, "kapolsek", X)
    assert api_login(client, "kapolres", PASSWORD, X).status_code == 200
    assert api_login(client, "kapolres", PASSWORD, Y).status_code == 200


def test_a_lock_from_one_client_leaves_the_same_user_elsewhere_alone(client):
    lock(client, "kapolsek", X)
    assert api_login(client, "kapolsek", PASSWORD, X).status_code == 429
    assert api_login(client, "kapolsek", PASSWORD, Y).status_code == 200


def test_the_failures_are_kept_under_the_client_address(client):
    api_login(client, "kapolsek", "wrong", X)
    assert AccessAttempt.objects.get().ip_address == X


def test_a_forged_first_hop_does_not_dodge_the_lock(client):
    # Only the hop our proxy added counts: what the client wrote before it is its own word.
    lock(client, "kapolsek", X)
    response = api_login(client, "kapolsek", PASSWORD, X, forwarded_prefix=f"{Y}, ")
    assert response.status_code == 429


def test_the_login_page_locks_per_client_too(client):
    for _ in range(5):
        web_login(client, "kapolsek", "wrong", X)
    assert "_auth_user_id" not in client.session
    web_login(client, "kapolres", PASSWORD, X)
    assert client.session.get("_auth_user_id")
    other = Client()
    web_login(other, "kapolsek", PASSWORD, Y)
    assert other.session.get("_auth_user_id")


def test_without_a_proxy_the_header_is_ignored(client, settings):
    settings.POLMAS_BEHIND_PROXY = False
    client.post("/api/v1/auth/token", {"username": "kapolsek", "password": "wrong"},
                content_type="application/json", REMOTE_ADDR="192.0.2.9",
                headers={"X-Forwarded-For": X})
    assert AccessAttempt.objects.get().ip_address == "192.0.2.9"
