"""Routing after intake, in batches (ADR 11): intake stores the report and answers; the task
queue routes it a moment later, writing its inbox entries, coverage gap, "received" event,
audit entry and rollups task, dated when the report arrived."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import person
from polmas.access.models import AuditEntry
from polmas.analytics.models import RecountPending
from polmas.analytics.tasks import rollups_drain_task
from polmas.policing.models import Assignment
from polmas.reports import lookups, routing, tasks
from polmas.reports.models import Event, Recipient, Report
from polmas.reports.routing import route_batch, route_pending, unrouted
from polmas.reports.selectors import public_status
from polmas.reports.tasks import reports_route_task
from reports.helpers import LES, TEJAKULA, submit

pytestmark = pytest.mark.django_db


def written(report: Report) -> tuple[int, int, int]:
    """What routing writes for a report: inbox entries, events, audit entries."""
    return (Recipient.objects.filter(report=report).count(), Event.objects.filter(report=report).count(),
            AuditEntry.objects.filter(object_type="reports.report", object_id=str(report.pk)).count())


def route_runs() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=reports_route_task.module_path).order_by("enqueued_at"))


def test_intake_stores_the_report_unrouted_and_routing_completes_it():
    done = submit(routed=False)
    report = Report.objects.get(pk=done.report.pk)
    assert report.routed_at is None and written(report) == (0, 0, 0)
    assert unrouted() == (1, report.created_at)

    assert route_pending() == 1

    report.refresh_from_db()
    assert report.routed_at is not None and report.routed_at >= report.created_at
    assert not report.coverage_gap
    assert set(report.recipients.values_list("why", flat=True)) == {"officer", "forum"}
    event = Event.objects.get(report=report)
    assert (event.kind, event.status, event.public, event.at) == (
        "received", "received", True, report.created_at)
    entry = AuditEntry.objects.get(object_type="reports.report", object_id=str(report.pk))
    assert (entry.action, entry.actor_id, entry.actor_name, entry.region_code, entry.detail, entry.at) == (
        "report.submit", None, "system", LES, {"channel": "api"}, report.created_at)
    assert unrouted() == (0, None)


def test_routing_again_writes_nothing_more():
    report = submit().report
    before = written(report)
    assert route_pending() == 0
    call_command("reports_route", verbosity=0)
    assert written(report) == before
    assert before[1:] == (1, 1)


def test_the_audit_entry_names_an_officer_who_typed_the_report_in():
    report = submit(user=person("bhabin"), channel="officer").report
    entry = AuditEntry.objects.get(object_type="reports.report", object_id=str(report.pk))
    assert (entry.actor_id, entry.actor_name, entry.detail) == (
        person("bhabin").pk, "bhabin", {"channel": "officer"})


def test_one_batch_routes_each_report_by_its_own_village_and_category():
    posting = Assignment.objects.filter(village__code__startswith=TEJAKULA + ".", end__isnull=True
                                        ).exclude(village_id=LES).first()
    Assignment.objects.filter(village_id=posting.village_id).update(end=timezone.localdate())
    plain = submit(routed=False).report
    sealed = submit(routed=False, category="domestic_violence",
                    description="Tetangga dipukul suaminya.").report
    gap = submit(routed=False, village=posting.village_id).report

    assert route_batch() == 3

    whys = {r.pk: set(Recipient.objects.filter(report=r).values_list("why", flat=True))
            for r in (plain, sealed, gap)}
    assert whys == {plain.pk: {"officer", "forum"}, sealed.pk: {"officer", "ppa"}, gap.pk: {"gap", "forum"}}
    assert list(Report.objects.filter(pk__in=[plain.pk, sealed.pk, gap.pk]).order_by("pk")
                .values_list("coverage_gap", flat=True)) == [False, False, True]


def test_a_batch_takes_the_oldest_first_and_stops_at_its_limit():
    first, second, third = (submit(routed=False).report for _ in range(3))
    assert route_batch(limit=2) == 2
    assert set(Report.objects.filter(routed_at__isnull=True).values_list("pk", flat=True)) == {third.pk}
    assert route_batch(ids=[first.pk]) == 0  # already routed: nothing to do
    assert route_batch(ids=[third.pk]) == 1
    assert second.pk < third.pk


def test_routing_queues_one_recount_of_figures_for_the_batch_villages():
    submit(routed=False)
    submit(routed=False, village="51.08.09.2001")
    DBTaskResult.objects.all().delete()
    RecountPending.objects.all().delete()
    route_pending()
    # Reports do not count in coverage: the figures only, no full recount.
    assert sorted(RecountPending.objects.values_list("place", "coverage")) == [
        ("51.08.09.2001", False), (LES, False)]
    assert DBTaskResult.objects.filter(task_path=rollups_drain_task.module_path).count() <= 1


def test_the_tracking_page_says_received_before_routing_and_once_after():
    done = submit(routed=False)
    before = public_status(code=done.tracking_code)
    assert [(e["kind"], e["status"], e["at"]) for e in before["events"]] == [
        ("received", "received", done.report.created_at)]
    route_pending()
    after = public_status(code=done.tracking_code)
    assert [(e["kind"], e["status"], e["at"]) for e in after["events"]] == [
        ("received", "received", Report.objects.get(pk=done.report.pk).created_at)]


def test_intake_queues_the_routing_run_at_most_once_a_second(django_capture_on_commit_callbacks):
    DBTaskResult.objects.all().delete()
    tasks._queued.at = float("-inf")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            submit(routed=False)
    assert len(route_runs()) == 1  # the later two came within a second of the first
    tasks._queued.at -= tasks.ROUTE_EVERY
    with django_capture_on_commit_callbacks(execute=True):
        submit(routed=False)
    assert len(route_runs()) == 2


def test_a_rolled_back_intake_does_not_hold_back_the_next_run():
    DBTaskResult.objects.all().delete()
    tasks._queued.at = float("-inf")
    # Inside the test's transaction nothing commits: the run's row is written, but the clock
    # of the last committed run does not move, so the next report queues a run of its own.
    submit(routed=False)
    submit(routed=False)
    assert len(route_runs()) == 2


def test_a_run_that_routed_reports_looks_again_a_little_later():
    submit(routed=False)
    DBTaskResult.objects.all().delete()
    started = timezone.now()

    assert reports_route_task.call() == 1

    (follow_up,) = route_runs()
    later = tasks.FOLLOW_UP
    assert later > dt.timedelta(seconds=tasks.ROUTE_EVERY)
    assert started + later <= follow_up.run_after <= timezone.now() + later
    DBTaskResult.objects.all().delete()
    assert reports_route_task.call() == 0
    assert route_runs() == []  # nothing routed: no follow-up, the chain ends


def test_the_answer_still_says_at_once_whether_a_report_is_a_likely_duplicate():
    first = submit(routed=False)
    again = submit(routed=False)
    assert (first.duplicate, again.duplicate) == (False, True)
    assert Report.objects.get(pk=again.report.pk).likely_duplicate_of_id == first.report.pk


def test_a_run_stops_once_a_batch_finds_it_has_caught_up(monkeypatch):
    for _ in range(3):
        submit(routed=False)
    batches = []

    def counted(**kwargs):
        batches.append(real(**kwargs))
        return batches[-1]

    real = routing.route_batch
    monkeypatch.setattr(routing, "BATCH", 2)
    monkeypatch.setattr(routing, "route_batch", counted)
    assert route_pending() == 3
    assert batches == [2, 1]  # the second batch was not full: no third look


def test_routing_keeps_what_it_reads_of_the_polsek():
    posting = Assignment.objects.filter(village__code__startswith=TEJAKULA + ".", end__isnull=True
                                        ).exclude(village_id=LES).first()
    Assignment.objects.filter(village_id=posting.village_id).update(end=timezone.localdate())
    lookups.polsek.clear()
    submit(routed=False, village=posting.village_id)
    route_pending()  # inside the test's transaction, yet kept: routing writes no police units
    assert posting.village_id in lookups.polsek


def test_the_command_routes_what_waits_and_says_how_many():
    first, second = submit(routed=False).report, submit(routed=False).report
    out = io.StringIO()
    call_command("reports_route", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("2 reports routed in ")
    assert not Report.objects.filter(pk__in=[first.pk, second.pk], routed_at__isnull=True).exists()
    again = io.StringIO()
    call_command("reports_route", stdout=again, stderr=io.StringIO())  # safe to re-run
    assert again.getvalue().startswith("0 reports routed in ")
