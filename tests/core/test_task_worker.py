"""The task worker's own pieces (core/db/tasks.py): `polmas db_worker` is ours, and task rows
left RUNNING by a dead worker are taken back. tests/faults/ kills real workers."""

import datetime as dt
import uuid

import pytest
from django.core.management import get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from polmas.core.db.tasks import STALE_MARK, requeue_own, requeue_stale

pytestmark = pytest.mark.django_db
ROUTE = "polmas.reports.tasks.reports_route_task"


def row(*, status: str = "RUNNING", seconds_ago: float = 0, workers: list[str] | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        id=uuid.uuid4(), status=status, args_kwargs={"args": [], "kwargs": {}}, task_path=ROUTE,
        backend_name="default", run_after=timezone.now(), worker_ids=workers or ["w1"],
        started_at=timezone.now() - dt.timedelta(seconds=seconds_ago) if status == "RUNNING" else None)


def status(r: DBTaskResult) -> str:
    r.refresh_from_db()
    return r.status


def test_db_worker_is_the_command_that_survives_outages():
    assert get_commands()["db_worker"] == "polmas.core"


def test_a_claim_older_than_the_timeout_goes_back_to_the_queue(settings):
    settings.POLMAS_TASK_STALE_SECONDS = 60
    DBTaskResult.objects.all().delete()
    stale, fresh, done = row(seconds_ago=61), row(seconds_ago=30), row(status="SUCCESSFUL")

    assert requeue_stale() == 1

    assert (status(stale), status(fresh), status(done)) == ("READY", "RUNNING", "SUCCESSFUL")
    stale.refresh_from_db()
    assert stale.started_at is None and stale.worker_ids == ["w1"]
    assert DBTaskResult.objects.ready().filter(pk=stale.pk).exists()  # a worker will claim it
    assert requeue_stale() == 0


def test_a_task_claimed_too_often_is_failed_not_run_again(settings):
    settings.POLMAS_TASK_STALE_SECONDS = 60
    settings.POLMAS_TASK_MAX_CLAIMS = 3
    DBTaskResult.objects.all().delete()
    doomed = row(seconds_ago=120, workers=["w1", "w2", "w3"])

    assert requeue_stale() == 1

    doomed.refresh_from_db()
    assert (doomed.status, doomed.exception_class_path) == ("FAILED", STALE_MARK)
    assert "claimed 3 times" in doomed.traceback and doomed.finished_at is not None


def test_a_worker_takes_back_at_once_only_what_it_was_running_itself():
    DBTaskResult.objects.all().delete()
    mine, earlier_mine, theirs = row(workers=["me"]), row(workers=["me", "other"]), row(workers=["other"])

    assert requeue_own("me") == 1

    assert (status(mine), status(earlier_mine), status(theirs)) == ("READY", "RUNNING", "RUNNING")
