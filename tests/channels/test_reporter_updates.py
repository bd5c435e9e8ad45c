"""Status changes reach the reporter on the channel they wrote from: queued by the service,
sent by the task through the configured backend, retried on failure."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User

from polmas.reports import tasks
from polmas.reports.messaging import SendError
from polmas.reports.models import OutboundMessage, Report
from polmas.reports.routing import route_pending
from polmas.reports.services import report_set_status

from .conftest import SENDER, code_in

pytestmark = pytest.mark.django_db
BHABIN = "bhabin"  # the Bhabinkamtibmas of Les


def set_status(report: Report, status: str, summary: str = "") -> None:
    report_set_status(actor=User.objects.get(username=BHABIN), report_id=report.pk, status=status,
                      summary=summary)


def outbox_lines(settings) -> list[dict]:
    return [json.loads(line) for path in sorted(settings.POLMAS_OUTBOX_DIR.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_status_change_goes_to_the_reporter_on_their_channel(channel, sms, wa, settings,
                                                              django_capture_on_commit_callbacks):
    (sms if channel == "sms" else wa).say("LAPOR curi motor di Les")
    route_pending()  # the officer changes what reached the inbox
    report = Report.objects.get()
    before = set(OutboundMessage.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        set_status(report, "in_progress")

    # The send is queued after commit, not done in the request (beside it: the rollups' recount).
    assert [cb.__qualname__ for cb in callbacks if "message_queue" in cb.__qualname__] == [
        "message_queue.<locals>.<lambda>"]
    update = OutboundMessage.objects.exclude(pk__in=before).get()
    assert (update.channel, update.to, update.report, update.status) == (channel, SENDER, report, "pending")
    assert update.body == f"Laporan Anda #{report.pk} sedang ditangani."

    assert tasks.message_send.call(update.pk) == "sent"
    update.refresh_from_db()
    assert (update.status, update.attempts, update.last_error) == ("sent", 1, "")
    assert update.sent_at is not None
    # A WhatsApp update also carries its facts, for the template outside the 24-hour window.
    params = {"params": [f"#{report.pk}", "sedang ditangani"]} if channel == "whatsapp" else {}
    assert outbox_lines(settings)[-1] | {"at": None} == {
        "at": None, "channel": channel, "to": SENDER, "body": f"Laporan Anda #{report.pk} sedang ditangani.",
        **params}
    assert tasks.message_send.call(update.pk) == "gone"  # never sent twice
    assert len(outbox_lines(settings)) == 1


def test_the_resolution_summary_is_sent_along(wa):
    wa.say("LAPOR curi motor di Les")
    report = Report.objects.get()
    set_status(report, "resolved", summary="Motor sudah ditemukan.")

    assert OutboundMessage.objects.order_by("-pk").first().body == (
        f"Laporan Anda #{report.pk} selesai ditangani. Motor sudah ditemukan.")


def test_an_anonymous_reporter_gets_no_updates(sms):
    sms.say("LAPOR ANONIM curi motor di Les")
    set_status(Report.objects.get(), "in_progress")

    assert OutboundMessage.objects.count() == 0


class Failing:
    def __init__(self) -> None:
        self.calls = 0

    def send(self, *, channel: str, to: str, body: str, params: list[str] | None = None) -> str:
        self.calls += 1
        raise SendError("HTTP Error 503: Service Unavailable")


def test_a_failed_send_stays_pending_and_is_retried_later(monkeypatch, django_capture_on_commit_callbacks):
    failing = Failing()
    monkeypatch.setattr(tasks, "backend", lambda: failing)
    retried: list[tuple[int, object]] = []
    monkeypatch.setattr(tasks, "_later", lambda pk, delay: retried.append((pk, delay)))
    message = OutboundMessage.objects.create(channel="sms", to=SENDER, body="Tes")

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.message_send.call(message.pk) == "retry"

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "HTTP Error 503: Service Unavailable"
    assert [pk for pk, _delay in retried] == [message.pk]
    assert retried[0][1].total_seconds() == 120  # 2 ** attempts minutes


def test_after_max_attempts_the_message_is_failed(monkeypatch):
    failing = Failing()
    monkeypatch.setattr(tasks, "backend", lambda: failing)
    message = OutboundMessage.objects.create(channel="whatsapp", to=SENDER, body="Tes",
                                             attempts=tasks.MAX_ATTEMPTS - 1)

    assert tasks.message_send.call(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", tasks.MAX_ATTEMPTS)
    assert tasks.message_send.call(message.pk) == "gone"
    assert failing.calls == 1


def test_a_retry_is_enqueued_to_run_later(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(tasks, "backend", Failing)
    message = OutboundMessage.objects.create(channel="sms", to=SENDER, body="Tes")
    tasks.message_send.call(message.pk)
    tasks._later(message.pk, dt.timedelta(minutes=2))

    # Only this test's task: other apps' tasks may sit in the queue too.
    queued = DBTaskResult.objects.get(task_path="polmas.reports.tasks.message_send")
    assert queued.args_kwargs["args"] == [message.pk]
    assert queued.run_after > queued.enqueued_at


def test_the_outbox_file_never_holds_a_tracking_code(wa, settings):
    code = code_in(wa.say("LAPOR curi motor di Les"))
    acknowledgement = OutboundMessage.objects.get()
    assert tasks.message_send.call(acknowledgement.pk) == "sent"
    [line] = outbox_lines(settings)
    assert code not in json.dumps(line) and line["body"].startswith("Laporan diterima. Kode Anda: [[kode]]")
