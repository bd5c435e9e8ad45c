"""The PostgreSQL backend's health check (polmas.core.db.postgresql): a quiet connection is
usable without a round trip; one the server has ended is found out and replaced."""

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's"),
]


@pytest.fixture
def own():
    """A connection of its own (the test's is inside its transaction), in autocommit."""
    default = connections["default"]
    probe = type(default)(default.settings_dict.copy(), alias="probe")
    probe.ensure_connection()
    yield probe
    probe.close()


def _last_statement(pid: int, via=connection) -> str:
    with via.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_the_engine_is_ours():
    assert type(connections["default"]).__module__ == "polmas.core.db.postgresql.base"


def test_a_quiet_connection_is_usable_without_asking_the_server(own):
    with own.cursor() as cursor:
        cursor.execute("SELECT 'marker'")
        pid = own.connection.info.backend_pid
    assert own.is_usable()
    assert _last_statement(pid) == "SELECT 'marker'"  # no SELECT 1 was sent


def test_a_connection_the_server_ended_is_replaced_before_the_next_statement(own):
    with own.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
        assert cursor.fetchone() == (True,)
    assert not own.is_usable()
    # What a new request does: the health check closes it, the next statement reconnects.
    own.health_check_enabled, own.health_check_done = True, False
    own.close_if_health_check_failed()
    with own.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_inside_a_transaction_the_server_is_asked(own):
    """The test's connection is inside its transaction (begun on the server by a first
    statement): no shortcut, Django's SELECT 1."""
    assert connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'in a transaction'")
    assert connection.is_usable()
    assert _last_statement(connection.connection.info.backend_pid, via=own) == "SELECT 1"
