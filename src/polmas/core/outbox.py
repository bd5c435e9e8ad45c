"""Tasks queued with the transaction that makes them necessary, through the tasks API.

With django-tasks-db's database queue, `Task.enqueue()` writes the task's row with the ORM
on the default connection: called inside a transaction, the row commits with the data and a
rollback drops it with the data (a transactional outbox), with no second transaction and no
second commit (on SQLite that would take the write lock twice). Other backends (immediate,
dummy) are enqueued once the transaction commits, as Django's documentation advises.
"""

import datetime as dt

from django.db import transaction
from django.tasks import Task, task_backends


def in_transaction_queue(task: Task) -> bool:
    """Does `task` go to the database queue, whose rows join the caller's transaction?"""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[task.backend], DatabaseBackend)


def enqueue_row(task: Task, *args: object, run_after: dt.datetime | None = None) -> str:
    """`task.enqueue(*args)`, deferred to `run_after` if given: on the database queue, a row
    of the current transaction. The id of the task."""
    deferred = task.using(run_after=run_after) if run_after is not None else task
    return deferred.enqueue(*args).id


def enqueue_with_transaction(task: Task, *args: object, run_after: dt.datetime | None = None) -> None:
    """Have `task(*args)` run once the current transaction commits: as a row of that
    transaction on the database queue, else enqueued on commit (immediately outside one).
    A backend that cannot defer runs it without waiting for `run_after`."""
    if transaction.get_connection().in_atomic_block and in_transaction_queue(task):
        enqueue_row(task, *args, run_after=run_after)
        return

    def send() -> None:
        deferred = task.using(run_after=run_after) if run_after is not None else task
        try:
            deferred.enqueue(*args)
        except Exception:  # noqa: BLE001  backends without deferral (immediate, dummy): at once
            task.enqueue(*args)

    transaction.on_commit(send)
