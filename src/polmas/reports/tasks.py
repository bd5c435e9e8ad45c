"""Background work for reports: routing what intake stored, sending messages after commit,
with retries."""

import datetime as dt
import threading
import time

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from polmas.core.outbox import enqueue_with_transaction
from polmas.reports.messaging import SendError, backend
from polmas.reports.models import OutboundMessage
from polmas.reports.routing import route_pending

MAX_ATTEMPTS = 5
ROUTE_EVERY = 1.0  # seconds: a process queues the routing task at most this often
FOLLOW_UP = dt.timedelta(seconds=2)  # a run that routed something looks again this much later
ROUTE_FOR = 30  # seconds a run routes before it hands over to the next one

_queued = threading.local()


@task()
def reports_route_task() -> int:
    """Route the reports waiting for it (routing.route_pending). A run that routed any looks
    again FOLLOW_UP later, for reports whose intake skipped queueing a run (route_soon) and
    committed after this run had looked. Returns how many it routed."""
    routed = route_pending(deadline=time.monotonic() + ROUTE_FOR)
    if routed:
        enqueue_with_transaction(reports_route_task, run_after=timezone.now() + FOLLOW_UP)
    return routed


def route_due() -> bool:
    """Would route_soon() queue a routing run now? (Not within ROUTE_EVERY of this thread's
    last committed one.)"""
    return time.monotonic() - getattr(_queued, "at", float("-inf")) >= ROUTE_EVERY


def route_soon() -> None:
    """Have the reports stored by the current transaction routed soon after it commits.

    Queues a routing run inside the transaction (the outbox, core.outbox), at most once per
    ROUTE_EVERY seconds per thread: under load one run routes many reports, and intake writes
    one task row a second rather than one per report. A report whose intake skipped queueing
    came less than ROUTE_EVERY after a queued run; it is routed by that run, or else by the
    follow-up (FOLLOW_UP, longer than ROUTE_EVERY) of whichever run routed that run's report
    (reports_route_task). `polmas reports_route` from cron routes anything left behind."""
    if not route_due():
        return
    now = time.monotonic()

    def queued() -> None:  # only a committed run counts: a rolled-back one queued nothing
        _queued.at = now

    enqueue_with_transaction(reports_route_task)
    transaction.on_commit(queued)


@task()
def message_send(message_id: int) -> str:
    """Send one queued message; on failure try again later, up to MAX_ATTEMPTS times."""
    message = OutboundMessage.objects.filter(pk=message_id, status=OutboundMessage.Status.PENDING).first()
    if message is None:
        return "gone"  # sent by an earlier run, or given up
    # Claim the attempt with a conditional update instead of holding a row lock while the
    # gateway answers: on SQLite that lock would be the whole database's, for seconds.
    claimed = OutboundMessage.objects.filter(
        pk=message_id, status=OutboundMessage.Status.PENDING, attempts=message.attempts,
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return "busy"  # another run took this attempt
    attempts = message.attempts + 1
    try:
        backend().send(channel=message.channel, to=message.to, body=message.text(),
                       params=message.params or None)
    except SendError as exc:
        status = OutboundMessage.Status.FAILED if attempts >= MAX_ATTEMPTS else OutboundMessage.Status.PENDING
        OutboundMessage.objects.filter(pk=message_id).update(last_error=str(exc)[:300], status=status)
        if status == OutboundMessage.Status.FAILED:
            return "failed"
        delay = dt.timedelta(minutes=2 ** attempts)
        transaction.on_commit(lambda: _later(message_id, delay))
        return "retry"
    OutboundMessage.objects.filter(pk=message_id).update(
        status=OutboundMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _later(message_id: int, delay: dt.timedelta) -> None:
    """Try again after `delay` (at once on backends that cannot defer)."""
    enqueue_with_transaction(message_send, message_id, run_after=timezone.now() + delay)


def message_queue(*, channel: str, to: str, body: str, report_id: int | None,
                  params: list[str] | None = None, secret: str = "") -> OutboundMessage:
    """Store a message and send it from a task once the surrounding transaction commits.
    `params`: the facts of `body` for a WhatsApp template (see messaging.py); `secret`: the
    tracking code that models.CODE_SLOT in `body` stands for, stored encrypted."""
    message = OutboundMessage.objects.create(channel=channel, to=to, body=body, report_id=report_id,
                                             params=params or [], secret=secret)
    transaction.on_commit(lambda: message_send.enqueue(message.pk))
    return message
