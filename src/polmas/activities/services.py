"""Recording officer activities. A client-generated UUID makes every send safe to repeat:
the same UUID with the same content returns the stored activity, with other content it is
refused (Conflict) and nothing is overwritten."""

import contextlib
import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, router, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_entry, audit_record
from polmas.access.models import AuditEntry
from polmas.access.scope import scope_for
from polmas.activities.models import MAX_TEXT, Activity
from polmas.core.errors import Conflict as BaseConflict
from polmas.policing.models import Officer
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.selectors import LAT_RANGE, LON_RANGE

MAX_HOUSEHOLDS = 1000
MAX_AUDIENCE = 100_000
# A phone's clock may run a little fast; an activity further in the future is a mistake.
CLOCK_SKEW = dt.timedelta(minutes=10)
OLDEST = dt.timedelta(days=366)
CONTENT = ("kind", "village_id", "officer_id", "occurred_at", "households", "issues_heard", "topic",
           "audience", "summary", "latitude", "longitude")


# PostgreSQL refuses NUL in text and no control character belongs in a record; texts keep
# their line breaks and tabs, one-line fields keep none.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def control_errors(errors: dict[str, str], *, texts: dict[str, str], lines: dict[str, str]) -> None:
    """Add an error for each field holding a control character."""
    for fields, pattern in ((texts, CONTROLS), (lines, LINE_CONTROLS)):
        for name, value in fields.items():
            if value and pattern.search(value) and name not in errors:
                errors[name] = _("contains control characters.")


class Conflict(BaseConflict):
    """The UUID was sent before with other content, or the record changed since it was read."""


@dataclass
class ActivityInput:
    client_uuid: uuid.UUID | str
    kind: str
    village: str
    occurred_at: dt.datetime
    households: int | None = None
    issues_heard: str = ""
    topic: str = ""
    audience: int | None = None
    summary: str = ""
    latitude: float | None = None
    longitude: float | None = None


def officer_of(user: User) -> Officer | None:
    return Officer.objects.filter(user=user, active=True).first() if user.is_authenticated else None


def _check_village(user: User, code: str, errors: dict[str, str],
                   villages: dict[str, Region] | None = None) -> Region | None:
    code = (code or "").strip()
    if not codes.is_valid(code) or codes.level_of(code) != codes.VILLAGE:
        errors["village"] = _("%(code)s is not a village code like 51.08.09.2007.") % {"code": code[:20]}
        return None
    village = villages.get(code) if villages is not None else Region.objects.filter(code=code).first()
    if village is None:
        errors["village"] = _("No village has code %(code)s.") % {"code": code}
    elif not scope_for(user).covers(code):
        errors["village"] = _("This village is outside your area: you may record activities "
                              "only in your own villages.")
        return None
    return village


def _check_kind_fields(data: ActivityInput, errors: dict[str, str]) -> None:
    kind = data.kind
    if kind == Activity.Kind.VISIT and not (data.households and 1 <= data.households <= MAX_HOUSEHOLDS):
        errors["households"] = _("A visit needs the number of households visited (1 to %(max)s).") % {
            "max": MAX_HOUSEHOLDS}
    if kind == Activity.Kind.OUTREACH:
        if not data.topic.strip():
            errors["topic"] = _("Outreach needs its topic.")
        if not (data.audience and 1 <= data.audience <= MAX_AUDIENCE):
            errors["audience"] = _("Outreach needs the audience size (1 to %(max)s).") % {"max": MAX_AUDIENCE}
    if kind in (Activity.Kind.DETECTION, Activity.Kind.COORDINATION) and not data.summary.strip():
        errors["summary"] = _("Say what was learnt or agreed.")
    if kind != Activity.Kind.VISIT and data.households is not None:
        errors["households"] = _("Only a visit counts households.")
    if kind != Activity.Kind.OUTREACH and data.audience is not None:
        errors["audience"] = _("Only outreach has an audience size.")


