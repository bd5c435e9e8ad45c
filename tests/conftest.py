"""Shared set-up: the real regions, the unit tree, the demo data for Bali and D.I.
Yogyakarta and the named people of the demo, built once per test session."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from polmas.access.models import Role, RoleGrant
from polmas.policing.models import PoliceUnit
from polmas.policing.tree import units_build
from polmas.regions import loader
from polmas.simulation.accounts import PASSWORD, demo_accounts_create
from polmas.simulation.generator import generate
from polmas.simulation.run import DEMO_PROVINCES

SEED = 2017
YEAR = 2025
# A supervisor in D.I. Yogyakarta: in scope for nothing in Bali.
OUTSIDER = "kapolsek_depok"
OUTSIDER_DISTRICT = "34.04.07"  # Depok, Sleman


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        loader.load()
        units_build()
        generate(provinces=DEMO_PROVINCES, year=YEAR, seed=SEED)
        demo_accounts_create()
        outsider, _ = User.objects.get_or_create(username=OUTSIDER)
        outsider.set_password(PASSWORD)
        outsider.save()
        unit = PoliceUnit.objects.get(kind="polsek", region_id=OUTSIDER_DISTRICT)
        RoleGrant.objects.get_or_create(user=outsider, role=Role.SUPERVISOR, unit=unit)


@pytest.fixture(autouse=True)
def _reset_axes(settings):
    # Failed-login counters live in the database and roll back with each test; the
    # cache-backed handler would not, so make sure the database handler is used.
    settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English leaves English active in the thread (LocaleMiddleware activates the
    # request's language and nothing switches back), so a test calling a service directly would
    # see the language of whatever test ran before it: under pytest-xdist that order changes.
    from django.utils import translation

    translation.deactivate()  # the default, settings.LANGUAGE_CODE
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The database rolls back after each test and may come back to an earlier rollup stamp,
    # so a page cached in one test must not be served in the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def login(client: Client):
    """login("kapolsek") -> a test client logged in as that demo user."""

    def _login(username: str) -> Client:
        client.force_login(person(username))
        return client

    return _login


@pytest.fixture
def token():
    """token("kapolsek") -> a bearer token, issued by the service POST /api/v1/auth/token calls
    (once per user and test); logging in over HTTP is tested in tests/api/test_auth*.py."""
    from polmas.access.tokens import token_issue

    issued: dict[str, str] = {}

    def _token(username: str) -> str:
        if username not in issued:
            issued[username] = token_issue(user=person(username), name="test")
        return issued[username]

    return _token


@pytest.fixture
def api(client: Client, token):
    """api("kapolsek").get("/api/v1/me") -> a client sending that user's bearer token."""

    class _Api:
        def __init__(self, username: str | None) -> None:
            self.headers = {"Authorization": f"Bearer {token(username)}"} if username else {}

        def get(self, path: str, **params):
            return client.get(path, params, headers=self.headers)

        def post(self, path: str, data: object):
            return client.post(path, data, content_type="application/json", headers=self.headers)

    return _Api


def today() -> dt.date:
    return dt.date.today()
