"""Reading Open311 parameters. Every problem names the parameter and the reason, and becomes
a 400 in the standard's error shape; nothing is stored on the way."""

import datetime as dt
import math
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.regions.places import place_resolve
from polmas.reports.intake import ReportInput
from polmas.reports.models import Category, Report
from polmas.reports.open311.public import STATUSES_FOR
from polmas.reports.open311.serializers import Open311Error

WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
MAX_PARAM = 2000
MAX_NAME = 70  # each of first_name and last_name; intake keeps 150 for the whole name
ATTRIBUTES = ("village", "occurred_at")


def bad(param: str, reason: str, code: int = 400) -> Open311Error:
    return Open311Error([(code, f"{param}: {reason}")])


def _values(query: QueryDict, param: str) -> list[str]:
    """A parameter that may be repeated and comma-separated, as a list of non-empty values."""
    raw = ",".join(query.getlist(param))
    if len(raw) > MAX_PARAM:
        raise bad(param, _("the value is longer than %(max)d characters.") % {"max": MAX_PARAM})
    return [v.strip() for v in raw.split(",") if v.strip()]


def parse_when(param: str, text: str, *, end: bool = False) -> dt.datetime:
    """A W3C/ISO 8601 date or date-time. A bare date means the whole day; a time without an
    offset is read in Indonesian western time (the server's zone)."""
    text = text.strip()
    if len(text) > 40 or not text[:4].isdigit():
        raise bad(param, _("%(value)s is not a date-time like 2025-03-01T08:00:00+07:00.")
                  % {"value": text[:40]})
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.min)
            if end:
                moment += dt.timedelta(days=1, microseconds=-1)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad(param, _("%(value)s is not a date-time like 2025-03-01T08:00:00+07:00.")
                  % {"value": text[:40]}) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@dataclass
class RequestQuery:
    ids: list[int]
    service_codes: list[str]
    statuses: list[str]
    start: dt.datetime
    end: dt.datetime


def _ids(query: QueryDict) -> list[int]:
    ids = []
    for value in _values(query, "service_request_id"):
        if not value.isdecimal() or len(value) > 18:
            raise bad("service_request_id", _("%(value)s is not a request number.")
                      % {"value": value[:20]})
        ids.append(int(value))
    if len(ids) > MAX_RESULTS:
        raise bad("service_request_id", _("ask for at most %(max)d requests at once.")
                  % {"max": MAX_RESULTS})
    return ids


def _window(query: QueryDict) -> tuple[dt.datetime, dt.datetime]:
    start_text, end_text = query.get("start_date", ""), query.get("end_date", "")
    start = parse_when("start_date", start_text) if start_text.strip() else None
    end = parse_when("end_date", end_text, end=True) if end_text.strip() else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if start > end:
        raise bad("end_date", _("the end lies before start_date."))
    if end - start > WINDOW:
        raise bad("end_date", _("start_date and end_date may span at most 90 days."))
    return start, end


def request_query(query: QueryDict) -> RequestQuery:
    """The filters of GET requests.json. Raises Open311Error naming the bad parameter."""
    ids = _ids(query)
    codes = _values(query, "service_code")
    known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            raise bad("service_code", _("no service has code %(code)s.") % {"code": code[:40]})
    statuses = _values(query, "status")
    for status in statuses:
        if status not in STATUSES_FOR:
            raise bad("status", _("%(value)s is not a status; use open or closed.")
                      % {"value": status[:20]})
    start, end = _window(query)
    return RequestQuery(ids=ids, service_codes=codes, statuses=statuses, start=start, end=end)


def report_filter(query: RequestQuery) -> dict:
    """Keyword filters on Report for `query` (ids override every other filter, per the spec)."""
    if query.ids:
        return {"pk__in": query.ids}
    found: dict = {"created_at__gte": query.start, "created_at__lte": query.end}
    if query.service_codes:
        found["category__code__in"] = query.service_codes
    if query.statuses:
        found["status__in"] = [s for name in query.statuses for s in STATUSES_FOR[name]]
    return found


def _text(form: QueryDict, param: str, limit: int | None = None) -> str:
    value = form.get(param, "")
    if "\x00" in value:
        raise bad(param, _("the value contains a NUL character."))
    if limit is not None and len(value) > limit:
        raise bad(param, _("the value is longer than %(max)d characters.") % {"max": limit})
    return value.strip()