def _check(user: User, data: ActivityInput,
           villages: dict[str, Region] | None = None) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        client_uuid = uuid.UUID(str(data.client_uuid))
    except ValueError:
        errors["client_uuid"] = _("is not a UUID.")
        client_uuid = None
    if data.kind not in Activity.Kind.values:
        errors["kind"] = _("must be one of: %(kinds)s.") % {"kinds": ", ".join(Activity.Kind.values)}
    village = _check_village(user, data.village, errors, villages)
    when = data.occurred_at
    if when is None:
        errors["occurred_at"] = _("Say when it happened.")
    else:
        if timezone.is_naive(when):
            when = timezone.make_aware(when, dt.UTC)
        now = timezone.now()
        if when > now + CLOCK_SKEW:
            errors["occurred_at"] = _("lies in the future.")
        elif when < now - OLDEST:
            errors["occurred_at"] = _("lies more than a year ago.")
    if data.kind in Activity.Kind.values:
        _check_kind_fields(data, errors)
    for name in ("issues_heard", "summary"):
        if len(getattr(data, name) or "") > MAX_TEXT:
            errors[name] = _("is longer than %(max)s characters.") % {"max": MAX_TEXT}
    if len(data.topic or "") > 200:
        errors["topic"] = _("is longer than %(max)s characters.") % {"max": 200}
    control_errors(errors, texts={"issues_heard": data.issues_heard, "summary": data.summary},
                   lines={"topic": data.topic})
    lat, lon = data.latitude, data.longitude
    if (lat is None) != (lon is None):
        errors["latitude" if lat is None else "longitude"] = _("Give both latitude and longitude.")
    elif lat is not None and lon is not None and not (
            LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        errors["latitude"] = _("The location lies outside Indonesia.")
    fields = {
        "client_uuid": client_uuid, "kind": data.kind, "village": village, "occurred_at": when,
        "households": data.households, "issues_heard": (data.issues_heard or "").strip(),
        "topic": (data.topic or "").strip(), "audience": data.audience,
        "summary": (data.summary or "").strip(), "latitude": lat, "longitude": lon,
    }
    return fields, errors


def _same(existing: Activity, candidate: Activity) -> bool:
    return all(getattr(existing, f) == getattr(candidate, f) for f in CONTENT)


def activity_record(*, actor: User, data: ActivityInput,
                    photo: tuple[bytes, str] | None = None) -> tuple[Activity, bool]:
    """Record an activity of the calling officer; returns (activity, created). `photo` is
    (bytes, extension) as core.photos.photo_clean gives it, stored under a random name.
    Requires: an active officer record, and the village inside the caller's scope."""
    officer = officer_of(actor)
    if officer is None:
        raise PermissionDenied(_("Only police officers record activities."))
    fields, errors = _check(actor, data)
    if errors:
        raise ValidationError(errors)
    candidate = Activity(officer=officer, **fields)
    existing = Activity.objects.filter(client_uuid=fields["client_uuid"]).first()
    if existing is not None:
        return _resent(existing, candidate)
    try:
        with transaction.atomic():
            if photo is not None:
                content, ext = photo
                candidate.photo.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
            candidate.save()
            audit_record(actor=actor, action="activity.record", obj=candidate,
                         region_code=candidate.village_id, detail={"kind": candidate.kind})
    except IntegrityError:
        # Two sends of the same UUID raced; the other one won.
        existing = Activity.objects.filter(client_uuid=fields["client_uuid"]).first()
        if existing is None:
            raise
        return _resent(existing, candidate)
    return candidate, True


def activity_photo_attach(*, actor: User, activity_id: int, photo: tuple[bytes, str]) -> bool:
    """Give the calling officer's activity `photo` ((bytes, extension) as core.photos.photo_clean
    gives it) if it has none yet: a photo that arrives after its activity (the field app
    uploads it apart). Idempotent: an activity with a photo keeps it. Returns whether it was
    attached. Requires: the activity is the caller's own (else PermissionDenied)."""
    officer = officer_of(actor)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
        if activity is None or officer is None or activity.officer_id != officer.pk:
            raise PermissionDenied(_("Only the officer who recorded an activity may add its photo."))
        if activity.photo:
            return False
        content, ext = photo
        activity.photo.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
        Activity.objects.filter(pk=activity.pk, photo="").update(photo=activity.photo.name)
        audit_record(actor=actor, action="activity.photo", obj=activity, region_code=activity.village_id)
    return True


def _resent(existing: Activity, candidate: Activity) -> tuple[Activity, bool]:
    if not _same(existing, candidate):
        raise Conflict(_("This client UUID was already used for a different activity; "
                         "nothing was changed. Send a new UUID for a new activity."))
    return existing, False


def activity_record_many(*, actor: User,
                         items: list[ActivityInput]) -> list[tuple[Activity, bool] | Exception]:
    """activity_record for many activities of the calling officer at once (the field app's
    sync): for each item, (activity, created) or the refusal activity_record would raise
    (ValidationError, Conflict, PermissionDenied). One bad item never stops the others. The
    officer, the villages and the earlier sends are read once, the new rows and their audit
    entries written in one statement each: 1,000 activities in a fraction of the time 1,000
    calls take (bench/field_sync.py). Must run inside the caller's transaction."""
    officer = officer_of(actor)
    if officer is None:
        return [PermissionDenied(_("Only police officers record activities.")) for _item in items]
    wanted = {(i.village or "").strip() for i in items}
    villages = Region.objects.in_bulk([c for c in wanted if codes.is_valid(c)], field_name="code")
    keys = set()
    for item in items:
        with contextlib.suppress(ValueError):
            keys.add(uuid.UUID(str(item.client_uuid)))
    earlier = {a.client_uuid: a for a in Activity.objects.filter(client_uuid__in=keys)}
    out: list[tuple[Activity, bool] | Exception] = []
    fresh: dict[uuid.UUID, Activity] = {}
    for item in items:
        fields, errors = _check(actor, item, villages)
        if errors:
            out.append(ValidationError(errors))
            continue
        candidate = Activity(officer=officer, **fields)
        existing = earlier.get(candidate.client_uuid) or fresh.get(candidate.client_uuid)
        if existing is not None:
            try:
                out.append(_resent(existing, candidate))
            except Conflict as exc:
                out.append(exc)
            continue
        fresh[candidate.client_uuid] = candidate
        out.append((candidate, True))
    if not fresh:
        return out
    try:
        with transaction.atomic():
            Activity.objects.bulk_create(list(fresh.values()))
            AuditEntry.objects.bulk_create([
                audit_entry(actor=actor, action="activity.record", obj=a, region_code=a.village_id,
                            detail={"kind": a.kind}) for a in fresh.values()])
    except IntegrityError:
        # Another send of one of these UUIDs won a race: store them one by one instead.
        return [r if isinstance(r, Exception) or not r[1] else _one_again(actor, item)
                for r, item in zip(out, items, strict=True)]
    for a in fresh.values():  # bulk_create sends no signals; the rollups listen for them
        post_save.send(sender=Activity, instance=a, created=True, update_fields=None, raw=False,
                       using=router.db_for_write(Activity, instance=a))
    return out


def _one_again(actor: User, item: ActivityInput) -> tuple[Activity, bool] | Exception:
    try:
        with transaction.atomic():
            return activity_record(actor=actor, data=item)
    except (ValidationError, Conflict, PermissionDenied) as exc:
        return exc
