"""Background upkeep of the rollups: after a commit that changed reports, cases,
activities, meetings, postings or forums, recount the places touched."""

import threading

from django.db import transaction
from django.tasks import task, task_backends
from django.tasks.signals import task_enqueued
from django.utils.json import normalize_json

from polmas.analytics.services import rollups_refresh
from polmas.core.inserts import insert_one

_pending = threading.local()


@task()
def rollups_refresh_task(places: list[str]) -> list[int]:
    """Recount `places` (village codes, or region codes of a police unit) up their chain."""
    return sorted(rollups_refresh(places=places))


def _in_transaction_queue() -> bool:
    """The database queue writes a task as a row: written inside the caller's transaction it
    becomes visible to workers only at commit, and a rollback drops it with the data."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[rollups_refresh_task.backend], DatabaseBackend)


def _enqueue_in_transaction(places: list[str]) -> str:
    """`rollups_refresh_task.enqueue(places)` on the database queue, the same row and the same
    task_enqueued signal, but written with a prepared INSERT (core.inserts) instead of the
    ORM's create(), which compiles the statement afresh each time: about a millisecond of CPU
    per report received, spent while intake holds the write lock. The id of the task."""
    from django_tasks_db.models import DBTaskResult

    task = rollups_refresh_task
    backend = task_backends[task.backend]
    backend.validate_task(task)
    # As DatabaseBackend._task_to_db_task; the pre_save receiver of django_tasks_db sets the
    # run_after of a task without one.
    row = DBTaskResult(
        id=backend._get_id(), args_kwargs=normalize_json({"args": (places,), "kwargs": {}}),
        priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
        run_after=task.run_after, backend_name=backend.alias,
    )
    insert_one(row)
    result = row.task_result
    task_enqueued.send(type(backend), task_result=result)
    return result.id


def refresh_after_commit(*places: str | None) -> None:
    """Have `places` recounted once the current transaction commits; the places of one
    transaction go out in a single task.

    With the database queue the task row is written inside the transaction itself (a
    transactional outbox): no second transaction and no second commit per write, which on
    SQLite would take the write lock twice for every report received."""
    wanted = {p for p in places if p}
    if not wanted:
        return
    connection = transaction.get_connection()
    outbox = connection.in_atomic_block and _in_transaction_queue()
    marker = getattr(_pending, "marker", None)
    # A rolled-back transaction drops its callbacks (and the task row): then start a new batch.
    if marker is not None and any(entry[1] is marker for entry in connection.run_on_commit):
        if wanted <= _pending.batch:
            return
        _pending.batch |= wanted
        if not outbox:
            return
        from django_tasks_db.models import DBTaskResult

        args = {"args": [sorted(_pending.batch)], "kwargs": {}}
        if DBTaskResult.objects.filter(id=_pending.task_id).update(args_kwargs=args):
            return
        wanted = set(_pending.batch)  # the row went with a rolled-back savepoint
    _pending.batch = set(wanted)
    _pending.task_id = _enqueue_in_transaction(sorted(wanted)) if outbox else None

    def marker() -> None:
        sent, _pending.batch, _pending.marker = _pending.batch, set(), None
        if not outbox:
            rollups_refresh_task.enqueue(sorted(sent))

    _pending.marker = marker
    if connection.in_atomic_block:
        transaction.on_commit(marker)
    else:
        marker()
