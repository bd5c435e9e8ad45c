"""The early warning on the worker: a task per run (enqueued by the periodic job, daily), and
the same from `polmas early_warning` where no worker runs. Safe to run twice: each place,
group and week is alarmed once (a unique constraint)."""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from polmas.earlywarning.groups import latest_complete_week, week_label, week_parse
from polmas.earlywarning.run import WeekRefused, early_warning_run

RUN_EVERY = dt.timedelta(hours=24)


@task()
def early_warning_task(week: str = "") -> dict:
    """Run the early warning for `week` (YYYY-Www; the latest complete week when empty)."""
    today = timezone.now().date()
    monday = week_parse(week) if week else latest_complete_week(today)
    if monday is None:
        return {"week": week, "refused": "not a week"}
    try:
        alarms = early_warning_run(week=monday, today=today)
    except WeekRefused as refused:
        return {"week": week_label(monday), "refused": str(refused)}
    return {"week": week_label(monday), "alarms": len(alarms)}


def early_warning_periodic() -> str:
    """Queue a run for the latest complete week (the worker runs it)."""
    return str(early_warning_task.enqueue().id)
