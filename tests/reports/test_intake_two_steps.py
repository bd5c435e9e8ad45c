"""Intake in two steps (ADR 19): report_check reads and decides, writing nothing;
report_store writes what it decided. The village is read once."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polmas.reports import lookups
from polmas.reports.intake import CheckedReport, IntakeError, report_check, report_store
from polmas.reports.models import Report
from reports.helpers import LES, PHONE, place, report_input, submit

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "ROLLBACK")


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_report_check_writes_nothing_and_report_store_stores_what_it_decided():
    les = place()
    data = report_input(latitude=les.latitude, longitude=les.longitude, phone=PHONE,
                        anonymous=False, reply_channel="sms", client_key="203.0.113.7",
                        client_uuid=uuid.uuid4())
    before = Report.objects.count()
    with CaptureQueriesContext(connection) as queries:
        checked = report_check(data)
    assert writes(queries) == [] and queries.captured_queries  # it did read
    assert Report.objects.count() == before
    assert isinstance(checked, CheckedReport) and checked.earlier is None
    assert checked.clean["village"] == LES and checked.client_key
    done = report_store(checked)
    assert Report.objects.count() == before + 1 and done.tracking_code
    stored = Report.objects.get(pk=done.report.pk)
    assert stored.village_id == LES and stored.reporter_phone and stored.client_uuid == data.client_uuid


def test_report_check_of_a_resend_writes_nothing_and_names_the_stored_report():
    key = uuid.uuid4()
    first = submit(client_uuid=key, client_key="203.0.113.8")
    with CaptureQueriesContext(connection) as queries:
        checked = report_check(report_input(client_uuid=key, client_key="203.0.113.8"))
    assert writes(queries) == []
    assert checked.earlier is not None and checked.earlier.pk == first.report.pk
    again = report_store(checked)  # the same client: a fresh code, nothing new stored
    assert again.resent and again.report.pk == first.report.pk and again.tracking_code


def test_report_check_refuses_with_every_field_and_writes_nothing():
    with CaptureQueriesContext(connection) as queries, pytest.raises(IntakeError) as caught:
        report_check(report_input(category="no-such", description="", village="99.99.99.9999"))
    assert set(caught.value.errors) == {"category", "description", "village"}
    assert writes(queries) == []


def test_the_village_is_read_once():
    """A village code with a location: the code's existence and its centre come from one read
    (before, two: one asking whether it exists, one for its centre, inside a transaction)."""
    les = place()
    lookups.villages.clear()
    data = report_input(latitude=les.latitude, longitude=les.longitude)
    with CaptureQueriesContext(connection) as queries:
        report_check(data)
    village_reads = [q["sql"] for q in queries.captured_queries if "regions_region" in q["sql"]]
    assert len(village_reads) == 1, village_reads
