"""After a commit, a background task recounts the touched villages: the rollups then equal
a fresh rebuild."""

import datetime as dt
import uuid

import pytest
from django_tasks_db.models import DBTaskResult

from polmas.activities.models import Activity
from polmas.analytics import tasks
from polmas.analytics.models import CoverageFigures, MonthlyFigures, RecountPending
from polmas.analytics.services import rollups_rebuild
from polmas.cases.models import Case
from polmas.forums.models import Forum
from polmas.policing.models import Assignment
from polmas.reports.models import Category, Report

from .factories import LES, at, dataset

pytestmark = pytest.mark.django_db
FIGURES = ["level", "prefix", "month", "category_id", "reports", "reports_responded", "cases_opened",
           "cases_responded", "closed_mediation", "closed_action", "closed_not_resolved", "resolve_n",
           "resolve_d3", "activities", "visits", "meetings"]
COVERAGE = ["year", "level", "prefix", "villages", "villages_with_officer", "villages_with_forum",
            "officers", "forums", "lacks"]


def snapshot() -> tuple[list, list]:
    facts = sorted(tuple(0 if v is None else v for v in r)
                   for r in MonthlyFigures.objects.values_list(*FIGURES))
    coverage = sorted(CoverageFigures.objects.values_list(*COVERAGE))
    return facts, coverage


DRAIN = "polmas.analytics.tasks.rollups_drain_task"


def waiting() -> list[str]:
    return sorted(RecountPending.objects.filter(coverage=True).values_list("place", flat=True))


def run_queued(callbacks_fixture) -> list[list[str]]:
    """Run the recount queued after commit, as the worker would; the places it counted
    ([] when nothing was queued)."""
    queued = DBTaskResult.objects.filter(task_path=DRAIN)
    places = waiting()
    if not queued.exists():
        assert places == []  # a place never waits without a recount queued
        return []
    tasks.rollups_drain_task.call()
    queued.delete()
    tasks._queued.at = float("-inf")  # the next write queues its own recount
    assert not RecountPending.objects.exists()
    return [places]


def assert_equals_rebuild() -> None:
    incremental = snapshot()
    rollups_rebuild()
    assert snapshot() == incremental


@pytest.fixture
def base(db):
    dataset(n=40)
    rollups_rebuild()
    DBTaskResult.objects.all().delete()
    RecountPending.objects.all().delete()
    tasks._queued.at = float("-inf")


def test_a_new_report_and_case_are_counted_after_commit(base, django_capture_on_commit_callbacks):
    theft = Category.objects.get(code="theft")
    with django_capture_on_commit_callbacks(execute=True):
        Report.objects.create(category=theft, description="motor hilang", village_id=LES, channel="web",
                              tracking_hash=uuid.uuid4().hex)
        case = Case.objects.create(village_id=LES, category=theft, title="t", statement="s",
                                   source="report", opened_at=at(2025, 3, 1))
    assert run_queued(django_capture_on_commit_callbacks) == [[LES]]  # one task per transaction
    month = int(dt.datetime.now(dt.UTC).strftime("%Y%m"))
    row = MonthlyFigures.objects.get(level=0, month=month, category=theft)
    assert row.reports >= 1
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=case.pk).update()  # no signal: nothing queued
        case.stage, case.outcome, case.closed_at = "closed", "resolved_mediation", at(2025, 3, 4)
        case.save()
    run_queued(django_capture_on_commit_callbacks)
    closed = MonthlyFigures.objects.get(level=1, prefix="51", month=202503, category=theft)
    assert closed.closed_mediation >= 1 and closed.resolve_d3 >= 1  # 3 days: bucket [3, 5)
    assert_equals_rebuild()


def test_a_record_moved_to_another_village_leaves_the_old_one(base, django_capture_on_commit_callbacks):
    activity = Activity.objects.filter(village_id__gte="51", village_id__lt="51/").first()
    old = activity.village_id
    with django_capture_on_commit_callbacks(execute=True):
        activity.village_id = "34.04.07.2001"
        activity.save()
    assert sorted(run_queued(django_capture_on_commit_callbacks)[0]) == sorted([old, "34.04.07.2001"])
    assert_equals_rebuild()


