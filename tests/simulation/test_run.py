"""How `demo` and `simulate` put the steps together: the generators of the other apps are
found, bulk writes queue no per-row rollup work, and the demo's year is made once."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from conftest import SEED
from polmas.analytics import tasks as analytics_tasks
from polmas.cases.models import Case
from polmas.forums.models import Meeting
from polmas.simulation.run import generator, rollup_signals_paused

pytestmark = pytest.mark.django_db
TASK = "polmas.analytics.tasks.rollups_drain_task"


def test_the_generators_of_cases_meetings_and_activities_are_found():
    for name in ("cases", "meetings", "activities"):
        make = generator(name)
        assert make is not None and make.__name__ == f"{name}_generate"
    assert generator("no_such_thing") is None


def _case() -> Case:
    return Case.objects.create(
        village_id="51.08.09.2007", category_id=1, title="t", statement="s", source="detection",
        opened_at=dt.datetime(2017, 3, 1, tzinfo=dt.UTC))


def test_while_simulating_saves_queue_no_rollup_task_and_afterwards_they_do_again(
        django_capture_on_commit_callbacks):
    DBTaskResult.objects.filter(task_path=TASK).delete()
    analytics_tasks._queued.at = float("-inf")  # no recount queued by this thread lately
    with rollup_signals_paused(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        _case()
    assert callbacks == []
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _case()
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1


def test_demo_meetings_for_a_province_are_made_once():
    from polmas.simulation.run import demo_year

    made = demo_year(["34"], year=2025, seed=SEED, kinds=("meetings",))
    assert made["meetings"] > 0
    count = Meeting.objects.count()
    assert demo_year(["34"], year=2025, seed=SEED, kinds=("meetings",))["meetings"] == 0
    assert Meeting.objects.count() == count
