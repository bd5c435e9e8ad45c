"""The task worker of django-tasks-db (0.13), made to outlive a database outage, and stale
claims taken back.

Why this reaches into django_tasks_db (its `Worker` class and its `DBTaskResult` rows, neither
documented as API):

- `Worker.run` lets every database error but "database is locked" escape its loop. Under
  `polmas db_worker` with POLMAS_DEBUG=0 the process then exits; with the autoreloader (the
  DEBUG default) the loop's thread dies and the process lives on, idle, taking no task. A
  PostgreSQL restart (an upgrade, a failover, a crash) thus stopped all routing until someone
  restarted the worker by hand. `run_supervised` runs the same Worker again after such an
  error, with backoff, until the database answers: the figure is "reports routed after a
  restart": none before, all within seconds after (tests/faults).
- A worker killed mid-task (kill -9, the OOM killer, a machine lost) leaves the task's row
  RUNNING, and django-tasks-db has nothing that ever takes it back: no heartbeat, no lease,
  no command (its only one, prune_db_task_results, deletes finished rows). `requeue_stale`
  puts a row RUNNING longer than POLMAS_TASK_STALE_SECONDS back to READY with a conditional
  UPDATE, so that the next free worker runs it again. Our tasks are safe to run again
  (routing takes only unrouted reports, a message is sent once per claimed attempt, rollups
  recount). A row claimed POLMAS_TASK_MAX_CLAIMS times is marked FAILED instead: a task that
  kills its worker every time must not kill them all forever.
- `requeue_own` does the same at once for rows this very process claimed, after it lost the
  database in the middle of a task: it runs one task at a time, so such a row is abandoned.

Both are open upstream: RealOrangeOne/django-tasks-db#49 ("db_worker crashes on transient
database connection errors") and RealOrangeOne/django-tasks#46 ("Unclean exits of the worker
leave tasks in limbo", where the maintainer names a time limit as the way forward). This goes
when django-tasks-db retries its loop on connection errors and reclaims expired claims.
"""

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("polmas.tasks")

# psycopg and sqlite3 report a server gone, a refused connection, a database starting up or
# shutting down as these (Django wraps the driver's errors in its own classes).
CONNECTION_ERRORS = (OperationalError, InterfaceError)
BACKOFF_FIRST = 0.5  # seconds before the first retry after a database error
BACKOFF_MAX = 5.0  # at most this long idle after the database is back; a failed connect is cheap
STALE_MARK = "polmas.core.db.tasks.StaleClaim"


class StaleClaim(Exception):
    """A task claimed too many times by workers that never finished it."""


def _take_back(row: DBTaskResult, reason: str) -> bool:
    """Put one RUNNING row back to READY (or FAILED after too many claims), if it is still as
    it was read: a worker that finishes it meanwhile wins. Returns whether it changed."""
    same = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=row.started_at)
    if len(row.worker_ids) >= settings.POLMAS_TASK_MAX_CLAIMS:
        changed = same.update(
            status="FAILED", finished_at=timezone.now(), exception_class_path=STALE_MARK,
            traceback=f"{reason}: claimed {len(row.worker_ids)} times ({', '.join(row.worker_ids)}) "
                      "and never finished; not run again.\n")
        if changed:
            logger.error("task %s (%s) given up after %d claims", row.pk, row.task_path, len(row.worker_ids))
        return bool(changed)
    changed = same.update(status="READY", started_at=None)
    if changed:
        logger.warning("task %s (%s) taken back: %s", row.pk, row.task_path, reason)
    return bool(changed)


def requeue_stale(*, older_than: float | None = None) -> int:
    """Take back the task rows RUNNING for longer than `older_than` seconds (default
    POLMAS_TASK_STALE_SECONDS): their worker died. Returns how many were taken back."""
    seconds = settings.POLMAS_TASK_STALE_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    rows = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).only(
        "pk", "task_path", "started_at", "worker_ids")
    return sum(_take_back(row, f"running since {row.started_at:%Y-%m-%d %H:%M:%S} UTC, longer than "
                               f"{seconds:g} s") for row in rows)


def requeue_own(worker_id: str) -> int:
    """Take back the rows left RUNNING by this worker (`worker_id`) when it lost the database
    in the middle of a task. Only call while it runs none."""
    rows = DBTaskResult.objects.filter(status="RUNNING").only("pk", "task_path", "started_at", "worker_ids")
    return sum(_take_back(row, "its worker lost the database while running it")
               for row in rows if row.worker_ids and row.worker_ids[-1] == worker_id)


def _drop_connections() -> None:
    """Close this thread's connections, which may be broken: the next query opens anew."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except CONNECTION_ERRORS:
            conn.connection = None  # closing a dead socket failed: forget it


def run_supervised(worker: Worker) -> None:
    """Run `worker` (django_tasks_db's loop) until it stops of itself (a signal, --batch,
    --max-tasks), running it again after a database error, with backoff, until the database
    answers again; then first take back the task it was running when it lost the database."""
    delay = BACKOFF_FIRST
    lost = False
    while worker.running:
        started = time.monotonic()
        try:
            if lost:
                close_old_connections()
                requeue_own(worker.worker_id)
                lost = False
                logger.warning("worker %s has the database again", worker.worker_id)
            worker.run()
            return
        except CONNECTION_ERRORS as exc:
            if not lost or time.monotonic() - started > BACKOFF_MAX:
                delay = BACKOFF_FIRST  # a new outage, not the same one going on
            lost = True
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            logger.warning("worker %s lost the database (%s); trying again in %.1f s",
                           worker.worker_id, first_line, delay)
        _drop_connections()
        time.sleep(delay)
        delay = min(delay * 2, BACKOFF_MAX)


def reaper_start(*, every: float | None = None) -> threading.Thread:
    """Start a daemon thread that calls requeue_stale() now and then (by default every quarter
    of POLMAS_TASK_STALE_SECONDS, between 1 and 60 s), on its own connection, shrugging off
    database errors."""
    period = every if every is not None else min(60.0, max(1.0, settings.POLMAS_TASK_STALE_SECONDS / 4))

    def loop() -> None:
        while True:
            try:
                close_old_connections()
                requeue_stale()
            except CONNECTION_ERRORS as exc:
                logger.info("stale-claim check skipped: %s", exc)
                _drop_connections()
            except Exception:
                logger.exception("stale-claim check failed")
            time.sleep(period)

    thread = threading.Thread(target=loop, name="polmas-task-reaper", daemon=True)
    thread.start()
    return thread


def task_counts() -> dict[str, int]:
    """Task rows by status, for the metrics: django-tasks has no public count of its queue,
    so this reads the backend's own table (the one place that may)."""
    from django.db.models import Count

    return {row["status"]: row["n"] for row in
            DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by()}
