import pytest

from polmas.reports.models import Event, Report
from polmas.simulation.reports import reports_generate

pytestmark = pytest.mark.django_db


def test_demo_reports_spread_over_channels_and_progress_and_are_made_once():
    made = reports_generate(provinces=["51"], year=2025, seed=7, count=60)
    assert made == 60
    reports = Report.objects.filter(village__code__startswith="51.")
    assert reports.count() == 60
    assert len(set(reports.values_list("channel", flat=True))) >= 4
    assert {"resolved", "received"} <= set(reports.values_list("status", flat=True))
    assert all(r.created_at.year <= 2025 for r in reports)
    resolved = reports.filter(status="resolved").first()
    assert resolved.resolved_at > resolved.created_at
    assert Event.objects.filter(report=resolved, status="resolved", public=True).exists()
    # Sent by SMS or WhatsApp: the sender's number is kept, encrypted, to answer them.
    texted = reports.filter(channel__in=["sms", "whatsapp"]).first()
    assert texted.reporter_phone.startswith("08") and not texted.anonymous

    assert reports_generate(provinces=["51"], year=2025, seed=7, count=60) == 0
    assert Report.objects.count() == 60
