"""The gateway backend against a real HTTP server on 127.0.0.1 standing in for Twilio and the
WhatsApp Cloud API: what it sends, how it authenticates, and what a failure means."""

import base64
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from polmas.reports import tasks
from polmas.reports.messaging import GatewayBackend, SendError
from polmas.reports.models import InboundMessage, OutboundMessage, Report
from polmas.reports.services import report_set_status

from .conftest import SENDER, code_in

SID = "AC0f9e8d7c6b5a49382716a5b4c3d2e1f0"
TOKEN = "test-twilio-auth-token-0f9e8d7c"
PHONE_ID = "106540352242922"
BEARER = "EAAtestbearertoken"


class Gateway:
    """A local server recording every request; answers with `status` and `answer`."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 201
        self.answer: bytes = b"{}"
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  the name http.server calls
                length = int(self.headers.get("Content-Length") or 0)
                gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                         "body": self.rfile.read(length)})
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(gateway.answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Gateway":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    with Gateway() as server:
        settings.POLMAS_MESSAGE_BACKEND = "polmas.reports.messaging.GatewayBackend"
        settings.POLMAS_TWILIO_API_URL = server.url
        settings.POLMAS_TWILIO_ACCOUNT_SID = SID
        settings.POLMAS_TWILIO_AUTH_TOKEN = TOKEN
        settings.POLMAS_SMS_FROM = "+6281100001100"
        settings.POLMAS_WHATSAPP_API_URL = server.url + "/v21.0"
        settings.POLMAS_WHATSAPP_PHONE_ID = PHONE_ID
        settings.POLMAS_WHATSAPP_TOKEN = BEARER
        yield server


def test_sms_goes_to_twilios_messages_resource_with_basic_auth(gateway):
    gateway.answer = b'{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}'

    sid = GatewayBackend().send(channel="sms", to=SENDER, body="Laporan Anda #7 sedang ditangani.")

    assert sid == "SM0123456789abcdef0123456789abcdef"
    [request] = gateway.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    basic = base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert request["headers"]["Authorization"] == f"Basic {basic}"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request["body"].decode()) == {
        "To": [SENDER], "From": ["+6281100001100"], "Body": ["Laporan Anda #7 sedang ditangani."]}


def test_whatsapp_goes_to_the_cloud_apis_messages_resource_with_a_bearer_token(gateway):
    gateway.answer = b'{"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT1"}]}'

    wamid = GatewayBackend().send(channel="whatsapp", to=SENDER, body="Laporan Anda #7 selesai ditangani.")

    assert wamid == "wamid.OUT1"
    [request] = gateway.requests
    assert request["path"] == f"/v21.0/{PHONE_ID}/messages"
    assert request["headers"]["Authorization"] == f"Bearer {BEARER}"
    assert json.loads(request["body"]) == {
        "messaging_product": "whatsapp", "to": SENDER.lstrip("+"), "type": "text",
        "text": {"body": "Laporan Anda #7 selesai ditangani."}}


def test_a_server_error_is_a_send_error(gateway):
    gateway.status, gateway.answer = 500, b'{"error": "boom"}'

    with pytest.raises(SendError, match="500"):
        GatewayBackend().send(channel="sms", to=SENDER, body="Tes")
    with pytest.raises(SendError, match="500"):
        GatewayBackend().send(channel="whatsapp", to=SENDER, body="Tes")
    assert len(gateway.requests) == 2


def test_an_unreachable_gateway_is_a_send_error(gateway, settings):
    gateway.server.shutdown()
    gateway.server.server_close()

    with pytest.raises(SendError):
        GatewayBackend().send(channel="sms", to=SENDER, body="Tes")


def test_an_unconfigured_gateway_sends_nothing(gateway, settings):
    settings.POLMAS_WHATSAPP_TOKEN = ""
    settings.POLMAS_SMS_FROM = ""

    with pytest.raises(SendError, match="not configured"):
        GatewayBackend().send(channel="whatsapp", to=SENDER, body="Tes")
    with pytest.raises(SendError, match="not configured"):
        GatewayBackend().send(channel="sms", to=SENDER, body="Tes")
    assert gateway.requests == []


def test_an_accepted_message_with_an_unreadable_answer_is_not_sent_again(gateway):
    gateway.answer = b"<html>ok</html>"

    assert GatewayBackend().send(channel="sms", to=SENDER, body="Tes") == ""


@pytest.mark.django_db
def test_the_task_records_a_gateway_failure_and_later_success(gateway):
    message = OutboundMessage.objects.create(channel="whatsapp", to=SENDER, body="Laporan Anda #7 diterima.")
    gateway.status = 500

    assert tasks.message_send.call(message.pk) == "retry"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "HTTP Error 500: Internal Server Error"

    gateway.status, gateway.answer = 200, b'{"messages": [{"id": "wamid.OUT2"}]}'
    assert tasks.message_send.call(message.pk) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    bodies = [json.loads(r["body"])["text"]["body"] for r in gateway.requests]
    assert bodies == ["Laporan Anda #7 diterima."] * 2


@pytest.mark.django_db
def test_the_gateway_gets_the_tracking_code_the_stored_message_does_not(wa, gateway):
    code = code_in(wa.say("LAPOR curi motor di Les"))
    message = OutboundMessage.objects.get()
    gateway.answer = b'{"messages": [{"id": "wamid.OUT3"}]}'
    assert tasks.message_send.call(message.pk) == "sent"
    [request] = gateway.requests
    assert f"Kode Anda: {code}." in json.loads(request["body"])["text"]["body"]
    message.refresh_from_db()
    assert code not in message.body


# --- WhatsApp's 24-hour customer-service window ------------------------------------------

def _status_update_sent(wa, gateway, *, hours_since_last_message: float,
                        another_number_just_wrote: bool = False) -> dict:
    """A resident reports by WhatsApp; `hours_since_last_message` later the officer resolves
    it; the task sends the update through the gateway: the request the Cloud API received."""
    wa.say("LAPOR curi motor di Les")
    report = Report.objects.get()
    InboundMessage.objects.update(received_at=timezone.now() - dt.timedelta(hours=hours_since_last_message))
    if another_number_just_wrote:
        wa.say("halo", sender="6281298765432")
    report_set_status(actor=User.objects.get(username="bhabin"), report_id=report.pk,
                      status="resolved", summary="Motor sudah\nditemukan.")
    update = OutboundMessage.objects.order_by("-pk").first()
    gateway.answer = b'{"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT9"}]}'
    assert tasks.message_send.call(update.pk) == "sent"
    [request] = gateway.requests
    assert request["path"] == f"/v21.0/{PHONE_ID}/messages"
    assert request["headers"]["Authorization"] == f"Bearer {BEARER}"
    return {"report": report, "body": json.loads(request["body"])}


@pytest.mark.django_db
def test_after_24_hours_a_status_update_goes_out_as_the_approved_template(wa, gateway, settings):
    settings.POLMAS_WHATSAPP_TEMPLATE = "polmas_status_update"
    settings.POLMAS_WHATSAPP_TEMPLATE_LANGUAGE = "id"

    sent = _status_update_sent(wa, gateway, hours_since_last_message=25)

    assert sent["body"] == {
        "messaging_product": "whatsapp", "to": SENDER.lstrip("+"), "type": "template",
        "template": {"name": "polmas_status_update", "language": {"code": "id"}, "components": [
            {"type": "body", "parameters": [
                {"type": "text", "text": f"#{sent['report'].pk}"},
                # No line breaks in a parameter: the Cloud API refuses them.
                {"type": "text", "text": "selesai ditangani. Motor sudah ditemukan"}]}]}}


@pytest.mark.django_db
def test_within_24_hours_a_status_update_is_plain_text(wa, gateway, settings):
    settings.POLMAS_WHATSAPP_TEMPLATE = "polmas_status_update"

    sent = _status_update_sent(wa, gateway, hours_since_last_message=23)

    assert sent["body"] == {
        "messaging_product": "whatsapp", "to": SENDER.lstrip("+"), "type": "text",
        "text": {"body": f"Laporan Anda #{sent['report'].pk} selesai ditangani. Motor sudah\nditemukan."}}


@pytest.mark.django_db
def test_without_a_template_set_an_update_after_24_hours_is_still_text(wa, gateway, settings):
    settings.POLMAS_WHATSAPP_TEMPLATE = ""

    sent = _status_update_sent(wa, gateway, hours_since_last_message=30)

    assert sent["body"]["type"] == "text"


@pytest.mark.django_db
def test_the_window_is_the_senders_own(wa, gateway, settings):
    """Another number writing lately does not open the window for this one."""
    settings.POLMAS_WHATSAPP_TEMPLATE = "polmas_status_update"

    sent = _status_update_sent(wa, gateway, hours_since_last_message=48, another_number_just_wrote=True)

    assert InboundMessage.objects.count() == 2
    assert sent["body"]["type"] == "template"
