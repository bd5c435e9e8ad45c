"""The published demo password where demo accounts are not allowed (POLMAS_DEBUG=0 or
POLMAS_ALLOW_DEMO=0): refused on every login path, and named by `check --deploy`."""

import pytest
from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.test import Client

from conftest import person
from polmas.access.models import ApiToken
from polmas.simulation.accounts import PASSWORD, USERNAMES

pytestmark = pytest.mark.django_db

PUBLISHED = ["admin", "kapolda", "bappenas"]


@pytest.fixture
def production(settings):
    settings.POLMAS_ALLOW_DEMO = False
    return settings


def api_login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", headers={"Accept-Language": "en"})


@pytest.mark.parametrize("username", PUBLISHED)
def test_the_login_page_refuses_the_demo_password(client, production, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", PUBLISHED)
def test_the_token_exchange_refuses_the_demo_password(client, production, username):
    response = api_login(client, username)
    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong username or password."
    assert not ApiToken.objects.exists()


def test_the_admin_login_refuses_the_demo_password(client, production):
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD,
                                                           "next": "/admin/"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # back to the admin's login


def test_demo_password_guesses_count_towards_the_lockout(client, production):
    for _ in range(4):
        assert api_login(client, "admin").status_code == 401
    assert api_login(client, "admin").status_code == 429


def test_an_account_with_its_own_password_still_logs_in(client, production):
    user = person("kapolda")
    user.set_password("a-real-password-9481")
    user.save()
    assert api_login(client, "kapolda", "a-real-password-9481").status_code == 200
    client.post("/accounts/login/", {"username": "kapolda", "password": "a-real-password-9481"})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_with_demos_allowed_the_demo_password_works(client, settings):
    settings.POLMAS_ALLOW_DEMO = True
    assert api_login(client, "admin").status_code == 200


def demo_errors() -> list:
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "polmas.E101"]


def test_check_deploy_names_the_accounts_with_the_demo_password(production):
    [error] = demo_errors()
    assert error.is_serious()
    for username in USERNAMES:
        assert username in error.msg


def test_check_deploy_names_a_staff_account_given_the_demo_password(production):
    User.objects.filter(username__in=USERNAMES).update(is_active=False)
    staff = User.objects.create_user("operator", password=PASSWORD, is_staff=True)
    [error] = demo_errors()
    assert "operator" in error.msg
    staff.set_password("another-password-5521")
    staff.save()
    assert demo_errors() == []


def test_check_deploy_is_quiet_once_the_passwords_are_changed(production):
    for user in User.objects.filter(username__in=USERNAMES):
        user.set_password(f"{user.username}-new-password-77")
        user.save()
    assert demo_errors() == []


def test_check_deploy_is_quiet_where_demos_are_allowed(settings):
    settings.POLMAS_ALLOW_DEMO = True
    assert demo_errors() == []
