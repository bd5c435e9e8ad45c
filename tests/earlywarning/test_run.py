"""`polmas early_warning`: the demo's planted outbreak is found, once; bad weeks and groups
are refused with the reason."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from earlywarning.helpers import LAST, TODAY, background, reports_add
from polmas.earlywarning.counts import weekly_counts_refresh
from polmas.earlywarning.models import Alarm, WeeklyCount
from polmas.regions.models import Region
from polmas.simulation.outbreak import outbreak_plant, outbreak_villages

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    now = dt.datetime.combine(TODAY, dt.time(3), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return TODAY


@pytest.fixture
def tejakula(today):
    villages = list(Region.objects.under("51.08.09").filter(level=4).values_list("code", flat=True))
    background(villages)
    return villages


def _run(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("early_warning", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_planted_outbreak_is_the_alarm_and_a_rerun_adds_nothing(tejakula):
    added = outbreak_plant(seed=1)
    assert added > 0
    assert outbreak_plant(seed=1) == 0  # safe to rerun
    planted = {v.code for v in outbreak_villages()}
    first = _run()
    assert first["week"] == "2026-W48"
    property_alarms = [a for a in first["alarms"] if a["category_group"] == "property"]
    assert property_alarms, first
    assert all(set(a) >= {"region_code", "category_group", "observed", "expected", "detector"}
               for a in first["alarms"])
    assert any(planted & set(a["villages"]) for a in property_alarms)
    assert all(a["observed"] > a["expected"] for a in property_alarms)
    count = Alarm.objects.count()
    assert _run() == first
    assert Alarm.objects.count() == count


def test_one_report_in_a_quiet_village_is_no_alarm(tejakula):
    quiet = tejakula[-1]
    reports_add(quiet, "fight", LAST, 1)
    result = _run("--group", "violence")
    assert result["alarms"] == []


def test_sensitive_matters_are_counted_per_district_only(tejakula):
    village = tejakula[0]
    reports_add(village, "domestic_violence", LAST - dt.timedelta(weeks=20), 1)
    for k in range(3):
        reports_add(village, "domestic_violence", LAST - dt.timedelta(weeks=k), 4)
    weekly_counts_refresh(since=LAST - dt.timedelta(weeks=30), until=LAST + dt.timedelta(weeks=1))
    codes = set(WeeklyCount.objects.filter(group="sensitive").values_list("region_id", flat=True))
    assert codes == {"51.08.09"}
    result = _run("--group", "sensitive")
    assert [a["region_code"] for a in result["alarms"]] == ["51.08.09"]
    assert result["alarms"][0]["villages"] == ["51.08.09"]


@pytest.mark.parametrize(("args", "reason"), [
    (["--week", "2026-W60"], "not an ISO week"),
    (["--week", "yesterday"], "not an ISO week"),
    (["--week", "2026-W49"], "not complete yet"),
    (["--week", "2020-W10"], "weeks of reports before it"),
    (["--group", "gossip"], "unknown group gossip"),
])
def test_bad_weeks_and_groups_are_refused_with_the_reason(tejakula, args, reason):
    with pytest.raises(CommandError, match=reason):
        _run(*args)
    assert not Alarm.objects.exists()


def test_a_week_with_no_reports_at_all_is_refused(today):
    with pytest.raises(CommandError, match="no reports yet"):
        _run()


def test_the_worker_task_runs_the_latest_week_and_refuses_a_bad_one(tejakula):
    from polmas.earlywarning.tasks import early_warning_task

    outbreak_plant(seed=1)
    assert early_warning_task.call("soon") == {"week": "soon", "refused": "not a week"}
    done = early_warning_task.call()
    assert done["week"] == "2026-W48" and done["alarms"] >= 1
    assert early_warning_task.call() == done  # a rerun adds nothing


def test_a_recount_writes_week_by_week_and_only_the_weeks_that_changed(tejakula):
    """One transaction for three years of counts held SQLite's write lock for seconds (a
    request's audit write timed out: a 500 in CI). Each week now has its own transaction, and a
    week whose counts did not change is not written at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    since, until = LAST - dt.timedelta(weeks=30), LAST + dt.timedelta(weeks=1)
    weekly_counts_refresh(since=since, until=until)
    stored = sorted(WeeklyCount.objects.values_list("region_id", "group", "week", "count"))
    assert stored
    with CaptureQueriesContext(connection) as unchanged:
        weekly_counts_refresh(since=since, until=until)
    writes = [q["sql"] for q in unchanged.captured_queries
              if q["sql"].lstrip().upper().startswith(("DELETE", "INSERT", "UPDATE"))]
    assert writes == []
    assert sorted(WeeklyCount.objects.values_list("region_id", "group", "week", "count")) == stored

    reports_add(tejakula[0], "fight", LAST - dt.timedelta(weeks=3), 2)
    with CaptureQueriesContext(connection) as changed:
        weekly_counts_refresh(since=since, until=until)
    deletes = [q["sql"] for q in changed.captured_queries
               if q["sql"].lstrip().upper().startswith("DELETE")]
    assert len(deletes) == 1  # that week only
    week = (LAST - dt.timedelta(weeks=3))
    week -= dt.timedelta(days=week.weekday())
    mine = WeeklyCount.objects.get(region_id=tejakula[0], group="violence", week=week)
    before = dict(((r, g, w), n) for r, g, w, n in stored).get((tejakula[0], "violence", week), 0)
    assert mine.count == before + 2
    others = sorted(WeeklyCount.objects.exclude(week=week).values_list(
        "region_id", "group", "week", "count"))
    assert others == [row for row in stored if row[2] != week]
