"""INSERTs as Model.save() would write them, for a fraction of the CPU.

Django compiles an INSERT afresh for every save (about a third of a millisecond a row): too
dear for report intake's INSERT and the task rows, audit entries, events and inbox entries
that routing writes in batches. Here the statement is built once per model and process, and
each row still goes through what save() does: related objects must be saved (and their keys
are taken), each value passes its field's `pre_save` (auto_now, files) and
`get_db_prep_save` (encryption, dates, UUIDs, JSON; a plain value of a plain field is taken
as it is, see _PLAIN). The model's pre_save and post_save
signals are sent as save() sends them, so receivers (the rollups, the task queue's default
run_after) see the new row; a failed INSERT inside a transaction marks it for rollback, as
save() does. On PostgreSQL insert_one's statement is prepared (core/prepared.py): its text is
the same for every row of a model.
"""

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

from polmas.core import prepared

_STATEMENTS: dict[tuple[type[Model], str, bool], tuple[str, list, list]] = {}


def _statement(model: type[Model], returning: bool, conn: BaseDatabaseWrapper) -> tuple[str, list, list]:
    """The INSERT, the fields whose values it takes and the fields it returns. As in save():
    every concrete field but an auto-incremented key, which the database returns."""
    key = (model, conn.vendor, returning)
    found = _STATEMENTS.get(key)
    if found is None:
        meta, quote = model._meta, conn.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        back = list(meta.db_returning_fields) if returning else []
        # Names from the model, placeholders for every value.
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        if back:
            sql += f" RETURNING {', '.join(quote(f.column) for f in back)}"
        found = _STATEMENTS[key] = (sql, fields, back)
    return found


# Exactly these field classes (not their subclasses, such as the encrypted ones) write a value
# of these types as it is, on every backend: get_db_prep_save would return it unchanged.
# (Not the integer fields: PostgreSQL's adapter wraps their values in sized types.)
_PLAIN: dict[type[Field], tuple[type, ...]] = {
    models.CharField: (str,), models.TextField: (str,), models.BooleanField: (bool,),
    models.FloatField: (float,),
}
_AS_IS: dict[Field, tuple[type, ...]] = {}


def _as_is(field: Field) -> tuple[type, ...]:
    """The types of value that `field` writes unchanged (none: each goes through the field).
    A foreign key writes what its target field writes."""
    found = _AS_IS.get(field)
    if found is None:
        target = field.target_field if type(field) is models.ForeignKey else field
        found = _AS_IS[field] = _PLAIN.get(type(target), ())
    return found


def _values(obj: Model, fields: list, conn: BaseDatabaseWrapper, as_given: tuple[str, ...] = ()) -> list:
    """Each field's value as save() would write it; the fields named in `as_given` keep the
    instance's value (a time written later than it happened, such as auto_now_add's). A plain
    value of a plain field (_PLAIN) is written as it is, without the field's conversions."""
    values = []
    for f in fields:
        value = getattr(obj, f.attname) if f.name in as_given else f.pre_save(obj, True)
        kinds = _as_is(f)
        plain = kinds and (value is None or type(value) in kinds)
        values.append(value if plain else f.get_db_prep_save(value, conn))
    return values


def row_of(obj: Model) -> list:
    """The values insert_one(obj, signals=False) would write, worked out beforehand: a caller
    that takes a lock to write (report intake on SQLite) prepares them before it waits."""
    conn = connections[DEFAULT_DB_ALIAS]
    obj._prepare_related_fields_for_save(operation_name="save")
    return _values(obj, _statement(type(obj), True, conn)[1], conn)


def insert_one(obj: Model, *, signals: bool = True, row: list | None = None) -> None:
    """Store a new instance (a key the database generates is set on it, and must not be set
    before), signals included. `signals=False` sends none (as bulk_create sends none), for a
    row whose consequences the caller sees to itself (report intake: routing and the rollups
    follow in batches, see reports/routing.py); it may then pass the `row` of row_of(obj)."""
    model = type(obj)
    conn = connections[DEFAULT_DB_ALIAS]  # not django.db.connection, whose every attribute is a lookup
    using = conn.alias
    if row is not None and signals:
        raise ValueError("a prepared row skips pre_save: pass it with signals=False only")
    if row is None:
        obj._prepare_related_fields_for_save(operation_name="save")
    if signals:
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    sql, fields, back = _statement(model, True, conn)
    with transaction.mark_for_rollback_on_error(using), prepared.cursor(conn) as cursor:
        cursor.execute(sql, _values(obj, fields, conn) if row is None else row)
        if back:
            for f, value in zip(back, cursor.fetchone(), strict=True):
                setattr(obj, f.attname, value)
    obj._state.adding, obj._state.db = False, using
    if signals:
        post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False,
                       using=using)


def insert_many(objs: list[Model], *, as_given: tuple[str, ...] = ()) -> None:
    """Store new instances of one model in one statement. Keys the database generates stay
    unset, and no signals are sent (as bulk_create sends none): for rows nothing reacts to.
    Fields named in `as_given` keep the instances' values instead of their pre_save's."""
    if not objs:
        return
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    conn = connections[DEFAULT_DB_ALIAS]
    sql, fields, _back = _statement(type(objs[0]), False, conn)
    with transaction.mark_for_rollback_on_error(conn.alias), conn.cursor() as cursor:
        cursor.executemany(sql, [_values(obj, fields, conn, as_given) for obj in objs])
