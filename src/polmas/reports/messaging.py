"""Outbound SMS / WhatsApp / e-mail through pluggable backends, like Django's e-mail backends.

POLMAS_MESSAGE_BACKEND names the class: the console backend prints, the file backend appends
JSON lines under var/outbox/ (the defaults: nothing leaves the machine), the Twilio and
WhatsApp Cloud backends call the real gateways with credentials from settings.
"""

import abc
import base64
import json
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


class BaseBackend(abc.ABC):
    @abc.abstractmethod
    def send(self, *, channel: str, to: str, body: str) -> str:
        """Deliver one message; return the gateway's id. Raise SendError to retry."""


class ConsoleBackend(BaseBackend):
    def send(self, *, channel: str, to: str, body: str) -> str:
        sys.stdout.write(f"[{channel} -> {to}] {body}\n")
        return "console"


class FileBackend(BaseBackend):
    def send(self, *, channel: str, to: str, body: str) -> str:
        outbox = Path(settings.POLMAS_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "channel": channel, "to": to,
                           "body": body}, ensure_ascii=False)
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


class GatewayBackend(BaseBackend):
    """Twilio for SMS (REST, form post) and the WhatsApp Cloud API; e-mail through Django."""

    def send(self, *, channel: str, to: str, body: str) -> str:
        if channel == "email":
            send_mail("Polmas", body, None, [to])
            return "email"
        if channel == "whatsapp":
            if not (settings.POLMAS_WHATSAPP_PHONE_ID and settings.POLMAS_WHATSAPP_TOKEN):
                raise SendError("WhatsApp sending is not configured (POLMAS_WHATSAPP_PHONE_ID, _TOKEN).")
            url = f"{settings.POLMAS_WHATSAPP_API_URL}/{settings.POLMAS_WHATSAPP_PHONE_ID}/messages"
            payload = {"messaging_product": "whatsapp", "to": to.lstrip("+"), "type": "text",
                       "text": {"body": body}}
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


def to_e164(phone: str) -> str:
    """08123... -> +628123...; +62... unchanged."""
    return "+62" + phone[1:] if phone.startswith("0") else phone
