"""Fast idempotent inserts: one executemany per batch, skipping rows that already exist."""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def insert_ignore(model: type[Model], columns: Sequence[str], rows: Sequence[tuple],
                  batch: int = 5000, *, guard: bool = True) -> None:
    """INSERT rows, leaving alone any that collide with a unique constraint.

    `guard=False` writes a plain INSERT, for rows known not to collide (a table that was
    empty when the run began, or one without unique keys): PostgreSQL's ON CONFLICT costs
    a speculative insertion per row, about doubling the write.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
    if guard:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])
