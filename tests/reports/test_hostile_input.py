"""Hostile bytes on every inbound channel (issue 14, hole 7): the web form, POST
/api/v1/reports, Open311, the Twilio SMS webhook and the WhatsApp webhook each answer 4xx or
accept, never 500; a refusal stores nothing and an acceptance stores only text PostgreSQL
can hold. Run on SQLite and on PostgreSQL (NUL in text fails only there).

The bodies are written as raw bytes, as an attacker sends them: a JSON escape such as
"\\ud800" in a JSON body, percent-encoded bytes in a form body. Webhook bodies are signed
for real, so the hostile text reaches the code behind the signature check.
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.http import QueryDict
from django.test import Client

from channels.conftest import meta_sign
from open311.tools import new_key
from polmas.reports.models import Conversation, InboundMessage, OutboundMessage, Report

pytestmark = pytest.mark.django_db

TWILIO_TOKEN = "hostile-test-twilio-token"
APP_SECRET = "hostile-test-meta-secret"
LES = "51.08.09.2007"
SENDER = "6281234567890"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _gateways(settings, tmp_path):
    settings.POLMAS_TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.POLMAS_TWILIO_ACCOUNT_SID = ""
    settings.POLMAS_WHATSAPP_APP_SECRET = APP_SECRET
    settings.POLMAS_MESSAGE_BACKEND = "polmas.reports.messaging.FileBackend"
    settings.POLMAS_OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class Hostile:
    """One hostile value: as it is written inside a JSON string, and inside a form value."""

    json: bytes
    form: bytes
    charset: str = ""  # a form sent as multipart/form-data in this charset


HOSTILE = {
    "lone high surrogate": Hostile(rb"\ud800", b"%ED%A0%80"),
    "lone low surrogate": Hostile(rb"x\udfffx", b"x%ED%BF%BFx"),
    "reversed surrogate pair": Hostile(rb"\ude00\ud83d", b"%ED%B8%80%ED%A0%BD"),
    "NUL": Hostile(rb"a\u0000b", b"a%00b"),
    "raw invalid UTF-8": Hostile(b"\xff\xfe", b"\xff\xfe"),
    "percent-encoded invalid UTF-8": Hostile(b"\xc3\x28", b"%FF%FE%C3%28"),
    "overlong UTF-8 NUL": Hostile(b"\xc0\x80", b"%C0%80"),
    "escape and bell": Hostile(rb"\u001b[2J\u0007", b"%1B%5B2J%07"),
    "overlong string": Hostile(b"a" * 100_000, b"a" * 100_000),
    # Django decodes multipart fields in the charset the request names: UTF-7 and
    # unicode_escape turn plain ASCII into unpaired surrogates.
    "UTF-7 surrogate in multipart": Hostile(rb"\ud800", b"+2AA-", charset="utf-7"),
    "unicode_escape surrogate in multipart": Hostile(rb"\udfff", rb"x\udfffx", charset="unicode_escape"),
}


def _put(values: dict[str, str], field: str, hostile: bytes) -> bytes:
    """A urlencoded body of `values`, `hostile` appended raw to `field`'s encoded value."""
    parts: list[bytes] = []
    for name, value in values.items():
        encoded = quote(value, safe="").encode()
        parts.append(quote(name, safe="[]").encode() + b"=" + encoded + (hostile if name == field else b""))
    return b"&".join(parts)


def _multipart(values: dict[str, str], field: str, hostile: bytes) -> bytes:
    """A multipart/form-data body (boundary "zz") of `values`, `hostile` appended to `field`."""
    parts = [b'--zz\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
             + value.encode() + (hostile if name == field else b"") + b"\r\n"
             for name, value in values.items()]
    return b"".join(parts) + b"--zz--\r\n"


def _form_post(client: Client, path: str, values: dict[str, str], field: str, hostile: Hostile):
    if hostile.charset:
        return client.generic("POST", path, _multipart(values, field, hostile.form),
                              content_type=f"multipart/form-data; boundary=zz; charset={hostile.charset}")
    return client.generic("POST", path, _put(values, field, hostile.form), content_type=FORM)


def _json_put(values: dict[str, object], field: str, hostile: bytes) -> bytes:
    """A JSON body of `values`, `hostile` written raw at the end of the string `field`."""
    marker = "@@HOSTILE@@"
    body = json.dumps({k: (f"{v}{marker}" if k == field else v) for k, v in values.items()})
    return body.encode().replace(marker.encode(), hostile)


# --- the channels ------------------------------------------------------------------------

def web_form(client: Client, field: str, hostile: Hostile):
    values = {"category": "theft", "description": "Sepeda motor hilang dari depan warung.",
              "place": "Les", "anonymous": "0", "name": "Wayan", "phone": "081234567890",
              "email": "wayan@example.org", "reply_channel": "sms", "client_uuid": str(uuid.uuid4())}
    return _form_post(client, "/lapor/", values, field, hostile)


