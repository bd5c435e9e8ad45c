"""Background upkeep of the rollups: after a commit that changed reports, cases,
activities, meetings, postings or forums, recount the places touched."""

import datetime as dt
import threading
import time

from django.db import transaction
from django.tasks import Task, task
from django.utils import timezone

from polmas.analytics.services import rollups_refresh
from polmas.core.outbox import enqueue_row, in_transaction_queue

# A recount waits this long after the first write that needs it, gathering the places of the
# writes that follow: under steady intake the rollups are recounted every few seconds for
# every village touched, not once per batch of reports (ADR 11).
GATHER = dt.timedelta(seconds=5)


# Places recounted per transaction: on SQLite a recount holds the database's write lock, and
# report intake waits for it (ADR 11); between two chunks the recount pauses for PAUSE, so that
# writers waiting in SQLite's busy handler (which sleeps 1, 2, 5, 10 ms between tries) get in.
CHUNK = 10
PAUSE = 0.01  # seconds; an intake transaction takes about a millisecond


def _recount(places: list[str], *, coverage: bool) -> list[int]:
    """Recount `places` CHUNK per transaction (each its own commit), pausing between them on
    SQLite so that report intake is not kept waiting behind a long recount."""
    ordered, months = sorted(set(places)), set()
    for start in range(0, len(ordered), CHUNK):
        if start and transaction.get_connection().vendor == "sqlite":
            time.sleep(PAUSE)
        months |= rollups_refresh(places=ordered[start:start + CHUNK], coverage=coverage)
    return sorted(months)


@task()
def rollups_refresh_task(places: list[str]) -> list[int]:
    """Recount `places` (village codes, or region codes of a police unit) up their chain:
    monthly figures and coverage."""
    return _recount(places, coverage=True)


@task()
def rollups_facts_task(places: list[str]) -> list[int]:
    """Recount the monthly figures of `places` up their chain, not their coverage: after
    routed reports, which coverage does not count."""
    return _recount(places, coverage=False)


class _Queue:
    """The recount of one kind queued by the current transaction (per thread)."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.local = threading.local()

    def gathering(self, wanted: set[str]) -> tuple[str, set[str]] | None:
        """Add `wanted` to a recount of this kind that is queued and still gathering (its
        run_after ahead); its id and all its places, or None when there is none. On
        PostgreSQL a row another transaction is adding to is skipped (then a second recount
        gathers): writers never wait for each other here."""
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(task_path=self.task.module_path, status="READY",
                                              run_after__gt=timezone.now())
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            waiting = waiting.select_for_update(skip_locked=True)
        row = waiting.order_by("run_after").values_list("id", "args_kwargs").first()
        if row is None:
            return None
        places = set(row[1]["args"][0]) | wanted
        DBTaskResult.objects.filter(id=row[0]).update(args_kwargs={"args": [sorted(places)], "kwargs": {}})
        return str(row[0]), places

    def add(self, places: tuple[str | None, ...]) -> None:
        wanted = {p for p in places if p}
        if not wanted:
            return
        pending, task = self.local, self.task
        connection = transaction.get_connection()
        outbox = connection.in_atomic_block and in_transaction_queue(task)
        marker = getattr(pending, "marker", None)
        # A rolled-back transaction drops its callbacks (and the task row): then start anew.
        if marker is not None and any(entry[1] is marker for entry in connection.run_on_commit):
            if wanted <= pending.batch:
                return
            pending.batch |= wanted
            if not outbox:
                return
            from django_tasks_db.models import DBTaskResult

            args = {"args": [sorted(pending.batch)], "kwargs": {}}
            if DBTaskResult.objects.filter(id=pending.task_id).update(args_kwargs=args):
                return
            wanted = set(pending.batch)  # the row went with a rolled-back savepoint
        pending.batch, pending.task_id = set(wanted), None
        if outbox:
            waiting = self.gathering(wanted)
            if waiting is not None:
                pending.task_id, pending.batch = waiting
            else:
                pending.task_id = enqueue_row(task, sorted(wanted), run_after=timezone.now() + GATHER)

        def marker() -> None:
            sent, pending.batch, pending.marker = pending.batch, set(), None
            if not outbox:
                task.enqueue(sorted(sent))

        pending.marker = marker
        if connection.in_atomic_block:
            transaction.on_commit(marker)
        else:
            marker()


_everything = _Queue(rollups_refresh_task)
_facts = _Queue(rollups_facts_task)
_pending = _everything.local  # the full recount's state, as tests read it


def refresh_after_commit(*places: str | None) -> None:
    """Have `places` recounted once the current transaction commits; the places of one
    transaction go out in a single task.

    With the database queue the task row is written inside the transaction itself (a
    transactional outbox): no second transaction and no second commit per write, which on
    SQLite would take the write lock twice for every report received. The recount runs
    GATHER after it was first queued, and the writes until then add their places to it."""
    _everything.add(places)


def facts_after_commit(*places: str | None) -> None:
    """refresh_after_commit for writes that cannot change coverage (routed reports): the
    monthly figures only."""
    _facts.add(places)
