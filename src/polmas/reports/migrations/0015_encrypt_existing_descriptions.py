"""Encrypt the descriptions reports already hold (0014 made the column encrypted), with the
first key of POLMAS_ENCRYPTION_KEY, and decrypt them again when the migration is reversed.
Safe to re-run and to resume: see core/encrypted_rows.py."""

from django.db import migrations

from polmas.core.encrypted_rows import rewriters

COLUMNS = {"report": ["description"]}

encrypt_rows, decrypt_rows = rewriters("reports", COLUMNS)


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch: a long run can be interrupted and resumed

    dependencies = [
        ("reports", "0014_encrypt_description"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