def api(client: Client, field: str, hostile: Hostile):
    values = {"category": "theft", "description": "Sepeda motor dicuri di depan rumah.",
              "village": LES, "anonymous": False, "name": "Wayan", "phone": "081234567890",
              "email": "wayan@example.org", "reply_channel": "sms"}
    return client.post("/api/v1/reports", _json_put(values, field, hostile.json),
                       content_type="application/json")


def open311(client: Client, field: str, hostile: Hostile):
    values = {"api_key": new_key(), "service_code": "theft", "address_id": LES,
              "description": "Motor dicuri di depan pura desa.", "first_name": "Wayan",
              "last_name": "Sudarma", "phone": "081234567890", "email": "wayan@example.org"}
    return _form_post(client, "/open311/v2/requests.json", values, field, hostile)


def twilio_sign(url: str, body: bytes) -> str:
    """Twilio's algorithm over the parameters as the server reads them from `body`."""
    params = QueryDict(body)
    data = url + "".join(name + value for name in sorted(params) for value in sorted(params.getlist(name)))
    return base64.b64encode(hmac.new(TWILIO_TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


def sms(client: Client, field: str, hostile: Hostile):
    sid = "SM" + uuid.uuid4().hex
    values = {"MessageSid": sid, "SmsSid": sid, "From": "+" + SENDER, "To": "+6281100001100",
              "Body": "LAPOR curi motor di Les ", "NumMedia": "0"}
    body = _multipart(values, field, hostile.form) if hostile.charset else _put(values, field, hostile.form)
    signature = twilio_sign("http://testserver/hooks/sms/twilio/", body)
    kind = f"multipart/form-data; boundary=zz; charset={hostile.charset}" if hostile.charset else FORM
    return client.generic("POST", "/hooks/sms/twilio/", body, content_type=kind,
                          headers={"X-Twilio-Signature": signature})


def whatsapp_body(field: str, hostile: bytes, wamid: str) -> bytes:
    marker = "@@HOSTILE@@"
    text = "LAPOR curi motor di Les " + (marker if field == "text" else "")
    profile = "Wayan" + (marker if field == "profile" else "")
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "contacts": [{"profile": {"name": profile}, "wa_id": SENDER}],
            "messages": [{"from": SENDER, "id": wamid, "timestamp": "1764300000",
                          "type": "text", "text": {"body": text}}]}}]}]}
    return json.dumps(payload).encode().replace(marker.encode(), hostile)


def whatsapp(client: Client, field: str, hostile: Hostile, wamid: str = ""):
    body = whatsapp_body(field, hostile.json, wamid or "wamid.T" + uuid.uuid4().hex)
    return client.post("/hooks/whatsapp/", body, content_type="application/json",
                       headers={"X-Hub-Signature-256": meta_sign(body, APP_SECRET)})


Send = Callable[[Client, str, Hostile], object]
CHANNELS: dict[str, tuple[Send, list[str]]] = {
    "form": (web_form, ["description", "name", "place", "category", "phone", "email"]),
    "api": (api, ["description", "name", "village", "category", "phone", "email"]),
    "open311": (open311, ["description", "first_name", "address_id", "service_code", "phone", "email"]),
    "sms": (sms, ["Body"]),
    "whatsapp": (whatsapp, ["text", "profile"]),
}
CASES = [pytest.param(channel, field, name, id=f"{channel}-{field}-{name}")
         for channel, (_send, fields) in CHANNELS.items() for field in fields for name in HOSTILE]


def stored() -> dict[str, int]:
    return {"reports": Report.objects.count(), "inbound": InboundMessage.objects.count(),
            "conversations": Conversation.objects.count(), "outbound": OutboundMessage.objects.count()}


