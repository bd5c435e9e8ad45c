"""The batch sync: up to MAX_BATCH records, each answered on its own, in the order sent.

Each record is stored in its own savepoint, so one bad record never blocks the rest. A
record's UUID and content hash (recomputed here from the body, canon.py) make a resend safe:
the receipt kept here answers `exists` (same hash) or `conflict` (other hash) without
touching the record's app again."""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from polmas.access.scope import scope_for
from polmas.activities import services as activity_services
from polmas.core.api import field_errors
from polmas.core.errors import Conflict
from polmas.field.canon import body_hash
from polmas.field.kinds import KINDS
from polmas.field.models import Receipt, Upload
from polmas.regions import codes

MAX_BATCH = 500
MAX_ATTACHMENTS = 3
HASH = re.compile(r"^[0-9a-f]{64}$")
CLOCK_SKEW = dt.timedelta(minutes=10)


def window() -> dt.timedelta:
    """How old a record may be when it arrives (POLMAS_FIELD_WINDOW_DAYS, default 92)."""
    return dt.timedelta(days=getattr(settings, "POLMAS_FIELD_WINDOW_DAYS", 92))


@dataclass
class Result:
    uuid: str
    status: str  # created | exists | conflict | rejected
    id: int | None = None
    reason: str = ""
    errors: list[dict] = field(default_factory=list)
    # Rejected for now only (an attachment not all uploaded yet): send it again later.
    retry: bool = False


class Refused(Exception):
    def __init__(self, errors: dict[str, str], retry: bool = False) -> None:
        super().__init__(errors)
        self.errors = errors
        self.retry = retry


def _reason(errors: dict[str, str]) -> str:
    return "; ".join(f"{f}: {r}" if f else r for f, r in errors.items())


def _rejected(uid: str, errors: dict[str, str], retry: bool = False) -> Result:
    return Result(uid, "rejected", reason=_reason(errors), retry=retry,
                  errors=[{"field": f, "reason": r} for f, r in errors.items()])


def _prefix(errors: dict[str, str], prefix: str) -> dict[str, str]:
    return {f"{prefix}.{f}" if f and f != "__all__" else prefix: r for f, r in errors.items()}


