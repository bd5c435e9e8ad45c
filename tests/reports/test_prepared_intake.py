"""On PostgreSQL a report's read and its INSERT run as prepared statements (core/prepared.py),
unless POLMAS_DB_PREPARED is off; the ORM's statements stay unprepared."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from polmas.core import prepared
from polmas.reports.models import Report
from reports.helpers import submit

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="prepared statements are PostgreSQL's")


def _runs() -> dict[str, int]:
    """How often this session has run each prepared statement, by its first words."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        found: dict[str, int] = {}
        for statement, runs in cursor.fetchall():
            key = ("intake insert" if statement.startswith('INSERT INTO "reports_report"')
                   else "intake read" if statement.startswith("SELECT (SELECT id FROM reports_report")
                   else statement[:40])
            found[key] = found.get(key, 0) + runs
        return found


@postgresql_only
def test_a_reports_read_and_insert_are_prepared_and_the_orms_statements_are_not():
    before = _runs()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            submit(routed=False, client_uuid=uuid.uuid4())
    after = _runs()
    assert after.get("intake read", 0) - before.get("intake read", 0) == 3
    assert after.get("intake insert", 0) - before.get("intake insert", 0) == 3
    # Nothing else was prepared but insert_one's INSERTs (the routing task's row): no
    # statement of the ORM's (the catalogue, Report.objects...) is in the list.
    assert all(key in ("intake read", "intake insert") or key.startswith("INSERT INTO")
               for key in after), after
    # The statements are logged as any other (the debug cursor sees them).
    assert sum('INSERT INTO "reports_report"' in q["sql"] for q in queries.captured_queries) == 3
    # Django's own setting is back for the client cursors.
    assert connection.connection.prepare_threshold is None


@postgresql_only
def test_with_the_setting_off_nothing_is_prepared(settings):
    settings.POLMAS_DB_PREPARED = False
    before = _runs()
    done = submit(routed=False, client_uuid=uuid.uuid4())
    assert _runs() == before
    assert Report.objects.filter(pk=done.report.pk).exists()


@postgresql_only
def test_a_resend_stored_meanwhile_is_refused_through_the_prepared_insert():
    """The client UUID's unique index answers through the prepared INSERT as Django's
    IntegrityError, and marks the caller's transaction for rollback."""
    from polmas.core.inserts import insert_one

    first = submit(routed=False, client_uuid=uuid.uuid4()).report
    twin = Report(category=first.category, description="x", village_id=first.village_id,
                  channel="api", tracking_hash=uuid.uuid4().hex, client_uuid=first.client_uuid)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_one(twin, signals=False)
        assert connection.needs_rollback
    assert Report.objects.filter(client_uuid=first.client_uuid).count() == 1
    # The connection goes on: the next report is stored through the same prepared statements.
    assert submit(routed=False, client_uuid=uuid.uuid4()).report.pk > first.pk


def test_the_prepared_cursor_is_djangos_own_elsewhere(settings):
    """With the setting off, and on SQLite whatever the setting."""
    settings.POLMAS_DB_PREPARED = connection.vendor == "sqlite"
    assert not prepared.enabled(connection)
    with prepared.cursor() as cursor:
        cursor.execute("SELECT %s", [1])
        assert cursor.fetchone() == (1,)
