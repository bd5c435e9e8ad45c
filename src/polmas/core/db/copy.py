"""Rows written with PostgreSQL's COPY, through psycopg's copy support, instead of INSERTs.

Why: the national simulation writes millions of rows with explicit values (simulation/
national_bulk.py). With `executemany` of an INSERT, psycopg 3 sends them as one pipeline of
statements, each parsed, planned and executed by the server; COPY streams the rows into the
table in one statement, the way PostgreSQL documents for bulk loading ("Populating a
Database": use COPY). It reaches past Django's cursor wrapper to psycopg's `Cursor.copy`
(Django has no COPY), hence this room. The figure, from bench/national_copy.py (one province,
the national year's rows, PostgreSQL 15 on this 2-core machine shared with other work): see
docs/adr/0030-h16-replica-and-workers.md, where the measured times and the ratio to a bare COPY
of the same rows are kept. SQLite has no COPY: callers keep their INSERTs there.
"""

import queue
import threading
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


class BackgroundCopy:
    """COPYs sent from a thread of their own on this thread's connection, in the order given,
    while the caller builds the next rows: the server takes in one batch (its indexes, its
    checks) while Python builds the next, instead of each waiting for the other. In the current
    transaction (the same connection); psycopg's connection lock keeps any other statement of
    the caller's from running inside a COPY. Call close() before anything that must see the
    rows (sequences, the commit): it waits for the queue and raises the first error."""

    def __init__(self, depth: int = 2) -> None:
        connection.ensure_connection()
        self._raw = connection.connection  # psycopg's own, thread-safe; Django's wrapper is not
        self._queue: queue.Queue = queue.Queue(maxsize=depth)  # bounded: a few batches in memory
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="polmas-copy", daemon=True)
        self._thread.start()

    def put(self, table: str, columns: Sequence[str], rows: list[Sequence[object]]) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((table, columns, rows))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # after an error: only drain
            table, columns, rows = item
            quote = connection.ops.quote_name
            statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            try:
                with self._raw.cursor() as cursor, cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller in close()
                self._error = exc

    def close(self) -> None:
        """Wait until every queued COPY is done; raise the first error, if any."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
