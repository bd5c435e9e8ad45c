"""Migration 0011 takes the tracking codes that earlier versions stored in message bodies out
of them, keeping each encrypted beside its message (issue 14, item 9)."""

import importlib

import pytest
from django.apps import apps

from polmas.reports.models import InboundMessage, OutboundMessage

pytestmark = pytest.mark.django_db
migration = importlib.import_module("polmas.reports.migrations.0011_tracking_codes_out_of_stored_messages")


def test_stored_codes_move_to_the_encrypted_column_and_other_messages_stay():
    old = OutboundMessage.objects.create(channel="whatsapp", to="+6281234567890",
                                         body="Laporan diterima. Kode Anda: 7K2M-9QXD-4RTB. Cek di ...")
    update = OutboundMessage.objects.create(channel="sms", to="+6281234567890",
                                            body="Laporan Anda #12 sedang ditangani (2025-03-01).")
    kept = InboundMessage.objects.create(channel="sms", provider_id="SM1", sender_hash="x",
                                         reply="Laporan diterima. Kode Anda: 7K2M-9QXD-4RTB.")
    for _ in range(2):  # idempotent
        migration.forwards(apps, None)
    old.refresh_from_db()
    update.refresh_from_db()
    kept.refresh_from_db()
    assert old.body == "Laporan diterima. Kode Anda: [[kode]]. Cek di ..." and old.secret == "7K2M-9QXD-4RTB"
    assert old.text() == "Laporan diterima. Kode Anda: 7K2M-9QXD-4RTB. Cek di ..."
    assert (update.body, update.secret) == ("Laporan Anda #12 sedang ditangani (2025-03-01).", "")
    assert "7K2M" not in kept.reply and kept.text().endswith("Kode Anda: 7K2M-9QXD-4RTB.")
