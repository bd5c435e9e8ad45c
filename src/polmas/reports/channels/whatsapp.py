"""Inbound WhatsApp messages from the Cloud API: verified subscription, signed JSON deliveries,
answered 200 at once; replies leave through the outbound queue."""

import hmac
import json
import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from polmas.core.validators import surrogates_replaced
from polmas.reports.channels.dialogue import Incoming
from polmas.reports.channels.inbound import PROVIDER_ID, Malformed, deliver, e164, links
from polmas.reports.channels.signatures import meta_valid

_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{1,200}")


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _list(value: object, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(what)
    return value


def _dict(value: object, what: str) -> dict:
    if not isinstance(value, dict):
        raise Malformed(what)
    return value


def _coordinate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Malformed("location")
    return float(value)


def _message(raw: object) -> tuple[str, Incoming]:
    m = _dict(raw, "message")
    provider_id, sender, kind = m.get("id"), m.get("from"), m.get("type")
    if not isinstance(provider_id, str) or not PROVIDER_ID.fullmatch(provider_id):
        raise Malformed("message id")
    if not isinstance(sender, str) or not isinstance(kind, str):
        raise Malformed("message from and type")
    message = Incoming(channel="whatsapp", sender=e164(sender), kind="unsupported")
    if kind == "text":
        body = _dict(m.get("text"), "text").get("body")
        if not isinstance(body, str):
            raise Malformed("text body")
        # A lone surrogate ("\ud800" in the JSON) is replaced, not refused: the Cloud API
        # resends a refused delivery for days (ADR 5). What remains is text like any other.
        message.kind, message.text = "text", surrogates_replaced(body)
    elif kind == "location":
        place = _dict(m.get("location"), "location")
        message.kind = "location"
        message.latitude = _coordinate(place.get("latitude"))
        message.longitude = _coordinate(place.get("longitude"))
    return provider_id, message


def messages_in(payload: object) -> list[tuple[str, Incoming]]:
    """Every message of a delivery, checked before any is handled; Malformed otherwise.
    Status updates (sent, delivered, read) carry no messages and are left alone."""
    found = []
    for entry in _list(_dict(payload, "payload").get("entry"), "entry"):
        for change in _list(_dict(entry, "entry").get("changes"), "changes"):
            value = _dict(_dict(change, "change").get("value"), "value")
            found += [_message(m) for m in _list(value.get("messages"), "messages")]
    return found


def _verify(request: HttpRequest) -> HttpResponse:
    expected = settings.POLMAS_WHATSAPP_VERIFY_TOKEN
    if not expected:
        return _plain("WhatsApp intake is not configured.", 503)
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if request.GET.get("hub.mode") != "subscribe" or not hmac.compare_digest(
            given.encode(), expected.encode()):
        return _plain("Verification refused.", 403)
    if not _CHALLENGE.fullmatch(challenge):
        return _plain("Malformed challenge.", 400)
    return _plain(challenge, 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request: HttpRequest) -> HttpResponse:
    """GET: subscription check with the verify token. POST: deliveries signed with the app
    secret in X-Hub-Signature-256."""
    if request.method == "GET":
        return _verify(request)
    secret = settings.POLMAS_WHATSAPP_APP_SECRET
    if not secret:
        return _plain("WhatsApp intake is not configured.", 503)
    try:
        body = request.body
    except RequestDataTooBig:
        return _plain("The request is too large.", 400)
    if not meta_valid(body=body, signature=request.headers.get("X-Hub-Signature-256", ""), secret=secret):
        return _plain("The signature does not verify.", 403)
    try:
        found = messages_in(json.loads(body))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and Malformed are ValueErrors
        return _plain(f"Malformed delivery: {str(exc)[:80]}.", 400)
    for provider_id, message in found:
        deliver(provider_id=provider_id, message=message, links=links(request), send_reply=True)
    return JsonResponse({"received": len(found)})
