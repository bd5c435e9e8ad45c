"""Taking a report in, from any channel, in two steps (ADR 19):

- `report_check(data)` reads and decides: it checks every field, resolves the village once,
  refuses a blocked sender or a flood, finds a likely duplicate, recognises a resent client
  UUID and cleans the photo. It writes nothing. Bad input raises IntakeError with a message
  per field, in the active language.
- `report_store(checked)` writes: the report (one INSERT), or for a resend a fresh tracking
  code for the same client, and now and then the routing task's row.

Every channel (the web form, the API, Open311, SMS and WhatsApp) calls both;
`report_submit(data)` is the two in a row. Routing (inboxes, coverage gap, the "received"
event, the audit entry, the rollups) follows in batches within seconds (routing.py, ADR 11).
The tracking code is returned once and kept only as a hash.
"""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.core import metrics
from polmas.core.db.writelock import intake_writer
from polmas.core.photos import PhotoError, photo_clean
from polmas.core.scrub import sensitive_text
from polmas.core.validators import text_problem, validate_email_address, validate_phone
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.selectors import haversine_km, in_indonesia, nearest_village
from polmas.reports import lookups
from polmas.reports.dedupe import original_query
from polmas.reports.models import MAX_TEXT, Category, Report
from polmas.reports.resend import code_reissue, same_client
from polmas.reports.tasks import route_soon
from polmas.reports.tracking import tracking_code_new, tracking_hash, value_hash

REPLY_CHANNELS = {"", "sms", "whatsapp", "email"}
MAX_NAME = 150
# Control characters: PostgreSQL refuses NUL in text, and none belongs in a report.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROLS_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")
# The strings of an input, checked first for what no database stores (issue 14).
_STRINGS = ("category", "description", "village", "name", "phone", "email", "reply_channel")
# How far a report's location may lie from the village it names (ADR 15): 99 % of
# Indonesia's villages have another village's centre within 11.7 km of theirs
# (bench/village_spacing.py). Farther is accepted only where no village lies nearer.
VILLAGE_KM = 12.0
# How far from every village a location may lie and still be Indonesia's land or waters:
# a village's extent, then the territorial sea (12 nautical miles, 22.2 km).
OFFSHORE_KM = VILLAGE_KM + 22.2


class IntakeError(Exception):
    """Bad input: `errors` maps each field to the reason; `status` is the HTTP answer."""

    def __init__(self, errors: dict[str, str], status: int = 400) -> None:
        super().__init__(errors)
        self.errors = errors
        self.status = status


@dataclass
class ReportInput:
    category: str
    description: str
    channel: str
    village: str = ""
    latitude: float | None = None
    longitude: float | None = None
    occurred_at: dt.datetime | None = None
    anonymous: bool = True
    name: str = ""
    phone: str = ""
    email: str = ""
    reply_channel: str = ""
    photo: UploadedFile | None = None
    client_key: str = ""
    client_uuid: uuid.UUID | None = None
    user: User | None = None
    cleaned: dict = field(default_factory=dict)


@dataclass
class CheckedReport:
    """What report_check decided, for report_store. `earlier`: the report a resent client
    UUID names (then nothing else was checked, and nothing new is stored)."""

    data: ReportInput
    clean: dict = field(default_factory=dict)
    client_key: str = ""  # the hash of data.client_key
    original: int | None = None  # the report this one probably repeats
    earlier: Report | None = None


@dataclass
class Submitted:
    report: Report
    # On a resent client UUID: a fresh code for the same client, else None (resend.py).
    tracking_code: str | None
    duplicate: bool = False
    resent: bool = False  # a client UUID sent before: nothing new was stored


def village_at(*, lat: float, lon: float) -> Region | None:
    """The village a location belongs to: the nearest, unless every village lies farther
    than OFFSHORE_KM (then the location is not in Indonesia's land or waters)."""
    village = nearest_village(lat=lat, lon=lon) if in_indonesia(lat, lon) else None
    if village is None or village.latitude is None or village.longitude is None:
        return None
    if haversine_km(lat, lon, village.latitude, village.longitude) > OFFSHORE_KM:
        return None
    return village


