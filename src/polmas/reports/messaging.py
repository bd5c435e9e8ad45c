"""Outbound SMS / WhatsApp / e-mail through pluggable backends, like Django's e-mail backends.

POLMAS_MESSAGE_BACKEND names the class: the console backend prints, the file backend appends
JSON lines under var/outbox/ (the defaults: nothing leaves the machine), the Twilio and
WhatsApp Cloud backends call the real gateways with credentials from settings.

WhatsApp lets a business answer freely only within 24 hours of the person's last message
(the customer-service window); after that only approved template messages. A message that
carries template parameters (a status update: the report number and its status) goes out as
the template POLMAS_WHATSAPP_TEMPLATE when the last message from that number came longer ago.

Tracking codes stay out of stored message bodies and logs. Only the reply that acknowledges a
new report carries the code: its stored body (OutboundMessage.body, InboundMessage.reply)
holds models.CODE_SLOT, the code sits encrypted beside it (`secret`), and it is filled in only
for the gateway, at send time (tasks.message_send). Later status messages never carry it:
they name the report by its number ("Laporan Anda #123 ..."), which opens nothing. The console
and file backends stand in for a gateway on a developer's machine, and write what they are
given with any tracking code masked (redact_codes): var/outbox/ is a log, not a phone.
"""

import abc
import base64
import datetime as dt
import json
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string


class SendError(Exception):
    """The gateway refused or could not be reached; the task retries."""


WINDOW = dt.timedelta(hours=24)  # WhatsApp's customer-service window


class BaseBackend(abc.ABC):
    @abc.abstractmethod
    def send(self, *, channel: str, to: str, body: str, params: list[str] | None = None) -> str:
        """Deliver one message; return the gateway's id. Raise SendError to retry. `params`:
        the facts of `body` as template parameters (report number, status), if it has any."""


# A tracking code as tracking.py writes it: three groups of four Crockford base32 characters.
_CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


def redact_codes(text: str) -> str:
    """`text` with every tracking code replaced by models.CODE_SLOT."""
    from polmas.reports.models import CODE_SLOT

    return _CODE.sub(CODE_SLOT, text)


class ConsoleBackend(BaseBackend):
    def send(self, *, channel: str, to: str, body: str, params: list[str] | None = None) -> str:
        sys.stdout.write(f"[{channel} -> {to}] {redact_codes(body)}\n")
        return "console"


class FileBackend(BaseBackend):
    def send(self, *, channel: str, to: str, body: str, params: list[str] | None = None) -> str:
        outbox = Path(settings.POLMAS_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "channel": channel, "to": to,
                           "body": redact_codes(body), **({"params": params} if params else {})},
                          ensure_ascii=False)
        with (outbox / f"{timezone.now():%Y-%m-%d}.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return "file"


def _post(url: str, data: bytes, headers: dict[str, str]) -> dict:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            raw = response.read()
    except (OSError, ValueError) as exc:  # HTTPError (4xx, 5xx) and URLError are OSErrors
        raise SendError(str(exc)[:300]) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return {}  # accepted, with an answer we cannot read: sending again would duplicate it
    return answer if isinstance(answer, dict) else {}


def whatsapp_window_open(number: str) -> bool:
    """Whether `number` wrote to us on WhatsApp within the last 24 hours."""
    from polmas.reports.models import InboundMessage
    from polmas.reports.tracking import value_hash

    return InboundMessage.objects.filter(
        channel="whatsapp", sender_hash=value_hash("phone", number),
        received_at__gte=timezone.now() - WINDOW).exists()


def whatsapp_template(params: list[str]) -> dict | None:
    """The Cloud API's template object for POLMAS_WHATSAPP_TEMPLATE, or None if none is set.
    Parameters may hold no line breaks, tabs or long runs of spaces, and may not be empty."""
    name = settings.POLMAS_WHATSAPP_TEMPLATE
    if not name:
        return None
    texts = [re.sub(r"\s+", " ", p).strip() or "-" for p in params]
    return {"name": name, "language": {"code": settings.POLMAS_WHATSAPP_TEMPLATE_LANGUAGE},
            "components": [{"type": "body",
                            "parameters": [{"type": "text", "text": t} for t in texts]}]}


class GatewayBackend(BaseBackend):
    """Twilio for SMS (REST, form post) and the WhatsApp Cloud API; e-mail through Django."""

    def send(self, *, channel: str, to: str, body: str, params: list[str] | None = None) -> str:
        if channel == "email":
            send_mail("Polmas", body, None, [to])
            return "email"
        if channel == "whatsapp":
            if not (settings.POLMAS_WHATSAPP_PHONE_ID and settings.POLMAS_WHATSAPP_TOKEN):
                raise SendError("WhatsApp sending is not configured (POLMAS_WHATSAPP_PHONE_ID, _TOKEN).")
            url = f"{settings.POLMAS_WHATSAPP_API_URL}/{settings.POLMAS_WHATSAPP_PHONE_ID}/messages"
            payload: dict = {"messaging_product": "whatsapp", "to": to.lstrip("+"), "type": "text",
                             "text": {"body": body}}
            # Outside the customer-service window only an approved template gets through.
            template = whatsapp_template(params) if params and not whatsapp_window_open(to) else None
            if template is not None:
                payload = {"messaging_product": "whatsapp", "to": to.lstrip("+"), "type": "template",
                           "template": template}
            answer = _post(url, json.dumps(payload).encode(), {
                "Authorization": f"Bearer {settings.POLMAS_WHATSAPP_TOKEN}",
                "Content-Type": "application/json"})
            return str((answer.get("messages") or [{}])[0].get("id", ""))
        sid, token = settings.POLMAS_TWILIO_ACCOUNT_SID, settings.POLMAS_TWILIO_AUTH_TOKEN
        if not (sid and token and settings.POLMAS_SMS_FROM):
            raise SendError("SMS sending is not configured (POLMAS_TWILIO_ACCOUNT_SID, _AUTH_TOKEN, "
                            "POLMAS_SMS_FROM).")
        url = f"{settings.POLMAS_TWILIO_API_URL}/2010-04-01/Accounts/{sid}/Messages.json"
        auth = base64.b64encode(f"{sid}:{token}".encode()).decode()
        data = urllib.parse.urlencode({"To": to, "From": settings.POLMAS_SMS_FROM, "Body": body})
        answer = _post(url, data.encode(), {"Authorization": f"Basic {auth}",
                                           "Content-Type": "application/x-www-form-urlencoded"})
        return str(answer.get("sid", ""))


def backend() -> BaseBackend:
    return import_string(settings.POLMAS_MESSAGE_BACKEND)()
