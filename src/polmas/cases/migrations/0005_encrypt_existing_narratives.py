"""Encrypt what cases already hold in the columns 0004 made encrypted (with the first key of
POLMAS_ENCRYPTION_KEY), and decrypt it again when the migration is reversed.

Safe to run again and to resume: see core/encrypted_rows.py (the code that was here, shared
with reports.0015).
"""

from django.db import migrations

from polmas.core.encrypted_rows import rewriters

COLUMNS = {
    "case": ["title", "statement", "incidents_note", "triangle", "causes", "community_input",
             "plan", "evidence"],
    "action": ["description", "owner_name"],
    "timelineentry": ["note"],
    "mediation": ["terms"],
    "referral": ["note", "answer_note"],
    "riskassessment": ["answers"],
}

encrypt_rows, decrypt_rows = rewriters("cases", COLUMNS)


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch: a long run can be interrupted and resumed

    dependencies = [
        ("cases", "0004_encrypt_narratives"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
