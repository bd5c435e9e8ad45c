"""Secondary indexes set aside while a bulk load writes, and built again after it (PostgreSQL).

Why: PostgreSQL's "Populating a Database" advises creating indexes after a bulk load: one
sort per index instead of a B-tree insert per row and index. The national year writes 6.5
million rows into 12 tables with 51 secondary indexes between them. The figure (ADR 30,
"Indexes built after the load"; PostgreSQL 15 on the shared 2-core machine at a load average
of 10-19): national_generate took 1103 s with the indexes built after against 1286 s with
them kept, and a bare COPY of the same rows 432 s against 613 s. On one province's slice into
nearly empty tables there is no gain (71 s against 66 s), so the caller
(simulation/national.py) sets them aside only when a run at least doubles the tables.

What is set aside: on the given models' tables, every index that is neither unique nor
primary nor backs a constraint (pg_index, pg_constraint): Django's ForeignKey/db_index
indexes, their varchar_pattern_ops twins and the Meta.indexes. Unique indexes and
constraints stay: they guard the rows while they are written, and the foreign keys' checks
read the referenced primary keys. Each index comes back from its own definition
(pg_indexes.indexdef), so its name, columns, operator classes and condition are exactly
what the migrations made (Django's schema editor has a public add_index/remove_index for
Meta.indexes only, not for a field's db_index index or the _like twin).

Safety: each definition is recorded in a table of this module's own
(`polmas_deferred_index`) in the same transaction that drops the index, and the record is
deleted in the same transaction that creates the index again. So at every moment an index
either exists or its definition is recorded. `indexes_deferred` builds them again in a
`finally` (a load that fails); a process killed in between leaves the records, and the next
`indexes_restore()` (called first by `indexes_deferred`, and by anyone) builds them.

SQLite and the other databases: nothing is set aside (a no-op).
"""

import contextlib
from collections.abc import Iterator, Sequence

from django.db import connection, transaction
from django.db.models import Model

RECORD = "polmas_deferred_index"
MAINTENANCE_WORK_MEM = "256MB"  # per index build: the sorts of the largest tables fit in memory


def _supported() -> bool:
    return connection.vendor == "postgresql"


def _record_table(cursor) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {RECORD} ("
                   "name text PRIMARY KEY, tablename text NOT NULL, definition text NOT NULL, "
                   "set_aside_at timestamptz NOT NULL DEFAULT now())")


def secondary_indexes(models: Sequence[type[Model]]) -> list[tuple[str, str, str]]:
    """(table, index name, definition) of the secondary indexes of `models`' tables, in the
    current schema. PostgreSQL only."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
            "AND NOT x.indisunique AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY t.relname, i.relname", [tables])
        return [tuple(row) for row in cursor.fetchall()]


def pending() -> list[str]:
    """Names of indexes set aside and not built again yet (none when none was ever set aside)."""
    if not _supported():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RECORD])
        if not cursor.fetchone()[0]:
            return []
        cursor.execute(f"SELECT name FROM {RECORD} ORDER BY name")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def indexes_restore() -> list[str]:
    """Build again every index whose definition is recorded (left by a load that was killed
    or by `indexes_deferred`); returns their names. Each in its own transaction with its record."""
    built = []
    # Inside a caller's transaction (a test's), the rows written so far still have their
    # deferred foreign-key checks pending, and PostgreSQL refuses CREATE INDEX on a table
    # with pending trigger events: run the checks now, then defer again (Django's foreign
    # keys are DEFERRABLE INITIALLY DEFERRED). In autocommit, as `simulate` runs, no-op.
    nested = connection.in_atomic_block
    for name in pending():
        with transaction.atomic(), connection.cursor() as cursor:
            if nested:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"SELECT definition FROM {RECORD} WHERE name = %s FOR UPDATE", [name])  # noqa: S608
            row = cursor.fetchone()
            if row is None:  # restored meanwhile by another process
                continue
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [connection.ops.quote_name(name)])
            if not cursor.fetchone()[0]:
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                cursor.execute(row[0])
                built.append(name)
            cursor.execute(f"DELETE FROM {RECORD} WHERE name = %s", [name])  # noqa: S608
            if nested:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return built


def indexes_set_aside(models: Sequence[type[Model]]) -> list[str]:
    """Drop the secondary indexes of `models`' tables, recording each definition in the same
    transaction; returns their names. PostgreSQL only."""
    dropped = []
    with transaction.atomic(), connection.cursor() as cursor:
        _record_table(cursor)
        for table, name, definition in secondary_indexes(models):
            cursor.execute(f"INSERT INTO {RECORD} (name, tablename, definition) VALUES (%s, %s, %s)",  # noqa: S608
                           [name, table, definition])
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            dropped.append(name)
    return dropped


@contextlib.contextmanager
def indexes_deferred(models: Sequence[type[Model]], *, when: bool = True) -> Iterator[list[str]]:
    """Within the block, `models`' tables have no secondary indexes (PostgreSQL, and `when`);
    they are built again at the end, also when the block raises. Yields the names set aside
    (empty when nothing was). Meant for autocommit, the block committing its own
    transactions: the drop and each rebuild are transactions of their own."""
    if not (when and _supported()):
        yield []
        return
    indexes_restore()  # what a killed earlier load left behind
    dropped = indexes_set_aside(models)
    try:
        yield dropped
    finally:
        indexes_restore()
