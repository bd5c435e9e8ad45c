"""What Open311 publishes: the service catalogue, and requests without anything personal.

A request is published at its village's centre (never its exact coordinates), with no
reporter identity, no photo, phone numbers, e-mail addresses, NIK-like numbers and
recognisable names in its text and notes scrubbed (core.scrub), and no text at all once
moderation hid it. Spam is never listed. Requests in sensitive categories, and requests whose
text tells of a sensitive matter (held for moderation until a moderator releases them), are
never published: they are missing from every listing and unknown by id.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from polmas.core.scrub import scrub
from polmas.policing.models import Jurisdiction
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.models import Category, Report

OPEN = (Report.Status.RECEIVED, Report.Status.IN_PROGRESS)
CLOSED = (Report.Status.RESOLVED, Report.Status.CLOSED)
STATUS_OF = {**dict.fromkeys(OPEN, "open"), **dict.fromkeys(CLOSED, "closed")}
STATUSES_FOR = {"open": OPEN, "closed": CLOSED}

# Loaded for the public answer; reporter contact, exact coordinates, photo and client
# address are never even read from the database here. (The reporter's name is: it is
# scrubbed from the text, never published.)
PRIVATE_FIELDS = ("reporter_phone", "reporter_email", "latitude", "longitude",
                  "photo", "client_key", "tracking_hash", "submitted_by")


def sealed_note() -> str:
    return _("Sensitive: requests of this kind are sealed and never published; only the officers "
             "handling them read them. Follow yours with the tracking code given in the notice "
             "when you post it. In danger, call 110; for help for women and children, call SAPA "
             "129 or the UPTD PPA of your regency.")


def ordinary_note(category: Category) -> str:
    """What a service without a written description is for, and what to send with it."""
    return _("%(service)s: sent to the village's Bhabinkamtibmas and its FKPM. Say where: the "
             "village (address_id, or its name in address_string) or the place (lat and long). "
             "Published at the village's centre, without your name or contact. In an emergency, "
             "call 110.") % {"service": category.name}


def service_out(category: Category) -> dict:
    """One entry of services.json."""
    description = category.description
    if category.sensitive:
        description = f"{description} {sealed_note()}".strip()
    elif not description.strip():
        description = ordinary_note(category)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": description,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(category.keyword_list()),
        "group": category.group,
    }


def service_definition(category: Category) -> dict:
    """services/{code}.json: our optional fields, sent as attribute[code]."""
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True, "code": "village", "datatype": "string", "required": False,
                "datatype_description": _("Kemendagri village code, like 51.08.09.2007"),
                "order": 1,
                "description": _("The village where it happened (same as address_id). Needed "
                                 "unless lat and long are given."),
                "values": [],
            },
            {
                "variable": True, "code": "occurred_at", "datatype": "datetime", "required": False,
                "datatype_description": _("W3C date-time, like 2025-03-01T20:30:00+08:00"),
                "order": 2,
                "description": _("When it happened, if not just now."),
                "values": [],
            },
        ],
    }


def public_requests() -> QuerySet[Report]:
    """Requests anyone may see: not sensitive (by report or by its category now), not held
    for moderation, not spam."""
    return (
        Report.objects.exclude(Q(sensitive=True) | Q(category__sensitive=True))
        .filter(spam=False, held=False)
        .select_related("category", "village__parent__parent")
        .defer(*PRIVATE_FIELDS)
        .order_by("-created_at", "-pk")
    )


def public_text(report: Report) -> str:
    """The report's text as published: empty if hidden, contact details and names scrubbed."""
    return scrub(report.shown_description, names=[report.reporter_name])


def w3c(moment: dt.datetime | None, offset_hours: int | None) -> str | None:
    """A W3C date-time in the region's zone (WIB, WITA, WIT), with its offset."""
    if moment is None:
        return None
    zone = dt.timezone(dt.timedelta(hours=offset_hours if offset_hours is not None else 7))
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _address(village: Region) -> str:
    names = [village.name]
    district = village.parent
    if district is not None:
        names.append(district.name)
        if district.parent is not None:
            names.append(district.parent.name)
    return ", ".join(names)


def agencies_for(village_codes: set[str]) -> dict[str, str]:
    """The name of the Polsek answering for each village, in one query: the active Polsek
    with the narrowest jurisdiction covering it, as policing.tree.unit_for_region decides."""
    prefixes = {p for code in village_codes for p in codes.ancestors(code)} | {""}
    names: dict[str, str] = {}
    rows = (Jurisdiction.objects.filter(prefix__in=prefixes, unit__kind="polsek", unit__active=True)
            .order_by("prefix", "unit_id").values_list("prefix", "unit__name"))
    for prefix, name in rows:
        names.setdefault(prefix, name)
    found = {}
    for code in village_codes:
        narrowest_first = reversed(["", *codes.ancestors(code)])
        found[code] = next((names[p] for p in narrowest_first if p in names), "")
    return found


def requests_out(reports: list[Report]) -> list[dict]:
    """Reports as published requests."""
    agencies = agencies_for({r.village_id for r in reports})
    return [request_out(r, agencies.get(r.village_id, "")) for r in reports]


def request_out(report: Report, agency: str) -> dict:
    """One published request; `agency` names the Polsek answering for its village."""
    village = report.village
    notes = scrub(report.public_summary)
    if report.duplicate_of_id:
        merged = _("Merged into request %(id)s, which is followed from now on.") % {
            "id": report.duplicate_of_id}
        notes = f"{merged} {notes}".strip()
    return {
        "service_request_id": report.pk,
        "status": STATUS_OF.get(report.status, "open"),
        "status_notes": notes,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": public_text(report),
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": w3c(report.created_at, village.utc_offset),
        "updated_datetime": w3c(report.updated_at, village.utc_offset),
        "expected_datetime": None,
        "address": _address(village),
        "address_id": village.code,
        "zipcode": village.postal_code,
        "lat": village.latitude,
        "long": village.longitude,
        # media_url is left out: photos are never published (an empty one reads as a link).
        "duplicate_of": report.duplicate_of_id,
    }
