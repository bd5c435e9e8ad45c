"""The SQLite connection's settings that intake's speed and durability rest on (settings.py)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_each_sqlite_connection_runs_in_wal_with_its_checkpoint_and_temp_settings():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's pragmas")
    with connection.cursor() as cursor:
        found = {}
        for pragma in ("journal_mode", "synchronous", "busy_timeout", "temp_store", "wal_autocheckpoint"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = cursor.fetchone()[0]
    # The test database lives in memory, whose journal is "memory" rather than WAL.
    assert found["journal_mode"] in ("wal", "memory")
    # NORMAL (1): in WAL, fsync at checkpoints only; MEMORY (2): statement journals in memory.
    assert found | {"journal_mode": None} == {"journal_mode": None, "synchronous": 1, "busy_timeout": 5000,
                                              "temp_store": 2, "wal_autocheckpoint": 4000}
