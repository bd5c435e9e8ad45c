"""`polmas retention_anonymise`: closed reports lose their reporter after
POLMAS_RETENTION_MONTHS months; open and recent ones keep theirs; re-running changes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core.test_settings import check_deploy, production_env
from polmas.access.models import AuditEntry
from polmas.reports.models import Conversation, OutboundMessage, Report
from polmas.reports.personal_data import months_before
from reports.helpers import PHONE, submit

pytestmark = pytest.mark.django_db

NAME = "Wayan Sudarma"


def planted(*, status: str, closed_days_ago: int | None, updated_days_ago: int = 0) -> Report:
    report = submit(anonymous=False, name=NAME, phone=PHONE, reply_channel="sms").report
    now = timezone.now()
    closed = None if closed_days_ago is None else now - dt.timedelta(days=closed_days_ago)
    Report.objects.filter(pk=report.pk).update(
        status=status, resolved_at=closed,
        updated_at=now - dt.timedelta(days=updated_days_ago),
        created_at=now - dt.timedelta(days=max(closed_days_ago or 0, updated_days_ago) + 5))
    OutboundMessage.objects.create(channel="sms", to=PHONE, body="Laporan Anda sudah diterima.",
                                   report=report, status=OutboundMessage.Status.SENT)
    return report


def contact(report: Report) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone, reporter_email, reply_channel "
                       "FROM reports_report WHERE id = %s", [report.pk])
        return cursor.fetchone()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention_anonymise", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_closed_reports_past_the_period_lose_their_reporter_and_others_keep_theirs(settings):
    settings.POLMAS_RETENTION_MONTHS = 24
    old_resolved = planted(status="resolved", closed_days_ago=800)
    old_spam = planted(status="closed", closed_days_ago=None, updated_days_ago=900)
    recent = planted(status="resolved", closed_days_ago=30)
    still_open = planted(status="in_progress", closed_days_ago=None, updated_days_ago=1000)
    assert "2 reports" in run()
    for report, status in ((old_resolved, "resolved"), (old_spam, "closed")):
        assert contact(report) == ("", "", "", "")
        assert set(OutboundMessage.objects.filter(report=report).values_list("to", flat=True)) == {""}
        fresh = Report.objects.get(pk=report.pk)
        assert (fresh.status, fresh.category_id, fresh.village_id) == (status, report.category_id,
                                                                        report.village_id)
    for report in (recent, still_open):
        kept = Report.objects.get(pk=report.pk)
        assert (kept.reporter_name, kept.reporter_phone) == (NAME, PHONE)


def test_the_run_is_audited_once_and_a_second_run_changes_nothing():
    old = planted(status="closed", closed_days_ago=800)
    run()
    entry = AuditEntry.objects.get(action="retention.anonymise")
    assert entry.detail["reports"] == 1 and entry.detail["months"] == 24
    assert entry.detail["first_id"] == entry.detail["last_id"] == old.pk
    version = Report.objects.get(pk=old.pk).version
    assert "0 reports" in run()
    assert Report.objects.get(pk=old.pk).version == version
    assert AuditEntry.objects.filter(action="retention.anonymise").count() == 2


def test_a_shorter_period_from_the_setting_reaches_more_reports(settings):
    recent = planted(status="resolved", closed_days_ago=60)
    settings.POLMAS_RETENTION_MONTHS = 1
    run()
    assert contact(recent) == ("", "", "", "")


def test_stale_dialogues_are_forgotten():
    stale = Conversation.objects.create(channel="sms", sender_hash="a" * 64, sender=PHONE, state={})
    Conversation.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - dt.timedelta(days=800))
    fresh = Conversation.objects.create(channel="sms", sender_hash="b" * 64, sender=PHONE, state={})
    run()
    left = Conversation.objects.filter(pk__in=[stale.pk, fresh.pk]).values_list("pk", flat=True)
    assert list(left) == [fresh.pk]


def test_months_are_calendar_months():
    at = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert months_before(at, 1) == dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC)
    assert months_before(at, 24) == dt.datetime(2024, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert months_before(at, 3) == dt.datetime(2025, 12, 31, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("months", ["0", "30000"])
def test_months_outside_a_century_are_refused(months):
    with pytest.raises(CommandError, match="--months"):
        run("--months", months)


@pytest.mark.parametrize("raw, expected", [("two", "expected a whole number"), ("0", "at least 1")])
def test_a_bad_retention_setting_stops_the_process_naming_it(tmp_path, raw, expected):
    done = check_deploy(production_env(tmp_path / "var", POLMAS_RETENTION_MONTHS=raw))
    assert done.returncode == 2
    assert f"POLMAS_RETENTION_MONTHS={raw!r}: " in done.stderr and expected in done.stderr
