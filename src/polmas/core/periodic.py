"""Jobs on a clock, run by the task worker (`polmas db_worker`).

django-tasks' database backend runs queued tasks but has no periodic ones, so each room
registers here, from its AppConfig.ready(), the jobs that must run every so often whether or
not anyone looks (escalating quiet cases is one: a GET never runs it). Every worker process
that is not a one-off batch runs them in a daemon thread, each job at most once per period
per worker; a job must therefore be safe to run twice at once and again after a crash (the
same rule as for tasks). Each job also has its own management command for cron.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

logger = logging.getLogger("polmas.periodic")


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds between two runs in one worker
    run: Callable[[], object]


_JOBS: dict[str, Job] = {}


def register(name: str, *, every: float, run: Callable[[], object]) -> None:
    """Have the worker call `run()` every `every` seconds (the first time at its start)."""
    if every <= 0:
        raise ValueError(f"{name}: every must be positive, not {every!r}")
    _JOBS[name] = Job(name=name, every=every, run=run)


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def run_due(last: dict[str, float], now: float, *, only: set[str] | None = None) -> list[str]:
    """Run every job (or those named in `only`) whose period has passed since its `last` run
    (updated in place); a job that fails is logged and tried again at its next period.
    Returns the names run."""
    ran = []
    for job in jobs():
        if only is not None and job.name not in only:
            continue
        if now - last.get(job.name, float("-inf")) < job.every:
            continue
        last[job.name] = now
        try:
            result = job.run()
            logger.info("periodic %s: %s", job.name, result)
        except Exception:
            logger.exception("periodic %s failed", job.name)
        ran.append(job.name)
    return ran


def start(*, tick: float = 1.0, only: set[str] | None = None,
          stop: threading.Event | None = None) -> threading.Thread:
    """Start the daemon thread that runs the jobs (or those named in `only`) as they fall
    due, until `stop` is set."""
    last: dict[str, float] = {}
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                # This thread's own connection: dropped when broken or past its age, like a
                # request's (not in run_due: inside a transaction it would close the caller's).
                close_old_connections()
            except Exception:
                logger.exception("periodic: closing old connections failed")
            run_due(last, time.monotonic(), only=only)
            stop.wait(tick)

    thread = threading.Thread(target=loop, name="polmas-periodic", daemon=True)
    thread.start()
    return thread
