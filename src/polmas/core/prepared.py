"""Prepared statements on PostgreSQL, for the few statements every report runs.

Django binds parameters on the client (psycopg's ClientCursor): PostgreSQL parses and plans
every statement afresh. For report intake's reads (reports/lookups.sender_checks: four or
five subqueries on a table of fifteen indexes) parsing and planning cost about twice the
run itself: 0.42 ms of the server's CPU a time, against 0.11-0.14 ms once the statement is
prepared (measured with psycopg alone, 5,000 runs, ADR 12). The statements run here go
through a cursor that binds on the server and prepares each statement the first time this
connection meets it; psycopg keeps the names per connection (at most 100, least recently
used dropped) and PostgreSQL re-plans them itself after a schema change.

Everything else keeps Django's default: the ORM's statements are not written to be prepared
(Django ticket #20516), and `prepare_threshold` stays None for them. The setting
POLMAS_DB_PREPARED=0 turns this off, for a connection pooler in transaction mode that does
not carry prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
On SQLite, which keeps its own statement cache, this is Django's cursor.
"""

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


def enabled(conn: BaseDatabaseWrapper) -> bool:
    return conn.vendor == "postgresql" and settings.POLMAS_DB_PREPARED


@contextlib.contextmanager
def cursor(conn: BaseDatabaseWrapper | None = None) -> Iterator[CursorWrapper]:
    """A cursor whose statements are prepared on first use (PostgreSQL) and run as prepared
    afterwards, with Django's error wrapping, query logging and execute wrappers as any
    cursor of `conn` has them."""
    conn = conn or connections[DEFAULT_DB_ALIAS]
    if not enabled(conn):
        with conn.cursor() as plain:
            yield plain
        return
    from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg 3 only

    # As BaseDatabaseWrapper.cursor() does before it makes a cursor.
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    conn.validate_thread_sharing()
    raw = conn.connection
    wrapped = (CursorDebugWrapper if conn.queries_logged else CursorWrapper)(ServerBindingCursor(raw), conn)
    # 0: prepare at the first run. Only while this cursor runs: with None (Django's setting)
    # the client cursors' statements are neither counted nor prepared.
    before, raw.prepare_threshold = raw.prepare_threshold, 0
    try:
        with wrapped:
            yield wrapped
    finally:
        raw.prepare_threshold = before
