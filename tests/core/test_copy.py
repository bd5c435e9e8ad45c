"""core/db/copy.py on PostgreSQL: rows COPYed in the current transaction, typed values and
NULLs as the bulk writer prepares them."""

import datetime as dt
import uuid

import pytest
from django.db import connection

from polmas.core.db.copy import copy_rows, copy_supported

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch():
    if not copy_supported():
        pytest.skip("COPY is PostgreSQL's; on SQLite the bulk writer keeps its INSERTs")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE scratch (n int, at timestamptz, u uuid, note text)")
    return "scratch"


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, at, u, note FROM {table} ORDER BY n")  # noqa: S608
        return cursor.fetchall()


def test_copy_rows_writes_typed_values_and_nulls(scratch):
    at, u = dt.datetime(2017, 3, 1, 2, 3, tzinfo=dt.UTC), uuid.uuid4()
    assert copy_rows(scratch, ["n", "at", "u", "note"], [(1, at, u, "tab\there"), (2, None, None, None)]) == 2
    assert _rows(scratch) == [(1, at, u, "tab\there"), (2, None, None, None)]