def _coordinate(form: QueryDict, param: str) -> float | None:
    text = _text(form, param, 40)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise bad(param, _("%(value)s is not a number.") % {"value": text})
    return value


def _attributes(form: QueryDict) -> dict[str, str]:
    found = {}
    for name in form:
        if name.startswith("attribute["):
            code = name[len("attribute["):-1] if name.endswith("]") else ""
            if code not in ATTRIBUTES:
                shown = "".join(c if c.isprintable() else "?" for c in name[:60])
                raise bad(shown, _("unknown attribute; see the service definition."))
            found[code] = _text(form, name, 40)
    return found


ADDRESS_CHOICES = 5  # villages named in the answer to an ambiguous address_string
ADDRESS_PARTS = 6  # comma-separated parts of an address_string tried, from its end


def address_village(text: str) -> str:
    """The village code an address_string names, read as the report form reads a place name.

    The spec writes an address from the most specific part to the most general ("Jl. Raya 5,
    Les, Tejakula"): the street is dropped part by part until a village is found. Several
    villages of that name are the spec's 400, naming some of them with their codes."""
    # Postal codes and the country name a client may append are no villages; at most the
    # last few parts are tried (village, district, regency, province).
    parts = [p.strip() for p in text.split(",")
             if p.strip() and not p.strip().isdigit() and p.strip().lower() != "indonesia"]
    parts = parts[-ADDRESS_PARTS:]
    first_error = ""
    for start in range(len(parts)):
        place = place_resolve(text=", ".join(parts[start:]))
        if place.village is not None:
            return place.village.code
        if place.choices:
            shown = "; ".join(f"{v.name} ({', '.join(a.name for a in _areas_of(v))}): {v.code}"
                              for v in place.choices[:ADDRESS_CHOICES])
            raise bad("address_string", _("several villages have this name (%(villages)s); add the "
                                          "district after a comma, or give address_id.")
                      % {"villages": shown})
        first_error = first_error or place.error
    raise bad("address_string", first_error or _("Type the name of the village."))


def _areas_of(village) -> list:
    out, node = [], village.parent
    while node is not None and len(out) < 2:
        out.append(node)
        node = node.parent
    return out


def _village(form: QueryDict, attributes: dict[str, str]) -> tuple[str, str]:
    """(village code, the parameter it came from). address_string is read only when nothing
    more precise (address_id, attribute[village], lat and long) is given."""
    address_id, attribute = _text(form, "address_id", 40), attributes.get("village", "")
    if address_id and attribute and address_id != attribute:
        raise bad("address_id", _("address_id and attribute[village] name different villages."))
    if attribute and not address_id:
        return attribute, "attribute[village]"
    address = _text(form, "address_string", MAX_PARAM)
    if not address_id and address and not (_text(form, "lat", 40) or _text(form, "long", 40)):
        return address_village(address), "address_string"
    return address_id, "address_id"


def submission(form: QueryDict, *, client_key: str) -> tuple[ReportInput, dict[str, str]]:
    """A POSTed request as intake input, and the parameter each intake field came from."""
    service_code = _text(form, "service_code", 40)
    if not service_code:
        raise bad("service_code", _("choose a service; see services.json."))
    attributes = _attributes(form)
    village, village_param = _village(form, attributes)
    occurred = attributes.get("occurred_at", "")
    name = " ".join(p for p in (_text(form, "first_name", MAX_NAME), _text(form, "last_name", MAX_NAME)) if p)
    phone, email = _text(form, "phone", 40), _text(form, "email", 254)
    data = ReportInput(
        category=service_code,
        # The length limit and its message are intake's; only NUL is refused here, because
        # PostgreSQL cannot store it.
        description=_text(form, "description"),
        channel=Report.Channel.OPEN311,
        village=village,
        latitude=_coordinate(form, "lat"),
        longitude=_coordinate(form, "long"),
        occurred_at=parse_when("attribute[occurred_at]", occurred) if occurred else None,
        anonymous=not (name or phone or email),
        name=name,
        phone=phone,
        email=email,
        reply_channel="email" if email else "sms" if phone else "",
        client_key=client_key,
    )
    fields = {"category": "service_code", "village": village_param, "latitude": "lat",
              "longitude": "long", "occurred_at": "attribute[occurred_at]", "name": "first_name",
              "reply_channel": "email" if email else "phone"}
    return data, fields
