"""Telling officers: what each user wants to be told of and how, their devices' web push
subscriptions, and the sending of web push (RFC 8030 with VAPID, RFC 8292, through
pywebpush). The room that owns an event (reports for a new report, cases for escalations and
follow-ups) calls `notify()`: push goes out here, and the SMS or WhatsApp addresses come back
for that room to send through its message backends (reports.messaging).

A push carries only a title, a line and a link: never a report's text or a person's name,
since a phone's lock screen shows it."""

import base64
import ipaddress
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polmas.access.audit import audit_record
from polmas.access.models import NotificationSetting, PushSubscription
from polmas.core.validators import to_e164, validate_phone

logger = logging.getLogger("polmas.notify")

EVENTS = {
    "new_report": gettext_lazy("A new report is routed to me"),
    "escalation": gettext_lazy("A case of mine is escalated, or one is escalated to my unit"),
    "followup_due": gettext_lazy("An action of my case is due today"),
    "agreement_expiring": gettext_lazy("A partner agreement of mine expires within 60 days"),
}
CHANNELS = {
    "push": gettext_lazy("Notification on this phone or computer (web push)"),
    "sms": gettext_lazy("SMS"),
    "whatsapp": gettext_lazy("WhatsApp"),
}
DEFAULTS = (list(EVENTS), ["push"])
MAX_DEVICES = 10
PUSH_TIMEOUT = 10  # seconds a push service may take to answer


def setting_for(user: User) -> tuple[list[str], list[str], str]:
    """(events, channels, phone) the user chose; every event by push if they never chose."""
    row = NotificationSetting.objects.filter(user=user).first()
    if row is None:
        return [*DEFAULTS[0]], [*DEFAULTS[1]], ""
    return list(row.events), list(row.channels), row.phone


@transaction.atomic
def setting_save(*, actor: User, events: list[str], channels: list[str],
                 phone: str = "") -> NotificationSetting:
    """Store what the actor wants to be told and how. Requires: a logged-in user (their own)."""
    errors: dict[str, str] = {}
    unknown = [e for e in events if e not in EVENTS] + [c for c in channels if c not in CHANNELS]
    if unknown:
        errors["events"] = _("Unknown choice: %(value)s.") % {"value": ", ".join(unknown)[:100]}
    phone = (phone or "").strip()
    if phone:
        try:
            phone = to_e164(validate_phone(phone))
        except ValidationError as exc:
            errors["phone"] = " ".join(exc.messages)
    elif {"sms", "whatsapp"} & set(channels):
        errors["phone"] = _("SMS and WhatsApp need a phone number.")
    if errors:
        raise ValidationError(errors)
    row, _created = NotificationSetting.objects.update_or_create(
        user=actor, defaults={"events": sorted(set(events), key=list(EVENTS).index),
                              "channels": sorted(set(channels), key=list(CHANNELS).index), "phone": phone})
    audit_record(actor=actor, action="notify.settings", obj=row,
                 detail={"events": row.events, "channels": row.channels})
    return row


def _b64url_bytes(value: str, field: str, size: int) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != size:
        raise ValidationError({field: _("Not a key of this browser's push subscription.")})
    return value


def _endpoint_ok(endpoint: str) -> str:
    url = urlparse(endpoint)
    try:
        address = ipaddress.ip_address(url.hostname or "")
    except ValueError:
        address = None  # a host name, as push services have
    # The server posts to this address: never to one inside its own network.
    if url.scheme == "https" and url.hostname and (address is None or address.is_global):
        return endpoint
    if (url.scheme == "http" and address is not None and address.is_loopback
            and settings.POLMAS_PUSH_ALLOW_LOOPBACK_HTTP):
        return endpoint
    raise ValidationError({"endpoint": _("A push endpoint must be an https address of a push service.")})


@transaction.atomic
def subscription_add(*, actor: User, endpoint: str, p256dh: str, auth: str,
                     device: str = "") -> PushSubscription:
    """Keep this device's push subscription for the actor (again: its keys renewed).
    Requires: a logged-in user; at most MAX_DEVICES devices each."""
    endpoint = _endpoint_ok((endpoint or "").strip()[:1000])
    p256dh = _b64url_bytes((p256dh or "").strip(), "p256dh", 65)
    auth = _b64url_bytes((auth or "").strip(), "auth", 16)
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is None and PushSubscription.objects.filter(user=actor).count() >= MAX_DEVICES:
        raise ValidationError({"endpoint": _("At most %(n)d devices; remove one first.")
                               % {"n": MAX_DEVICES}})
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": actor, "p256dh": p256dh, "auth": auth, "device": device[:200]})
    audit_record(actor=actor, action="notify.push_subscribe", obj=sub)
    return sub


@transaction.atomic
def subscription_remove(*, actor: User, subscription_id: int) -> bool:
    """Forget one of the actor's devices. Requires: the device is the actor's."""
    deleted, _rows = PushSubscription.objects.filter(user=actor, pk=subscription_id).delete()
    if deleted:
        audit_record(actor=actor, action="notify.push_unsubscribe", object_type="access.pushsubscription",
                     object_id=subscription_id)
    return bool(deleted)


def push_enabled() -> bool:
    return bool(settings.POLMAS_VAPID_PRIVATE_KEY and settings.POLMAS_VAPID_PUBLIC_KEY)


def _vapid():
    from py_vapid import Vapid

    return Vapid.from_raw(settings.POLMAS_VAPID_PRIVATE_KEY.encode())


def push_send(*, user_id: int, payload: dict) -> int:
    """Send `payload` (JSON: title, body, url) to every device of the user; a device the push
    service no longer knows (404, 410) is forgotten. No caller: the system acts. Returns how
    many devices accepted it."""
    from pywebpush import WebPushException, webpush

    if not push_enabled():
        return 0
    data = json.dumps(payload, ensure_ascii=False)
    sent = 0
    for sub in PushSubscription.objects.filter(user_id=user_id):
        info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
        try:
            webpush(info, data=data, vapid_private_key=_vapid(),
                    vapid_claims={"sub": settings.POLMAS_VAPID_SUBJECT}, timeout=PUSH_TIMEOUT, ttl=24 * 3600)
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                sub.delete()
            else:
                logger.warning("push to device %s failed: %s", sub.pk, str(exc)[:200])
            continue
        PushSubscription.objects.filter(pk=sub.pk).update(last_sent_at=timezone.now())
        sent += 1
    return sent


@task()
def push_send_task(user_id: int, payload: dict) -> int:
    return push_send(user_id=user_id, payload=payload)


@dataclass(frozen=True)
class TextTarget:
    """A message for the owning room to send through its backends."""

    user_id: int
    channel: str
    to: str


def notify(*, user: User, event: str, title: str, body: str, url: str) -> list[TextTarget]:
    """Tell `user` of `event` as they chose: push is queued here (after commit); the SMS and
    WhatsApp targets are returned for the caller to send (reports.tasks.message_queue).
    No caller: the system acts."""
    if event not in EVENTS or not user.is_active:
        return []
    events, channels, phone = setting_for(user)
    if event not in events:
        return []
    if "push" in channels and push_enabled() and PushSubscription.objects.filter(user=user).exists():
        payload = {"title": title, "body": body, "url": url, "event": event}
        transaction.on_commit(lambda: push_send_task.enqueue(user.pk, payload))
    return [TextTarget(user.pk, c, phone) for c in ("sms", "whatsapp") if c in channels and phone]
