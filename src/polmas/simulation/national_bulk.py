"""Raw bulk writes for the national simulation: explicit ids, every column, no ORM per row.

A `Table` knows every concrete column of a model. The caller gives values for some of
them; every other column gets its field default (or NULL, "", or now for auto
timestamps), prepared for the database once. Rows carry ids handed out by the writer
(from the table's current maximum), so children can point at parents written in the same
batch without reading ids back. On PostgreSQL the id sequences are moved past the new rows
at the end (`sequences_reset`).

No model signals fire: the rollups are rebuilt once at the end instead of being queued
row by row. On PostgreSQL each batch is written with COPY (core/db/copy.py), elsewhere with
one executemany of an INSERT.
"""

import contextlib
import functools
from collections.abc import Iterator, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from polmas.core.db.copy import copy_rows, copy_supported
from polmas.core.fields import encrypt

BATCH = 10_000


@functools.lru_cache(maxsize=100_000)
def sealed(text: str) -> str:
    """A stock text as an encrypted column stores it ("" stays ""), encrypted once per process:
    the simulation repeats a few dozen sentences and names hundreds of thousands of times, and
    reusing a token costs it next to nothing (the texts are made up, so equal tokens tell
    nothing about anyone)."""
    return encrypt(text) if text else ""
USE_COPY = True  # False: INSERTs on PostgreSQL too (bench/national_copy.py compares them)


class Table:
    """Rows of one model, written in batches of `BATCH` with one executemany each."""

    def __init__(self, model: type[Model], columns: Sequence[str]):
        self.model = model
        meta = model._meta
        by_column = {f.column: f for f in meta.concrete_fields}
        unknown = [c for c in columns if c not in by_column]
        if unknown:
            raise ValueError(f"{meta.label}: no column {', '.join(unknown)}")
        pk = meta.pk.column
        rest = [c for c in by_column if c != pk and c not in columns]
        self.columns = [pk, *columns, *rest]
        self.defaults = tuple(self._default(by_column[c]) for c in rest)
        self.rows: list[tuple] = []
        self.next_id = self._max_id() + 1
        self.written = 0
        quote = connection.ops.quote_name
        cols = ", ".join(quote(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608
        self.copy = USE_COPY and copy_supported()

    @staticmethod
    def _default(field) -> object:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.default is not NOT_PROVIDED:
            value = field.get_default()
        elif field.null:
            return None
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField",
                                              "FileField", "ImageField"):
            value = ""
        else:
            raise ValueError(f"{field.model._meta.label}.{field.name}: no value and no default")
        return field.get_db_prep_save(value, connection)

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({connection.ops.quote_name(self.model._meta.pk.column)}) "  # noqa: S608
                           f"FROM {connection.ops.quote_name(self.model._meta.db_table)}")
            return cursor.fetchone()[0] or 0

    def add(self, *values: object) -> int:
        """Queue one row (values in the order of `columns`); returns its id."""
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values, *self.defaults))
        if len(self.rows) >= BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        if self.copy:
            copy_rows(self.model._meta.db_table, self.columns, self.rows)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def sequences_reset(models: Sequence[type[Model]]) -> None:
    """Move PostgreSQL's id sequences past rows written with explicit ids (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextlib.contextmanager
def sqlite_tuned(cache_mb: int = 512) -> Iterator[None]:
    """On SQLite, a large page cache and memory-mapped reads while writing millions of rows:
    with the default 2 MB cache every index insert re-reads its pages from the file."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA mmap_size")
        row = cursor.fetchone()  # none for an in-memory database
        mmap = int(row[0]) if row else None
        cursor.execute(f"PRAGMA cache_size = {min(cache, -cache_mb * 1024)}")
        if mmap is not None:
            cursor.execute(f"PRAGMA mmap_size = {max(mmap, 8 << 30)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache}")
            if mmap is not None:
                cursor.execute(f"PRAGMA mmap_size = {mmap}")


def statistics_refresh(models: Sequence[type[Model]]) -> None:
    """On PostgreSQL, ANALYZE the tables just filled: until autovacuum gets to them the
    planner knows nothing of millions of new rows and may pick a scan of the whole table."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