def _shape(raw: object) -> tuple[str, str, str, dict, list[str]]:
    """The record's envelope, checked: (uuid, kind, hash, body, attachments)."""
    if not isinstance(raw, dict):
        raise Refused({"": _("A record must be a JSON object with uuid, kind, hash and body.")})
    errors: dict[str, str] = {}
    uid = raw.get("uuid")
    try:
        uid = str(uuid.UUID(str(uid))) if isinstance(uid, str) else None
    except ValueError:
        uid = None
    if uid is None:
        errors["uuid"] = _("is not a UUID.")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors["kind"] = _("must be one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}
    digest = raw.get("hash")
    if not isinstance(digest, str) or not HASH.match(digest):
        errors["hash"] = _("must be the SHA-256 of the body, 64 lowercase hexadecimal digits.")
    body = raw.get("body")
    if not isinstance(body, dict):
        errors["body"] = _("must be a JSON object.")
    elif uid is not None and str(body.get("client_uuid", "")).lower() != uid:
        errors["body.client_uuid"] = _("must equal the record's uuid.")
    attachments = raw.get("attachments", [])
    if not isinstance(attachments, list) or len(attachments) > MAX_ATTACHMENTS or not all(
            isinstance(a, str) for a in attachments):
        errors["attachments"] = _("must be a list of at most %(n)d upload UUIDs.") % {"n": MAX_ATTACHMENTS}
    elif attachments and kind in KINDS and not KINDS[kind].photos:
        errors["attachments"] = _("This kind of record carries no photo.")
    if not errors and body_hash(body) != digest:
        # Recomputed as the phone makes it (canon.py): a record changed on the way, or made by
        # a client that hashes otherwise, would make "exists" and "conflict" mean nothing.
        errors["hash"] = _("does not match the body: it must be the SHA-256 of the body as "
                           "canonical JSON (keys sorted, no spaces). The record was not stored.")
    if errors:
        raise Refused(errors)
    return uid, kind, digest, body, attachments


def _place_and_time(actor: User, kind: str, body) -> None:
    spec = KINDS[kind]
    errors: dict[str, str] = {}
    village = (spec.village(body) or "").strip()
    if village and codes.is_valid(village) and not scope_for(actor).covers(village):
        errors["body.village"] = _("This village is outside your posts: you may send records only "
                                   "for your own villages.")
    when = spec.when(body)
    if when is not None:
        if timezone.is_naive(when):
            when = timezone.make_aware(when, dt.UTC)
        now = timezone.now()
        if when > now + CLOCK_SKEW:
            errors["body.date"] = _("The date lies in the future.")
        elif when < now - window():
            errors["body.date"] = _("The date is older than %(days)d days: records that old are no "
                                    "longer accepted.") % {"days": window().days}
    if errors:
        raise Refused(errors)


def _photos(actor: User, attachments: list[str]) -> list[Upload]:
    found = []
    for i, raw in enumerate(attachments):
        try:
            key = uuid.UUID(raw)
        except ValueError:
            raise Refused({f"attachments.{i}": _("is not a UUID.")}) from None
        upload = Upload.objects.filter(pk=key, user=actor).first()
        if upload is None or not upload.complete:
            raise Refused({f"attachments.{i}": _("The photo has not been fully uploaded yet.")}, retry=True)
        if upload.record is not None:
            raise Refused({f"attachments.{i}": _("This photo already belongs to another record.")})
        found.append(upload)
    return found


def _checked(actor: User, kind: str, body_raw: dict):
    """The body validated by its kind's schema, its village and date checked (else Refused)."""
    try:
        body = KINDS[kind].schema.model_validate(body_raw)
    except SchemaError as exc:
        errors = {f"body.{e['field']}" if e["field"] else "body": e["reason"]
                  for e in field_errors(exc.errors())}
        raise Refused(errors) from None
    _place_and_time(actor, kind, body)
    return body


def _refusal(uid: str, exc: Exception) -> Result:
    """A service's refusal as a record's answer."""
    if isinstance(exc, Conflict):
        return Result(uid, "conflict", reason=str(exc))
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return _rejected(uid, _prefix({f: " ".join(m) for f, m in errors.items()}, "body"))
    if isinstance(exc, PermissionDenied):
        return _rejected(uid, {"": str(exc) or _("You may not do this.")})
    raise exc


def _activities(actor: User, items: list[tuple[str, str, dict]]) -> dict[str, Result]:
    """Activities go through the activities service's batch writer: their answers by UUID."""
    done: dict[str, Result] = {}
    valid = []
    for uid, digest, body_raw in items:
        try:
            valid.append((uid, digest, _checked(actor, "activity", body_raw)))
        except Refused as exc:
            done[uid] = _rejected(uid, exc.errors)
    if not valid:
        return done
    outcomes = activity_services.activity_record_many(
        actor=actor, items=[activity_services.ActivityInput(**body.dict()) for _u, _d, body in valid])
    receipts = []
    for (uid, digest, _body), outcome in zip(valid, outcomes, strict=True):
        if isinstance(outcome, Exception):
            done[uid] = _refusal(uid, outcome)
            continue
        activity, created = outcome
        receipts.append(Receipt(uuid=uid, kind="activity", hash=digest, user=actor, object_id=activity.pk))
        done[uid] = Result(uid, "created" if created else "exists", id=activity.pk)
    Receipt.objects.bulk_create(receipts)
    return done


def _store(actor: User, uid: str, kind: str, digest: str, body_raw: dict, attachments: list[str]) -> Result:
    spec = KINDS[kind]
    body = _checked(actor, kind, body_raw)
    try:
        with transaction.atomic():
            uploads = _photos(actor, attachments)
            object_id, created = spec.store(actor, body, [(u.content_type, bytes(u.data)) for u in uploads])
            Receipt.objects.create(uuid=uid, kind=kind, hash=digest, user=actor, object_id=object_id)
            for u in uploads:
                u.record = uid
                u.save(update_fields=["record"])
    except (ValidationError, Conflict, PermissionDenied) as exc:
        return _refusal(uid, exc)
    except (Http404, ObjectDoesNotExist):
        raise Refused({"": _("Not found in your area: the record it refers to does not exist or "
                             "is outside your scope.")}) from None
    except IntegrityError:
        # The same UUID sent twice at once: the other send stored it.
        earlier = Receipt.objects.filter(uuid=uid).first()
        if earlier is None:
            raise
        return _again(uid, kind, digest, earlier)
    return Result(uid, "created" if created else "exists", id=object_id)


def _again(uid: str, kind: str, digest: str, earlier: Receipt) -> Result:
    if earlier.kind == kind and earlier.hash == digest:
        return Result(uid, "exists", id=earlier.object_id)
    return Result(uid, "conflict", id=None,
                  reason=_("This record was already sent with other content; nothing was changed. "
                           "Check it and send it as a new record."))


@transaction.atomic
def sync_batch(*, actor: User, records: list) -> list[Result]:
    """Store each record in its own savepoint; answer each in the order sent. The batch is one
    transaction (one commit, one rollup recount), so a server killed mid-batch stores none of
    it and the phone, which heard no answer, sends it again.
    Requires: an authenticated user (each kind's service checks its own permission)."""
    shaped: list[tuple | Result] = []
    for raw in records:
        try:
            shaped.append(_shape(raw))
        except Refused as exc:
            uid = raw.get("uuid") if isinstance(raw, dict) and isinstance(raw.get("uuid"), str) else ""
            shaped.append(_rejected(uid[:40], exc.errors))
    keys = [s[0] for s in shaped if isinstance(s, tuple)]
    receipts = {str(r.uuid): r for r in Receipt.objects.filter(uuid__in=keys)}
    # Activities (most of what phones send) are stored together, in one savepoint; the receipts
    # of a batch are unique, so a UUID another send stores meanwhile fails the whole savepoint:
    # then they go one by one like the other kinds.
    first: dict[str, tuple] = {}
    for s in shaped:
        if isinstance(s, tuple) and s[0] not in receipts and s[0] not in first:
            first[s[0]] = s
    batch = [(uid, digest, body) for uid, kind, digest, body, photos in first.values()
             if kind == "activity" and not photos]
    stored: dict[str, Result] = {}
    if batch:
        try:
            with transaction.atomic():
                stored = _activities(actor, batch)
        except IntegrityError:
            stored = {}
    seen: dict[str, tuple[str, str, Result]] = {}
    results = []
    for item in shaped:
        if isinstance(item, Result):
            results.append(item)
            continue
        uid, kind, digest, body, attachments = item
        if uid in receipts:
            results.append(_again(uid, kind, digest, receipts[uid]))
            continue
        if uid in seen:  # the same record twice in one batch
            first_kind, first_hash, first = seen[uid]
            if first.status in ("created", "exists") and (first_kind, first_hash) == (kind, digest):
                results.append(Result(uid, "exists", id=first.id))
            elif first.status in ("created", "exists"):
                results.append(_again(uid, kind, digest, Receipt(kind=first_kind, hash=first_hash)))
            else:
                results.append(Result(uid, first.status, reason=first.reason, errors=first.errors,
                                      retry=first.retry))
            continue
        try:
            result = stored.get(uid) if first.get(uid) is item else None
            result = result or _store(actor, uid, kind, digest, body, attachments)
        except Refused as exc:
            result = _rejected(uid, exc.errors, retry=exc.retry)
        seen[uid] = (kind, digest, result)
        results.append(result)
    return results
