"""Several `polmas db_worker` processes on one PostgreSQL: django-tasks-db claims each task row
with SELECT .. FOR UPDATE SKIP LOCKED (DBTaskResultQuerySet.get_locked), and routing claims
reports the same way (reports.routing.route_batch). Two workers under load: every report is
routed once, every message sent once, both workers did work; a SIGTERM lets the task in hand
finish and the worker exit 0. (A worker killed mid-task: tests/faults, worker-kill.)

On the private primary of conftest.py, never the shared server.
"""

import collections
import json
import signal
from pathlib import Path

from .conftest import bench_faults, gunicorn

faults = bench_faults()

MESSAGES = 40
# Each message stored and queued, then queued a second time: a retry racing the first send.
QUEUE_MESSAGES = f"""
from django.db import transaction
from polmas.reports.tasks import message_queue, message_send
with transaction.atomic():
    ids = [message_queue(channel='sms', to='+6281200%05d' % i, body='pesan %d' % i, report_id=None).pk
           for i in range({MESSAGES})]
for pk in ids:
    message_send.enqueue(pk)
"""


def _outbox(env: dict[str, str]) -> collections.Counter:
    sent: collections.Counter = collections.Counter()
    for path in (Path(env["POLMAS_VAR_DIR"]) / "outbox").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            to = json.loads(line)["to"]
            if to.startswith("+6281200"):  # ours (routing may tell officers too)
                sent[to] += 1
    return sent


def test_two_workers_route_each_report_once_and_send_each_message_once(pg_primary):
    _faults, _primary, store = pg_primary
    env, db = store.fresh()
    var = Path(env["POLMAS_VAR_DIR"])
    workers = [faults.task_worker(env, var / f"worker-{n}.log", worker_id=f"w{n}") for n in (1, 2)]
    port = faults.free_port()
    server = gunicorn(faults, env, port, var / "gunicorn.log")
    try:
        sent = faults.Sent()
        faults.join(faults.clients(f"http://127.0.0.1:{port}", sent, 4, "two", total=120), 300)
        faults.polmas(env, "shell", "-c", QUEUE_MESSAGES)
        result = faults.verdict(db, sent, route_within=120)
        waiting = ("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                   "WHERE status IN ('READY', 'RUNNING')")
        faults.wait_for(lambda: db.query(waiting)[0][0] == 0, 120, "queue empty", 0.2)
        assert all(w.alive() for w in workers), [w.tail() for w in workers]
    finally:
        server.stop()
        for w in workers:
            w.stop()
    assert (result["lost"], result["duplicated"], result["unrouted"]) == (0, 0, 0), result
    assert result["stored"] == 120
    # Routed once: one "received" event and one submission audit entry per report.
    assert db.query("SELECT COUNT(*), COUNT(DISTINCT report_id) FROM reports_event "
                    "WHERE kind = 'received'")[0] == (120, 120)
    assert db.query("SELECT COUNT(*), COUNT(DISTINCT object_id) FROM access_auditentry "
                    "WHERE action = 'report.submit'")[0] == (120, 120)
    # Sent once: one line per number in the outbox, each message SENT after one attempt.
    sent_to = _outbox(env)
    assert len(sent_to) == MESSAGES and set(sent_to.values()) == {1}, sent_to
    # (The number is encrypted at rest: the template tells no officer, so these are all ours.)
    assert db.query("SELECT status, attempts, COUNT(*) FROM reports_outboundmessage GROUP BY 1, 2") \
        == [("sent", 1, MESSAGES)]
    # Both workers took tasks, and no task row was claimed twice.
    claims = [w if isinstance(w, list) else json.loads(w) for (w,) in
              db.query("SELECT worker_ids FROM django_tasks_database_dbtaskresult")]
    assert all(len(ids) == 1 for ids in claims), claims
    assert {ids[0] for ids in claims} == {"w1", "w2"}


def test_sigterm_lets_the_task_in_hand_finish_and_the_worker_exit_cleanly(pg_primary):
    _faults, _primary, store = pg_primary
    env, db = store.fresh()
    var = Path(env["POLMAS_VAR_DIR"])
    port = faults.free_port()
    server = gunicorn(faults, env, port, var / "gunicorn.log")
    try:
        running: list[str] = []
        for attempt in range(4):  # a task may finish between two looks: try again with more
            faults.join(faults.clients(f"http://127.0.0.1:{port}", faults.Sent(), 4, f"t{attempt}",
                                       total=150 * 2**attempt), 300)
            worker = faults.task_worker(env, var / "worker.log", worker_id=f"term-{attempt}")
            try:
                faults.wait_for(lambda: bool(db.tasks("RUNNING")), 90, "a task RUNNING", 0.01)
                running = [i for i, _w in db.tasks("RUNNING")]
            except TimeoutError:
                running = []
            worker.signal(signal.SIGTERM)
            code = worker.proc.wait(timeout=120)
            if running:
                break
        assert running, "never saw a task RUNNING"
    finally:
        server.stop()
    assert code == 0, worker.tail()
    assert "shutting down gracefully" in worker.tail()
    done = {i for i, _w in db.tasks("SUCCESSFUL")}
    assert set(running) <= done, "the task in hand at SIGTERM should have been finished"
    assert not db.tasks("RUNNING")

    # An idle worker stops at once on SIGTERM, exit 0.
    idle = faults.task_worker(env, var / "idle.log", worker_id="idle")
    faults.wait_for(lambda: "Starting worker" in idle.tail(), 90, "the idle worker started")
    idle.signal(signal.SIGTERM)
    assert idle.proc.wait(timeout=30) == 0, idle.tail()
