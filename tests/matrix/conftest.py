"""The matrix's world and callers, built once per module inside a transaction rolled back at
the module's end (each test then runs in a savepoint of its own, as pytest-django does)."""

import pytest
from django.db import transaction
from django.test import Client

from conftest import person
from matrix.world import ROLES, World, world_build
from polmas.access.tokens import token_issue


class Callers:
    """A logged-in page client and a bearer token per role; "anon" has neither."""

    def __init__(self) -> None:
        self.pages: dict[str, Client] = {}
        self.tokens: dict[str, str] = {}
        self.api = Client()
        for role in ROLES:
            client = Client()
            if role != "anon":
                client.force_login(person(role))
                self.tokens[role] = token_issue(user=person(role), name="matrix")
            self.pages[role] = client


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """(world, callers), built once per module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = (world_build(), Callers())
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


__all__ = ["Callers", "World"]