def _offshore() -> str:
    return _("The location (latitude, longitude) lies outside Indonesia's land and waters: no "
             "village is within %(km)d km of it.") % {"km": OFFSHORE_KM}


def _near_village(code: str, point: tuple[float | None, float | None], lat: float, lon: float,
                  errors: dict[str, str]) -> bool:
    """Whether the location can lie in the village named, whose centre is `point` (ADR 15);
    the reason if not."""
    away = haversine_km(lat, lon, point[0], point[1]) if None not in point else None
    if away is not None and away <= VILLAGE_KM:
        return True  # most reports: no query
    nearest = village_at(lat=lat, lon=lon)
    if nearest is None:
        errors["latitude"] = _offshore()
        return False
    nearest_km = haversine_km(lat, lon, nearest.latitude, nearest.longitude)  # village_at: never None
    if away is not None and away > nearest_km + VILLAGE_KM:
        errors["latitude"] = _("The location (latitude, longitude) lies %(km)d km from the village "
                               "named (%(code)s): name the village where it happened, or send no "
                               "location.") % {"km": round(away), "code": code}
        return False
    return True


def _check_place(data: ReportInput, errors: dict[str, str]) -> str | None:
    """The village code the report belongs to."""
    lat, lon = data.latitude, data.longitude
    if (lat is None) != (lon is None):
        errors["latitude" if lat is None else "longitude"] = _("Give both latitude and longitude.")
        return None
    if lat is not None and lon is not None and not in_indonesia(lat, lon):
        errors["latitude"] = _("The location lies outside Indonesia.")
        return None
    if data.village:
        code = data.village.strip()
        if not codes.is_valid(code) or codes.level_of(code) != codes.VILLAGE:
            errors["village"] = _("%(code)s is not a village code like 51.08.09.2007.") % {"code": code[:20]}
            return None
        point = lookups.village(code)  # the one read of the village
        if point is None:
            errors["village"] = _("No village has code %(code)s.") % {"code": code}
            return None
        if lat is not None and lon is not None and not _near_village(code, point, lat, lon, errors):
            return None
        return code
    if lat is not None and lon is not None:
        village = village_at(lat=lat, lon=lon)
        if village is None:
            errors["latitude"] = _offshore()
        return village.code if village else None
    errors["village"] = _("Say where it happened: a village, or a location.")
    return None


def _check_text(data: ReportInput, errors: dict[str, str]) -> str:
    text = (data.description or "").strip()
    if not text:
        errors["description"] = _("Say what happened.")
    elif len(text) > MAX_TEXT:
        errors["description"] = _("The text is longer than %(max)d characters.") % {"max": MAX_TEXT}
    elif _CONTROLS.search(text):
        errors["description"] = _("The text contains control characters.")
    name = (data.name or "").strip()
    if len(name) > MAX_NAME:
        errors["name"] = _("The name is longer than %(max)d characters.") % {"max": MAX_NAME}
    elif _CONTROLS_OR_NEWLINE.search(name):
        errors["name"] = _("The name contains control characters.")
    return text


def _check_time(data: ReportInput, errors: dict[str, str]) -> dt.datetime | None:
    if data.occurred_at is None:
        return None
    when = data.occurred_at
    if not timezone.is_aware(when):
        when = timezone.make_aware(when)
    now = timezone.now()
    if when > now + dt.timedelta(minutes=10):
        errors["occurred_at"] = _("The time lies in the future.")
    elif when < now - dt.timedelta(days=366 * 5):
        errors["occurred_at"] = _("The time lies more than five years back.")
    return when


def _unstorable(data: ReportInput) -> dict[str, str]:
    """The fields holding what no database stores (an unpaired surrogate, NUL): refused
    before any other check, so that no lookup and no message carries them."""
    found = {}
    for name in _STRINGS:
        problem = text_problem(getattr(data, name) or "")
        if problem:
            found[name] = problem
    return found


