"""Encrypt (or decrypt again) what rows already hold in columns that became encrypted fields
(core/fields.py), for the data migrations that follow such a change (ADR 18).

Safe to run again and to resume: a value the configured keys already decrypt is left as it is,
and each batch commits on its own (the migration calling this must be `atomic = False`), so an
interrupted run goes on where it stopped. Reads and writes the raw columns of the calling app's
own tables: the models would try to decrypt a value still in plain text."""

import base64
import binascii
import sys
from collections.abc import Callable

from cryptography.fernet import InvalidToken
from django.db import transaction

from polmas.core.fields import cipher, encrypt

BATCH = 2000


def _plain(value: str) -> str | None:
    """The plain text of an encrypted value, None if `value` is not encrypted with our keys."""
    try:
        return cipher().decrypt(value.encode()).decode()
    except (InvalidToken, ValueError, TypeError):
        return None


def _foreign_token(value: str) -> bool:
    """True if `value` looks like a Fernet token (made with a key that is not configured)."""
    if not value.startswith("gAAAAA"):
        return False
    try:
        data = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        return False
    return len(data) >= 57 and data[0] == 0x80


def encrypted(value: str | None) -> str | None:
    if value is None or value == "" or _plain(value) is not None:
        return value
    if _foreign_token(value):
        raise RuntimeError("A text is encrypted with a key that is not configured: set "
                           "POLMAS_ENCRYPTION_KEY to the production key(s) and migrate again.")
    return encrypt(value)


def decrypted(value: str | None) -> str | None:
    if value is None or value == "":
        return value
    plain = _plain(value)
    return value if plain is None else plain


def rewriters(app_label: str, columns: dict[str, list[str]]) -> tuple[Callable, Callable]:
    """The forward and backward functions of a RunPython that encrypts `columns` of
    `app_label` ({model name: [field names]}) and decrypts them again."""

    def encrypt_rows(apps, schema_editor) -> None:
        rewrite(apps, schema_editor, app_label, columns, encrypted)

    def decrypt_rows(apps, schema_editor) -> None:
        rewrite(apps, schema_editor, app_label, columns, decrypted)

    return encrypt_rows, decrypt_rows


def rewrite(apps, schema_editor, app_label: str, columns: dict[str, list[str]],
            change: Callable[[str | None], str | None]) -> None:
    """Apply `change` to every value of `columns` ({model name: [field names]}) of `app_label`,
    in batches of BATCH rows by primary key, each in its own transaction."""
    conn = schema_editor.connection
    quote = conn.ops.quote_name
    for model_name, names in columns.items():
        meta = apps.get_model(app_label, model_name)._meta
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        cols = [quote(meta.get_field(n).column) for n in names]
        select = (f"SELECT {pk}, {', '.join(cols)} FROM {table} "  # noqa: S608 (names from the models)
                  f"WHERE {pk} > %s ORDER BY {pk}")
        update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in cols)} WHERE {pk} = %s"  # noqa: S608
        last, done = 0, 0
        while True:
            with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
                cursor.execute(f"{select} LIMIT {BATCH}", [last])
                rows = cursor.fetchall()
                changed = []
                for row in rows:
                    values = [change(v) for v in row[1:]]
                    if values != list(row[1:]):
                        changed.append([*values, row[0]])
                if changed:
                    cursor.executemany(update, changed)
            if not rows:
                break
            last, done = rows[-1][0], done + len(rows)
            if done % (BATCH * 25) == 0:
                sys.stdout.write(f"\n  {meta.db_table}: {done} rows ...")
                sys.stdout.flush()
