"""INSERT .. SELECT from a queryset: rows a query computes, written by the database in one
statement, none of them travelling through Python.

Why: the rollups are built from grouped counts that other apps define as querysets (their
selectors), into analytics' own tables. The ORM can read those querysets and `bulk_create`
the rows, but every row then crosses into Python and back, and bulk_create compiles each of
a row's 37 values. Django has no public INSERT .. SELECT, so this compiles the queryset (the
compiler is not public API, hence this room) and wraps it. The figure, the village rows of
the monthly figures (SQLite, 2 cores shared with other work, load ~12, 2 runs each): demo
data (21,715 rows) 0.7-0.8 s this way, 28-42 s read and bulk_created; the demo plus one
national-scale province (305,631 rows) 14 s against 456-474 s.
"""

from django.db import connections, router
from django.db.models import Model, QuerySet


def insert_select(model: type[Model], queryset: QuerySet, *, columns: dict[str, str],
                  constants: dict[str, int | None] | None = None) -> int:
    """INSERT INTO `model`'s table: each field of `columns` (a field name or attname of
    `model`) from the queryset's value named there, each of `constants` (ints or None, written
    as literals) the same in every row. Returns the number of rows written."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    literals = {}
    for name, value in (constants or {}).items():
        if value is not None and type(value) is not int:
            raise TypeError(f"constant {name!r} must be an int or None")
        literals[name] = "NULL" if value is None else str(value)
    fields = [model._meta.get_field(name).column for name in [*columns, *literals]]
    values = [f"s.{quote(source)}" for source in columns.values()] + list(literals.values())
    statement = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f) for f in fields)}) "  # noqa: S608  identifiers and ints only; values are parameters
                 f"SELECT {', '.join(values)} FROM ({sql}) s")
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount
