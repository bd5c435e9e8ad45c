"""Inbound SMS from Twilio (or a gateway speaking its webhook): signed form posts, answered
with TwiML."""

import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from polmas.reports.channels.dialogue import Incoming
from polmas.reports.channels.inbound import Malformed, deliver, e164, links
from polmas.reports.channels.signatures import twilio_valid


def twiml(reply: str) -> HttpResponse:
    """<Response><Message>reply</Message></Response>; an empty <Response/> sends nothing."""
    root = ET.Element("Response")
    if reply:
        ET.SubElement(root, "Message").text = reply
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _incoming(post: dict[str, str]) -> tuple[str, Incoming]:
    provider_id = post.get("MessageSid") or post.get("SmsSid") or ""
    if not provider_id or "From" not in post or "Body" not in post and "NumMedia" not in post:
        raise Malformed("fields")
    text = post.get("Body", "")
    try:
        media = int(post.get("NumMedia") or 0)
    except ValueError:
        raise Malformed("NumMedia") from None
    kind = "unsupported" if media and not text.strip() else "text"
    return provider_id, Incoming(channel="sms", sender=e164(post["From"]), text=text, kind=kind)


@csrf_exempt
@require_POST
def twilio_sms(request: HttpRequest) -> HttpResponse:
    """POST /hooks/sms/twilio/: X-Twilio-Signature checked over the URL the provider called."""
    token = settings.POLMAS_TWILIO_AUTH_TOKEN
    if not token:
        return _plain("SMS intake is not configured.", 503)
    if request.content_type != "application/x-www-form-urlencoded":
        return _plain("Expected a form post.", 400)
    try:
        params = list(request.POST.lists())
    except (RequestDataTooBig, TooManyFieldsSent):
        return _plain("The request is too large.", 400)
    signature = request.headers.get("X-Twilio-Signature", "")
    if not twilio_valid(url=request.build_absolute_uri(), params=params, signature=signature, token=token):
        return _plain("The signature does not verify.", 403)
    post = {name: values[-1] for name, values in params}
    account = settings.POLMAS_TWILIO_ACCOUNT_SID
    if account and post.get("AccountSid") != account:
        return _plain("Unknown account.", 403)
    try:
        provider_id, message = _incoming(post)
        reply = deliver(provider_id=provider_id, message=message, links=links(request), send_reply=False)
    except Malformed as exc:
        return _plain(f"Malformed delivery: {exc}.", 400)
    return twiml(reply)
