"""The prepared INSERTs write what the ORM would: the rollups' task row as Task.enqueue()
writes it, signals included."""

import pytest
from django.db import IntegrityError, transaction
from django.tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from polmas.access.models import AuditEntry
from polmas.analytics import tasks
from polmas.core.inserts import insert_one

pytestmark = pytest.mark.django_db
ROLLUP = "polmas.analytics.tasks.rollups_refresh_task"


def _columns(row: DBTaskResult) -> dict:
    return {f.attname: getattr(row, f.attname) for f in DBTaskResult._meta.concrete_fields
            if f.attname not in ("id", "enqueued_at")}


def test_the_rollups_task_row_is_the_one_enqueue_writes():
    DBTaskResult.objects.filter(task_path=ROLLUP).delete()
    sent = []

    def heard(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        sent.append((sender, task_result))

    task_enqueued.connect(heard)
    try:
        with transaction.atomic():
            tasks.refresh_after_commit("51.08.09.2007", "51.08.09.2001")
            ours = DBTaskResult.objects.get(id=tasks._pending.task_id)
            theirs = tasks.rollups_refresh_task.enqueue(["51.08.09.2001", "51.08.09.2007"]).db_result
    finally:
        task_enqueued.disconnect(heard)
    theirs.refresh_from_db()
    assert _columns(ours) == _columns(theirs)
    assert ours.args_kwargs == {"args": [["51.08.09.2001", "51.08.09.2007"]], "kwargs": {}}
    assert ours.enqueued_at is not None and ours.status == "READY"
    assert [s for s, _r in sent] == [type(tasks.task_backends["default"])] * 2
    assert sent[0][1].id == str(ours.id) and sent[0][1].args == theirs.args_kwargs["args"]


def test_a_failed_insert_marks_the_transaction_for_rollback_as_save_does():
    first = DBTaskResult(args_kwargs={}, task_path=ROLLUP, backend_name="default")
    insert_one(first)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_one(DBTaskResult(id=first.id, args_kwargs={}, task_path=ROLLUP, backend_name="default"))
        assert transaction.get_connection().needs_rollback  # the block ends in a rollback
    assert DBTaskResult.objects.filter(id=first.id).count() == 1


def test_an_unsaved_related_object_is_refused_as_save_refuses_it():
    from django.contrib.auth.models import User

    with pytest.raises(ValueError, match="unsaved related object"):
        insert_one(AuditEntry(actor=User(username="ghost"), action="x", object_type="t", object_id="1"))