def _check(data: ReportInput) -> dict:
    errors = _unstorable(data)
    if errors:
        raise IntakeError(errors)
    wanted = (data.category or "").strip()
    category = None
    if not _CONTROLS_OR_NEWLINE.search(wanted):
        category = lookups.category(wanted)
    if category is None:
        shown = _CONTROLS_OR_NEWLINE.sub("?", wanted[:40])
        errors["category"] = _("Unknown category %(code)s.") % {"code": shown}
    text = _check_text(data, errors)
    village = _check_place(data, errors)
    when = _check_time(data, errors)
    contact = {}
    for name, check in (("phone", validate_phone), ("email", validate_email_address)):
        try:
            contact[name] = check(getattr(data, name) or "", field=name)
        except ValidationError as exc:
            errors[name] = " ".join(exc.message_dict[name])
    if data.reply_channel not in REPLY_CHANNELS:
        errors["reply_channel"] = _("Choose SMS, WhatsApp, e-mail or none.")
    elif data.reply_channel in ("sms", "whatsapp") and not contact.get("phone") and "phone" not in errors:
        errors["phone"] = _("Give a phone number to be answered by SMS or WhatsApp.")
    elif data.reply_channel == "email" and not contact.get("email") and "email" not in errors:
        errors["email"] = _("Give an e-mail address to be answered by e-mail.")
    if errors:
        raise IntakeError(errors)
    # The photo is decoded only once the sender may report (report_check).
    return {"category": category, "text": text, "village": village, "photo": None,
            "occurred_at": when, "name": (data.name or "").strip(), **contact}


def _ask_before_storing(data: ReportInput, clean: dict, client_key: str,
                        now: dt.datetime) -> tuple[int | None, int | None]:
    """One statement (lookups.sender_checks) for what intake must know before it stores: a
    report stored before under the client UUID (its id comes first: a resend is answered with
    it, whatever else), then a blocked sender (403), one over the hourly limit (429), and
    the report the new one probably repeats (dedupe.original_query). (earlier, original)."""
    hashes = [("client", client_key)] if client_key else []
    hashes += [(k, value_hash(k, clean[k])) for k in ("phone", "email") if clean.get(k)]
    # Only anonymous reports count: an officer typing reports in from the same network
    # must not use up the residents' allowance.
    limited = bool(client_key) and data.user is None
    limit = settings.POLMAS_REPORTS_PER_HOUR
    original = original_query(category_id=clean["category"].pk, village=clean["village"],
                              latitude=data.latitude, longitude=data.longitude, at=now)
    earlier, blocked, recent, twin = lookups.sender_checks(
        client_uuid=data.client_uuid, hashes=hashes, now=now, client_key=client_key if limited else "",
        since=now - dt.timedelta(hours=1), at_most=limit, original=original)
    if earlier is not None:
        return earlier, None
    if blocked:
        raise IntakeError({"__all__": _("Reports from this sender are not accepted.")}, status=403)
    if limited and recent >= limit:
        raise IntakeError({"__all__": _("Too many reports from here in the last hour; "
                                        "please try again later.")}, status=429)
    return None, twin


def report_check(data: ReportInput) -> CheckedReport:
    """_report_check, counting each refusal by its reason (/metrics). Requires: nothing."""
    try:
        return _report_check(data)
    except IntakeError as exc:
        reason = {403: "blocked", 429: "rate_limited"}.get(
            exc.status, "photo" if "photo" in exc.errors else "invalid")
        metrics.report_refused(channel=data.channel, reason=reason)
        raise


