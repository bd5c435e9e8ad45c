"""What a resident writes about what happened is encrypted at rest (ADR 18), as the reporter's
identity is; the officers in scope still read it (the public listing still shows it
scrubbed: tests/open311/test_scrub_and_hold.py reads it there). The data migration encrypts
descriptions stored before."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from polmas.reports.models import Report
from reports.helpers import submit

pytestmark = pytest.mark.django_db

TEXT = "Motor Pak Wayan Sudarta dicuri dari garasi di Banjar Kaja, Jl. Pura Desa 7."


def stored(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM reports_report WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_description_is_not_stored_in_plain_text_yet_read_back_by_who_may(api):
    report = submit(category="theft", description=TEXT).report
    raw = stored(report.pk)
    assert raw.startswith("gAAAAA") and "Wayan" not in raw and "Banjar Kaja" not in raw
    assert Report.objects.get(pk=report.pk).description == TEXT
    assert api("bhabin").get(f"/api/v1/reports/{report.pk}").json()["description"] == TEXT


def test_two_reports_with_the_same_words_store_different_tokens():
    # Fernet tokens carry a random IV: equal texts cannot be told apart (or found) in the table.
    one, two = (submit(category="noise", description="Musik keras sampai pagi.").report for _ in range(2))
    assert stored(one.pk) != stored(two.pk)


class Editor:
    connection = connection


def test_the_migration_encrypts_descriptions_stored_before_idempotently_and_reverses():
    migration = importlib.import_module("polmas.reports.migrations.0015_encrypt_existing_descriptions")
    report = submit(category="theft", description=TEXT).report
    with connection.cursor() as cursor:  # as a row written before 0014
        cursor.execute("UPDATE reports_report SET description = %s WHERE id = %s",
                       ["Sapi hilang polos", report.pk])
    migration.encrypt_rows(apps, Editor())
    once = stored(report.pk)
    assert "polos" not in once and Report.objects.get(pk=report.pk).description == "Sapi hilang polos"
    migration.encrypt_rows(apps, Editor())  # again: nothing is encrypted twice
    assert stored(report.pk) == once
    migration.decrypt_rows(apps, Editor())
    assert stored(report.pk) == "Sapi hilang polos"
