"""Tasks written inside the caller's transaction (a transactional outbox).

With the database queue a task is a row: written inside the transaction that makes it
necessary, it becomes visible to the workers only at commit, and a rollback drops it with
the data. No second transaction, no second commit (on SQLite that would take the write lock
twice). Other backends (immediate, dummy) enqueue once the transaction commits.
"""

import datetime as dt

from django.db import transaction
from django.tasks import Task, task_backends
from django.tasks.signals import task_enqueued
from django.utils.json import normalize_json

from polmas.core.inserts import insert_one


def in_transaction_queue(task: Task) -> bool:
    """Does `task` go to the database queue, whose rows can join the caller's transaction?"""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[task.backend], DatabaseBackend)


def enqueue_row(task: Task, *args: object, run_after: dt.datetime | None = None) -> str:
    """`task.enqueue(*args)` on the database queue, the same row and the same task_enqueued
    signal, written with a prepared INSERT (core.inserts) instead of the ORM's create(),
    which compiles the statement afresh each time. The id of the task."""
    from django_tasks_db.models import DBTaskResult

    backend = task_backends[task.backend]
    backend.validate_task(task)
    # As DatabaseBackend._task_to_db_task; the pre_save receiver of django_tasks_db sets the
    # run_after of a task without one.
    row = DBTaskResult(
        id=backend._get_id(), args_kwargs=normalize_json({"args": args, "kwargs": {}}),
        priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
        run_after=run_after if run_after is not None else task.run_after, backend_name=backend.alias,
    )
    insert_one(row)
    result = row.task_result
    task_enqueued.send(type(backend), task_result=result)
    return result.id


def enqueue_with_transaction(task: Task, *args: object, run_after: dt.datetime | None = None) -> None:
    """Have `task(*args)` run once the current transaction commits: as a row of that
    transaction on the database queue, else enqueued on commit (immediately outside one).
    A backend that cannot defer runs it without waiting for `run_after`."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and in_transaction_queue(task):
        enqueue_row(task, *args, run_after=run_after)
        return

    def send() -> None:
        deferred = task.using(run_after=run_after) if run_after is not None else task
        try:
            deferred.enqueue(*args)
        except Exception:  # noqa: BLE001  backends without deferral (immediate, dummy): at once
            task.enqueue(*args)

    transaction.on_commit(send)