def _storable(text: str) -> bool:
    """Text PostgreSQL and SQLite hold as sent: valid UTF-8, without NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _names(channel: str, response, field: str) -> bool:
    """Whether a refusal names the field at fault."""
    if channel == "api":
        # Bytes that are not UTF-8 make the whole body something other than JSON.
        return any(e["field"] in (field, "body") for e in response.json()["errors"])
    if channel == "open311":
        return any(e["description"].startswith(f"{field}:") for e in response.json())
    if channel == "form":
        shown = {"place": "place"}.get(field, field)
        return shown in response.context["form"].errors
    return True  # a webhook answers its provider, not a person


@pytest.mark.parametrize(("channel", "field", "name"), CASES)
def test_hostile_text_is_refused_or_stored_clean(client: Client, channel: str, field: str, name: str):
    send, _fields = CHANNELS[channel]
    before = stored()
    last = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = send(client, field, HOSTILE[name])

    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert stored() == before
        assert _names(channel, response, field), response.content[:500]
        return
    for report in Report.objects.filter(pk__gt=last):
        report.refresh_from_db()  # read back from the database, decrypted
        for text in (report.description, report.reporter_name, report.reporter_email):
            assert _storable(text), repr(text[:40])
    for inbound in InboundMessage.objects.all():
        assert _storable(inbound.reply)
    for conversation in Conversation.objects.all():
        assert _storable(json.dumps(conversation.state, ensure_ascii=False))


@pytest.mark.parametrize("name", ["lone high surrogate", "reversed surrogate pair"])
def test_a_whatsapp_delivery_with_a_lone_surrogate_is_taken_once_with_a_replacement(client: Client,
                                                                                    name: str):
    """Refusing it would make the Cloud API resend it for days (a poison message): it is
    accepted, the unpaired surrogates stored as U+FFFD, and a resend answered as received."""
    wamid = "wamid.POISON" + uuid.uuid4().hex
    first = whatsapp(client, "text", HOSTILE[name], wamid=wamid)
    again = whatsapp(client, "text", HOSTILE[name], wamid=wamid)

    assert (first.status_code, again.status_code) == (200, 200)
    report = Report.objects.get(channel="whatsapp")
    assert report.description.startswith("curi motor di Les ")
    assert "\ufffd" in report.description and _storable(report.description)
    assert InboundMessage.objects.filter(provider_id=wamid).count() == 1


@pytest.mark.parametrize(("field", "name", "reason"), [
    ("description", "lone high surrogate", "The text contains an invalid character (an unpaired surrogate)."),
    ("name", "reversed surrogate pair", "The text contains an invalid character (an unpaired surrogate)."),
    ("description", "NUL", "The text contains control characters."),
    ("description", "escape and bell", "The text contains control characters."),
])
def test_the_api_names_the_field_and_the_reason(client: Client, field: str, name: str, reason: str):
    values = {"category": "theft", "description": "Motor dicuri.", "village": LES, "anonymous": False,
              "name": "Wayan", "phone": "081234567890"}
    response = client.post("/api/v1/reports", _json_put(values, field, HOSTILE[name].json),
                           content_type="application/json", headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "reason": reason}]
    assert not Report.objects.exists()


WRONG_TYPES = [
    ("form", "application/json", b'{"category": "theft"}'),
    ("form", "text/plain", b"category=theft&description=x&place=Les"),
    ("form", "multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data\r\n\r\nx"),
    ("form", "multipart/form-data", b"no boundary at all"),
    ("form", "application/x-www-form-urlencoded; charset=no-such-charset", b"category=theft"),
    ("api", "text/plain", b'{"category": "theft", "description": "x", "village": "51.08.09.2007"}'),
    ("api", "application/x-www-form-urlencoded", b"category=theft&description=x"),
    ("api", "multipart/form-data; boundary=zz", b"--zz--"),
    ("api", "application/json; charset=utf-16", b'{"category": "theft"}'),
    ("api", "application/json", b"\xef\xbb\xbf\xff{"),
    ("open311", "application/json", b'{"service_code": "theft"}'),
    ("open311", "multipart/form-data; boundary=zz", b"--zz\r\ngarbage"),
    ("sms", "application/json", b'{"Body": "LAPOR curi motor di Les"}'),
    ("sms", "multipart/form-data; boundary=zz", b"--zz\r\ngarbage"),
    ("whatsapp", "application/x-www-form-urlencoded", b"object=whatsapp_business_account"),
    ("whatsapp", "text/plain", b"\xff\xfe\x00{"),
]
PATHS = {"form": "/lapor/", "api": "/api/v1/reports", "open311": "/open311/v2/requests.json",
         "sms": "/hooks/sms/twilio/", "whatsapp": "/hooks/whatsapp/"}


@pytest.mark.parametrize(("channel", "content_type", "body"), WRONG_TYPES,
                         ids=[f"{c}-{t.split(';')[0]}-{i}" for i, (c, t, _b) in enumerate(WRONG_TYPES)])
def test_a_wrong_content_type_is_refused_and_stores_nothing(client: Client, channel: str,
                                                            content_type: str, body: bytes):
    before = stored()
    headers = {}
    if channel == "whatsapp":
        headers["X-Hub-Signature-256"] = meta_sign(body, APP_SECRET)
    if channel == "sms":
        headers["X-Twilio-Signature"] = twilio_sign("http://testserver/hooks/sms/twilio/", b"")

    response = client.generic("POST", PATHS[channel], body, content_type=content_type, headers=headers)

    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert stored() == before


@pytest.mark.parametrize("name", [b"attribute%5B%00%5D", b"attribute%5B%1B%5D"])
def test_open311_answers_a_hostile_parameter_name_in_well_formed_xml(client: Client, name: bytes):
    body = (b"api_key=" + new_key().encode() + b"&service_code=theft&address_id=" + LES.encode()
            + b"&" + name + b"=x")

    response = client.generic("POST", "/open311/v2/requests.xml", body, content_type=FORM)

    assert response.status_code == 400
    root = ElementTree.fromstring(response.content)  # noqa: S314  (our own answer, in a test)
    assert root.tag == "errors" and "?" in root.findtext("error/description")
    assert not Report.objects.exists()
