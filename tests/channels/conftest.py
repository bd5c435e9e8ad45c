"""SMS and WhatsApp webhooks driven with recorded provider payloads, signed for real."""

import base64
import hashlib
import hmac
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from django.test import Client

from polmas.reports.models import OutboundMessage

PAYLOADS = Path(__file__).parent / "payloads"
TWILIO_TOKEN = "test-twilio-auth-token-0f9e8d7c"
ACCOUNT = "AC0f9e8d7c6b5a49382716a5b4c3d2e1f0"
APP_SECRET = "test-meta-app-secret-5a6b7c8d"
VERIFY_TOKEN = "test-verify-token-polmas"
SMS_PATH = "/hooks/sms/twilio/"
WA_PATH = "/hooks/whatsapp/"
SENDER = "+6281234567890"
LES = "51.08.09.2007"


@pytest.fixture(autouse=True)
def gateways(settings, tmp_path):
    settings.POLMAS_TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.POLMAS_TWILIO_ACCOUNT_SID = ACCOUNT
    settings.POLMAS_WHATSAPP_APP_SECRET = APP_SECRET
    settings.POLMAS_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.POLMAS_MESSAGE_BACKEND = "polmas.reports.messaging.FileBackend"
    settings.POLMAS_OUTBOX_DIR = tmp_path / "outbox"
    return settings


def twilio_sign(url: str, fields: list[tuple[str, str]], token: str = TWILIO_TOKEN) -> str:
    """Twilio's algorithm, written out apart from the app's: URL, then name+value sorted."""
    data = url + "".join(name + value for name, value in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def meta_sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def recorded_form(name: str = "twilio_sms.form") -> list[tuple[str, str]]:
    return parse_qsl((PAYLOADS / name).read_text(), keep_blank_values=True)


def recorded_json(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text())


def twiml_text(response) -> str:
    """The <Message> of a TwiML answer ("" for an empty <Response/>)."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314  our own answer, not outside input
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text or "" if messages else ""


class Sms:
    """Posts the recorded Twilio form with a new Body, MessageSid and From, signed."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.count = 0

    def post(self, body: str, *, sender: str = SENDER, sid: str | None = None, url: str | None = None,
             signed_url: str | None = None, tamper: dict[str, str] | None = None, **headers: str):
        self.count += 1
        sid = sid or f"SM{self.count:032x}"
        fields = dict(recorded_form())
        fields.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=sender)
        items = list(fields.items())
        signature = twilio_sign(signed_url or f"http://testserver{url or SMS_PATH}", items)
        if tamper:
            fields.update(tamper)
            items = list(fields.items())
        return self.client.post(url or SMS_PATH, urlencode(items),
                                content_type="application/x-www-form-urlencoded",
                                headers={"X-Twilio-Signature": signature, **headers})

    def say(self, body: str, **kwargs: str) -> str:
        return twiml_text(self.post(body, **kwargs))


@pytest.fixture
def sms(client: Client) -> Sms:
    return Sms(client)


class WhatsApp:
    """Posts the recorded Cloud API deliveries with a new text or location, signed."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.count = 0

    def payload(self, *, text: str | None = None, location: tuple[float, float] | None = None,
                sender: str = SENDER.lstrip("+"), wamid: str | None = None, name: str = "") -> dict:
        self.count += 1
        name = name or ("whatsapp_location.json" if location else "whatsapp_text.json")
        payload = recorded_json(name)
        message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
        message["from"] = sender
        message["id"] = wamid or f"wamid.TEST{self.count:08d}"
        if text is not None:
            message["text"]["body"] = text
        if location is not None:
            message["location"].update(latitude=location[0], longitude=location[1])
        return payload

    def post_raw(self, body: bytes, signature: str | None = None):
        return self.client.post(WA_PATH, body, content_type="application/json",
                                headers={"X-Hub-Signature-256": meta_sign(body) if signature is None
                                         else signature})

    def post(self, payload: dict):
        return self.post_raw(json.dumps(payload).encode())

    def say(self, text: str | None = None, **kwargs) -> str:
        """The reply queued for the sender, after sending `text` (or a location)."""
        before = OutboundMessage.objects.count()
        response = self.post(self.payload(text=text, **kwargs))
        assert response.status_code == 200, response.content
        queued = OutboundMessage.objects.order_by("-pk")
        assert queued.count() == before + 1
        message = queued.first()
        assert message.channel == "whatsapp"
        return message.text()  # as sent: the stored body holds no tracking code


@pytest.fixture
def wa(client: Client) -> WhatsApp:
    return WhatsApp(client)


def stored() -> dict[str, int]:
    """How many rows the intake tables hold: compared before and after a refused delivery."""
    from polmas.reports.models import Conversation, InboundMessage, Report

    return {"reports": Report.objects.count(), "inbound": InboundMessage.objects.count(),
            "conversations": Conversation.objects.count(), "outbound": OutboundMessage.objects.count()}


def code_in(reply: str) -> str:
    """The tracking code a reply carries."""
    import re

    match = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", reply)
    assert match, reply
    return match.group(1)


def stored_columns(table: str, *columns: str) -> str:
    """The columns as the database holds them (encrypted ones still encrypted)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608 (names from the test)
        return str(cursor.fetchall())
