"""The prepared INSERTs write what the ORM would: the rollups' task row as Task.enqueue()
writes it, the audit entry as objects.create() writes it, signals included."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save, pre_save
from django.tasks import task_backends
from django.tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from conftest import person
from polmas.access.audit import audit_record
from polmas.access.models import AuditEntry
from polmas.analytics import tasks
from polmas.core.inserts import insert_one
from polmas.forums.models import Forum

pytestmark = pytest.mark.django_db
ROLLUP = "polmas.analytics.tasks.rollups_refresh_task"


def _columns(row: DBTaskResult) -> dict:
    return {f.attname: getattr(row, f.attname) for f in DBTaskResult._meta.concrete_fields
            if f.attname not in ("id", "enqueued_at", "run_after")}


def test_the_rollups_task_row_is_the_one_enqueue_writes():
    DBTaskResult.objects.filter(task_path=ROLLUP).delete()
    sent = []

    def heard(sender, task_result, **kwargs):
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
    # It waits GATHER, gathering the places of later writes (ADR 11).
    assert ours.enqueued_at + tasks.GATHER - dt.timedelta(seconds=1) <= ours.run_after <= (
        ours.enqueued_at + tasks.GATHER + dt.timedelta(seconds=1))
    assert [s for s, _r in sent] == [type(task_backends["default"])] * 2
    assert sent[0][1].id == str(ours.id) and sent[0][1].args == theirs.args_kwargs["args"]


def test_an_audit_entry_is_the_row_create_writes():
    admin = person("admin")
    forum = Forum.objects.filter(village_id="51.08.09.2007").first()
    heard = []

    def on_save(sender, instance, **kwargs):
        heard.append((kwargs.get("created"), instance.pk))

    pre_save.connect(on_save, sender=AuditEntry)
    post_save.connect(on_save, sender=AuditEntry)
    try:
        entry = audit_record(actor=admin, action="forum.change", obj=forum, region_code="51.08.09.2007",
                             reason="why", detail={"a": [1, "b"]})
    finally:
        pre_save.disconnect(on_save, sender=AuditEntry)
        post_save.disconnect(on_save, sender=AuditEntry)
    assert heard == [(None, None), (True, entry.pk)]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor_id, stored.actor_name, stored.action, stored.object_type, stored.object_id,
            stored.region_code, stored.reason, stored.detail, stored.at) == (
        admin.pk, "admin", "forum.change", "forums.forum", str(forum.pk), "51.08.09.2007", "why",
        {"a": [1, "b"]}, entry.at)
    system = audit_record(actor=None, action="x", object_type="t", object_id=7)
    stored = AuditEntry.objects.get(pk=system.pk)
    assert (stored.actor_id, stored.actor_name, stored.object_id, stored.detail) == (None, "system", "7", {})
    assert not system._state.adding


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


def test_a_row_prepared_before_the_transaction_is_the_row_insert_one_writes():
    """Report intake works out its row (encryption included) before it waits for the write
    turn: the stored report is the one insert_one alone would store."""
    from polmas.core.inserts import row_of
    from polmas.reports.models import Category, Report

    category = Category.objects.filter(sensitive=False).first()
    reports = [Report(category=category, description="Motor hilang", village_id="51.08.09.2007",
                      channel="web", tracking_hash=f"{n}" * 64, reporter_phone="+6281234567890",
                      reporter_name="Wayan") for n in (1, 2)]
    row = row_of(reports[0])
    with transaction.atomic():
        insert_one(reports[0], signals=False, row=row)
        insert_one(reports[1], signals=False)
    first, second = (Report.objects.get(pk=r.pk) for r in reports)
    assert first.reporter_phone == second.reporter_phone == "+6281234567890"
    assert first.reporter_name == "Wayan" and first.created_at == reports[0].created_at
    skip = {"id", "tracking_hash", "created_at", "updated_at"}

    def columns(report: Report) -> dict:
        return {f.attname: getattr(report, f.attname) for f in Report._meta.concrete_fields
                if f.attname not in skip}

    assert columns(first) == columns(second)
    with pytest.raises(ValueError, match="signals=False"):
        insert_one(Report(category=category, description="x", village_id="51.08.09.2007", channel="web",
                          tracking_hash="3" * 64), row=row)


def test_plain_values_are_written_as_the_fields_would_prepare_them():
    """_values skips the conversions of plain fields for plain values: for every field of the
    rows intake and routing write, the value is what get_db_prep_save gives."""
    from django.db import connection
    from django.utils import timezone

    from polmas.core.inserts import _statement, _values
    from polmas.reports.models import Category, Event, Recipient, Report

    category = Category.objects.filter(sensitive=True).first()
    report = Report(category=category, description="Kekerasan", village_id="51.08.09.2007", latitude=-8.1,
                    longitude=115.2, occurred_at=timezone.now(), channel="sms", sensitive=True,
                    tracking_hash="a" * 64, reporter_phone="+6281234567890", client_uuid=uuid.uuid4(),
                    likely_duplicate_of_id=7, version=3)
    rows = [report, Event(report_id=5, at=timezone.now(), kind="received", status="received"),
            Recipient(report_id=5, why="forum", forum_id=2),
            AuditEntry(action="x", object_type="t", object_id="1", detail={"n": [1]}),
            DBTaskResult(id=uuid.uuid4(), args_kwargs={"args": [1.5]}, task_path=ROLLUP,
                         backend_name="default", run_after=None)]
    for obj in rows:
        _sql, fields, _back = _statement(type(obj), False, connection)
        fast = _values(obj, fields, connection)
        slow = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        assert len(fast) == len(slow)
        for f, a, b in zip(fields, fast, slow, strict=True):
            if "Encrypted" in type(f).__name__:  # a fresh nonce each time: compare the plain text
                a, b = (f.from_db_value(x, None, connection) for x in (a, b))
            a, b = (getattr(x, "obj", x) for x in (a, b))  # psycopg's Jsonb wrappers compare by identity
            assert (type(a), a) == (type(b), b), f"{type(obj).__name__}.{f.name}"
