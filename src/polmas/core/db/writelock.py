"""On SQLite, intake's writes (the report's INSERT, routing's batches, the rollups' recounts)
take turns through an OS file lock before asking for the database's own write lock.

SQLite lets one writer at a time in. A process that finds the database busy polls: sleeps of
1, 2, 5, 10, ... up to 100 ms between tries (its busy handler), so with two or more workers
a report often waits tens of milliseconds for a lock that was freed long before. A blocking
`flock` wakes the next writer as soon as the lock is released. Other writers still meet
SQLite's busy handler as before, so nothing can deadlock: the holder of the file lock waits
at most `busy_timeout` for SQLite's. PostgreSQL locks rows, not the database: there this does
nothing.

Why it is kept (issue 13: a piece that buys less than 10% on the intake bench goes), from
bench/intake.py on SQLite, gunicorn's 2 sync workers and the task worker, the same code with
and without the lock, two runs each on a 2-core machine at load average 12-20: intake's rate
0.29 and 0.34 of the ORM floor's with it, 0.24 and 0.31 without (+10 to +21%); gunicorn's CPU
per report 3.3 and 2.5 ms with it, 3.5 and 3.5 ms without; closed-loop p99 1.5 s and 0.5 s
with it, 2.0 s and 1.3 s without. The machine was busy with other work, so the spread between
runs is as wide as the difference: measure again on a quiet machine before building on it.
It is not a private internal; it lives here because it is database-specific.
"""

import contextlib
import os
import threading
import time
from collections.abc import Iterator

from django.db import connection

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone
    fcntl = None

_threads = threading.Lock()
_files: dict[str, int] = {}


def lock_file(database: str) -> int | None:
    """The descriptor of `<database>-intake.lock`, opened once per process (None in memory)."""
    if fcntl is None or not database or database.startswith(":memory:") or "mode=memory" in database:
        return None
    fd = _files.get(database)
    if fd is None:
        fd = _files[database] = os.open(f"{database}-intake.lock", os.O_RDWR | os.O_CREAT, 0o600)
    return fd


@contextlib.contextmanager
def turn(fd: int | None) -> Iterator[None]:
    """Hold the lock on `fd` (None: only this process's threads take turns)."""
    with _threads:  # threads of one process share the file's lock: take turns here first
        if fd is None or fcntl is None:
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


# A background writer that takes the turn again and again (routing's batches, the rollups'
# recount in chunks) pauses this long between turns: `flock` is not fair, and a process that
# unlocks and locks again at once would keep intake waiting until it is done.
PAUSE = 0.003  # seconds; an intake transaction takes about a millisecond


def pass_turn() -> None:
    """Let waiting intake writers through between two turns of a background writer, and
    checkpoint meanwhile (checkpoint())."""
    if connection.vendor == "sqlite":
        checkpoint()
        time.sleep(PAUSE)


def checkpoint() -> None:
    """Copy what the WAL holds into the database file (SQLite, outside a transaction; a no-op
    elsewhere). A PASSIVE checkpoint takes no write lock: writers go on meanwhile. A
    background writer runs it between its turns and when it is done, so that the checkpoint
    and its fsyncs are seldom left to a commit made while holding the intake turn (SQLite
    checkpoints in the commit that takes the WAL past wal_autocheckpoint, settings.py)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


@contextlib.contextmanager
def intake_writer() -> Iterator[None]:
    """Hold the intake write turn (SQLite; a no-op elsewhere) for the enclosed transaction.
    Inside a transaction already open it does nothing: that transaction may hold SQLite's
    lock, and waiting for the file lock while holding it could stall another writer."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with turn(lock_file(str(connection.settings_dict["NAME"]))):
        yield
