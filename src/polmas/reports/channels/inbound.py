"""One delivery from a provider: answered once, stored once, whatever the provider resends."""

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import override

from polmas.reports.channels.dialogue import Incoming, Links, converse
from polmas.reports.models import InboundMessage, code_filled
from polmas.reports.tasks import message_queue
from polmas.reports.tracking import value_hash

# Beyond this many messages an hour a sender gets no answers: each answer costs an SMS.
MESSAGES_PER_HOUR = 60
PROVIDER_ID = re.compile(r"[A-Za-z0-9_.:=+/-]{1,120}")
_NUMBER = re.compile(r"\+?[1-9][0-9]{5,14}")


class Malformed(ValueError):
    """A delivery that does not have the provider's shape: answered 400, nothing stored."""


def e164(number: str) -> str:
    """"+6281234567890" from "+6281234567890" or "6281234567890"; Malformed otherwise."""
    value = number.strip()
    if not _NUMBER.fullmatch(value):
        raise Malformed("sender")
    return "+" + value.lstrip("+")


def links(request: HttpRequest) -> Links:
    return Links(status=request.build_absolute_uri("/lapor/status/"),
                 form=request.build_absolute_uri("/lapor/"))


def deliver(*, provider_id: str, message: Incoming, links: Links, send_reply: bool) -> str:
    """The reply to a delivery. The first time it is handled and its reply kept (and queued,
    for channels that answer apart from the webhook); a resend gets the kept reply. A tracking
    code is kept encrypted apart from the stored reply and message (models.CODE_SLOT)."""
    if not PROVIDER_ID.fullmatch(provider_id):
        raise Malformed("id")
    earlier = InboundMessage.objects.filter(channel=message.channel, provider_id=provider_id).first()
    if earlier is not None:
        return earlier.text()
    sender_hash = value_hash("phone", message.sender)
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(channel=message.channel, provider_id=provider_id,
                                                        sender_hash=sender_hash)
        except IntegrityError:  # the same delivery, arriving twice at once
            return InboundMessage.objects.get(channel=message.channel, provider_id=provider_id).text()
        recent = InboundMessage.objects.filter(
            sender_hash=sender_hash, received_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
        if recent > MESSAGES_PER_HOUR:
            return ""
        with override("id"):
            outcome = converse(message, links=links)
        inbound.reply, inbound.secret, inbound.report = outcome.reply, outcome.secret, outcome.report
        inbound.save(update_fields=["reply", "secret", "report"])
        if send_reply and outcome.reply:
            message_queue(channel=message.channel, to=message.sender, body=outcome.reply,
                          secret=outcome.secret, report_id=outcome.report.pk if outcome.report else None)
    return code_filled(outcome.reply, outcome.secret)