def _report_check(data: ReportInput) -> CheckedReport:
    """Check a report from any channel, writing nothing. Requires: nothing (anonymous intake).

    Raises IntakeError: bad fields (400, one reason per field), a blocked sender (403), too
    many reports from one client address in an hour (429), a photo that cannot be taken. A
    client UUID sent before wins over all of these: the answer is the report stored then
    (`earlier`). Everything the write needs is decided here: category, village (read once),
    blocks, the hourly limit, the likely duplicate (one statement, lookups.sender_checks),
    and last the photo, decoded only once the sender may report."""
    if data.client_uuid and data.photo is not None:
        # Cleaning a photo costs more than a lookup: a resend with one is answered first.
        earlier = _earlier(data.client_uuid)
        if earlier is not None:
            return CheckedReport(data=data, earlier=earlier)
    try:
        clean = _check(data)
    except IntakeError:
        earlier = _earlier(data.client_uuid) if data.client_uuid else None
        if earlier is None:
            raise
        return CheckedReport(data=data, earlier=earlier)
    client_key = value_hash("client", data.client_key) if data.client_key else ""
    earlier_pk, original = _ask_before_storing(data, clean, client_key, timezone.now())
    if earlier_pk is not None:
        return CheckedReport(data=data, earlier=Report.objects.get(pk=earlier_pk))
    if data.photo is not None:
        # Only now, after the blocks and the hourly limit: decoding costs more than all else.
        try:
            clean["photo"] = photo_clean(data.photo)
        except PhotoError as exc:
            raise IntakeError({"photo": str(exc)}) from None
    return CheckedReport(data=data, clean=clean, client_key=client_key, original=original)


def report_store(checked: CheckedReport) -> Submitted:
    """Store what report_check took, and have it routed. Requires: a CheckedReport.

    A resent client UUID stores nothing new: the same client gets a fresh tracking code
    (resend.py), anyone else the stored report without one. A text that tells of a sealed
    matter in an ordinary category is held for moderation (core.scrub). The report is one
    INSERT in its own transaction (a savepoint inside a caller's), with the routing task's
    row at most once a second per process; routing follows in batches (routing.route_batch):
    inbox entries, coverage gap, "received" event, audit entry and rollups."""
    data, clean = checked.data, checked.clean
    if checked.earlier is not None:
        return _resent(checked.earlier, data)
    code = tracking_code_new()
    category: Category = clean["category"]
    anonymous = data.anonymous and not (clean.get("phone") or clean.get("email"))
    report = Report(
        category=category, description=clean["text"], village_id=clean["village"],
        latitude=data.latitude, longitude=data.longitude, occurred_at=clean["occurred_at"],
        channel=data.channel, sensitive=category.sensitive, tracking_hash=tracking_hash(code),
        held=not category.sensitive and sensitive_text(clean["text"]),
        anonymous=anonymous, reporter_name="" if data.anonymous else clean["name"],
        reporter_phone=clean.get("phone", ""), reporter_email=clean.get("email", ""),
        reply_channel=data.reply_channel, submitted_by=data.user, client_key=checked.client_key,
        client_uuid=data.client_uuid, likely_duplicate_of_id=checked.original,
    )
    if clean["photo"]:
        content, ext = clean["photo"]
        report.photo.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
    try:
        # bulk_create: the row without model signals; routing sends reports_routed for a batch.
        with intake_writer(), transaction.atomic():
            Report.objects.bulk_create([report])
            route_soon()
    except IntegrityError:
        # The same client UUID sent twice at once: the other request stored it, and its
        # answer, not lost, carries the code (no fresh one, which would void it).
        earlier = _earlier(data.client_uuid) if data.client_uuid else None
        if earlier is None:
            raise
        return Submitted(report=earlier, tracking_code=None, resent=True)
    metrics.report_accepted(channel=data.channel)
    return Submitted(report=report, tracking_code=code, duplicate=checked.original is not None)


def report_submit(data: ReportInput) -> Submitted:
    """report_check, then report_store. Requires: nothing (anonymous intake)."""
    return report_store(report_check(data))


def _resent(earlier: Report, data: ReportInput) -> Submitted:
    """The answer to a resent client UUID: a fresh tracking code only for the same client."""
    mine = same_client(report=earlier, channel=data.channel, client_key=data.client_key, user=data.user,
                       category=data.category, description=data.description)
    return Submitted(report=earlier, tracking_code=code_reissue(report=earlier) if mine else None,
                     resent=True)


def _earlier(client_uuid: uuid.UUID) -> Report | None:
    pk = lookups.report_with_uuid(client_uuid)
    return Report.objects.get(pk=pk) if pk is not None else None