def test_deleting_records_and_changing_coverage_is_counted(base, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(village_id__gte="34", village_id__lt="34/").first().delete()
        Assignment.objects.filter(village_id=LES).first().delete()
        forum = Forum.objects.filter(village_id__gte="51.08", village_id__lt="51.08/").first()
        forum.status = "dissolved"
        forum.save()
    run_queued(django_capture_on_commit_callbacks)
    les = CoverageFigures.objects.get(level=4, prefix=LES, year=dt.date.today().year)
    assert les.villages_with_officer == 0 and les.lacks >= 1
    assert_equals_rebuild()


def test_a_rolled_back_change_queues_nothing(base, django_capture_on_commit_callbacks):
    from django.db import transaction

    theft = Category.objects.get(code="theft")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Case.objects.create(village_id=LES, category=theft, title="t", statement="s", source="report")
        raise RuntimeError
    assert run_queued(django_capture_on_commit_callbacks) == []
    with django_capture_on_commit_callbacks(execute=True):  # and the next change is still sent
        Case.objects.create(village_id=LES, category=theft, title="t", statement="s", source="report")
    assert run_queued(django_capture_on_commit_callbacks) == [[LES]]


def test_writes_until_the_recount_runs_join_it(base, django_capture_on_commit_callbacks):
    """Under steady writes the rollups are recounted every few seconds for every village
    touched, not once per write (ADR 22): the places wait in RecountPending, each once, and
    a thread queues one recount per GATHER, due GATHER later."""
    theft = Category.objects.get(code="theft")
    other = "51.08.09.2001"
    for village in (LES, other, LES):
        with django_capture_on_commit_callbacks(execute=True):
            Report.objects.create(category=theft, description="motor hilang", village_id=village,
                                  channel="web", tracking_hash=uuid.uuid4().hex)
    (row,) = DBTaskResult.objects.filter(task_path=DRAIN)
    assert row.run_after > row.enqueued_at + tasks.GATHER - dt.timedelta(seconds=1)
    assert waiting() == sorted([other, LES])  # LES waits once

    tasks._queued.at = float("-inf")  # GATHER has passed: the next write queues another
    with django_capture_on_commit_callbacks(execute=True):
        Report.objects.create(category=theft, description="motor hilang", village_id=other,
                              channel="web", tracking_hash=uuid.uuid4().hex)
    assert DBTaskResult.objects.filter(task_path=DRAIN).count() == 2
    assert run_queued(django_capture_on_commit_callbacks) == [sorted([other, LES])]
    assert_equals_rebuild()


def test_a_write_during_a_recount_waits_for_the_next_one(base, monkeypatch):
    """A place written while the recount counts it is not let go with the recount's rows:
    it waits again, and the recount looks again GATHER later."""
    theft = Category.objects.get(code="theft")
    RecountPending.objects.create(place=LES)
    real = tasks.rollups_refresh

    def meanwhile(*, places, coverage):
        months = real(places=places, coverage=coverage)
        Report.objects.create(category=theft, description="motor hilang", village_id=LES,
                              channel="web", tracking_hash=uuid.uuid4().hex)  # after the count
        return months

    monkeypatch.setattr(tasks, "rollups_refresh", meanwhile)
    DBTaskResult.objects.all().delete()
    tasks.rollups_drain_task.call()
    assert list(RecountPending.objects.values_list("place", "taken")) == [(LES, False)]
    follow_up = DBTaskResult.objects.get(task_path=DRAIN)
    assert follow_up.run_after > dt.datetime.now(dt.UTC) + tasks.GATHER - dt.timedelta(seconds=2)
    monkeypatch.setattr(tasks, "rollups_refresh", real)
    tasks.rollups_drain_task.call()
    assert not RecountPending.objects.exists()
    assert_equals_rebuild()


def test_a_place_is_written_once_per_transaction_and_again_after_a_rolled_back_savepoint(base):
    """The sync stores each record in a savepoint: a place whose row went with a rolled-back
    savepoint is written again by the next write there."""
    from django.db import transaction

    theft = Category.objects.get(code="theft")
    other = "51.08.09.2001"

    def report(village: str) -> None:
        Report.objects.create(category=theft, description="motor hilang", village_id=village,
                              channel="web", tracking_hash=uuid.uuid4().hex)

    with transaction.atomic():
        report(LES)
        with pytest.raises(RuntimeError), transaction.atomic():
            report(other)
            raise RuntimeError
        assert waiting() == [LES]
        report(other)
        report(LES)
        assert waiting() == sorted([LES, other])
        assert RecountPending.objects.count() == 2


def test_places_taken_by_a_recount_that_died_are_counted_by_the_next(base):
    Report.objects.filter(village_id=LES).update(status="resolved")  # no signal
    RecountPending.objects.create(place=LES, taken=True)  # a killed worker's claim
    tasks.rollups_drain_task.call()
    assert not RecountPending.objects.exists()
    assert_equals_rebuild()


def test_a_long_recount_goes_in_chunks_and_still_equals_a_rebuild(base, monkeypatch):
    """CHUNK places per transaction, so that on SQLite intake never waits long for the lock."""
    villages = sorted(set(Report.objects.values_list("village_id", flat=True)))
    assert len(villages) > 2
    seen = []
    real = tasks.rollups_refresh

    def chunk(*, places, coverage):
        seen.append(list(places))
        return real(places=places, coverage=coverage)

    monkeypatch.setattr(tasks, "CHUNK", 2)
    monkeypatch.setattr(tasks, "rollups_refresh", chunk)
    Report.objects.filter(village_id__in=villages).update(status="resolved")
    tasks.rollups_refresh_task.call(villages)
    assert seen == [villages[i:i + 2] for i in range(0, len(villages), 2)]
    assert_equals_rebuild()


def test_routed_reports_recount_the_figures_but_not_the_coverage(base):
    """Coverage counts villages, postings, officers and forums, never reports: the recount
    after a routing batch leaves it alone (and costs half as much)."""
    theft = Category.objects.get(code="theft")
    Report.objects.filter(village_id=LES).update(category=theft)  # no signal: nothing queued
    posting = Assignment.objects.filter(village_id=LES, end__isnull=True).first()
    Assignment.objects.filter(pk=posting.pk).update(end=at(2025, 1, 2).date())  # no signal either
    coverage = sorted(CoverageFigures.objects.values_list(*COVERAGE))

    tasks.rollups_facts_task.call([LES])

    assert sorted(CoverageFigures.objects.values_list(*COVERAGE)) == coverage  # untouched
    facts = snapshot()[0]
    rollups_rebuild()
    assert snapshot()[0] == facts  # the monthly figures are those of a rebuild
