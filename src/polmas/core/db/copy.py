"""Rows written with PostgreSQL's COPY, through psycopg's copy support, instead of INSERTs.

Why: the national simulation writes millions of rows with explicit values (simulation/
national_bulk.py). With `executemany` of an INSERT, psycopg 3 sends them as one pipeline of
statements, each parsed, planned and executed by the server; COPY streams the rows into the
table in one statement, the way PostgreSQL documents for bulk loading ("Populating a
Database": use COPY). It reaches past Django's cursor wrapper to psycopg's `Cursor.copy`
(Django has no COPY), hence this room. The figure, from bench/national_copy.py (Bali's slice
of the national year, 315,639 rows, PostgreSQL 15 on this shared 2-core machine, two runs):
the simulation writes it in 38.9-69.1 s with COPY against 84.7-108.9 s with INSERTs (1.6-2.2x),
and a bare COPY of the same rows takes 20.0-25.8 s (ADR 30). SQLite has no COPY: callers
keep their INSERTs there.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY `rows` (values in the order of `columns`, as prepared for the database: aware
    datetimes, UUIDs, Jsonb, None) into `table`, in the current transaction. Returns how many
    were written. PostgreSQL only."""
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written
