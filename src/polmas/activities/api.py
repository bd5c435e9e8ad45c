"""Officer activities, rotating security rosters and disaster mode. Thin: the rules live in
services, rosters, disaster and selectors."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from polmas.access.scope import scope_for
from polmas.activities import disaster, rosters, selectors, services
from polmas.activities.api_schemas import (
    ActivityFilter,
    ActivityIn,
    ActivityOut,
    CheckInIn,
    DisasterEndIn,
    DisasterIn,
    DisasterOut,
    PlaceOut,
    RosterDetailOut,
    RosterIn,
    RosterOut,
    RosterVersionIn,
    SwapIn,
)
from polmas.activities.models import Activity, Roster
from polmas.core.api import DETAIL_ERRORS, READ_ERRORS, ApiError, ErrorOut, Page, RecordId, not_found, stable
from polmas.core.api import service_errors as core_service_errors
from polmas.core.scope import prefix_q
from polmas.regions import codes

router = Router(tags=["activities"])

SCOPE_NOTE = (" Only records in your scope; one outside it answers 404 as if it did not exist.")
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


@contextmanager
def service_errors() -> Iterator[None]:
    """The shared refusals (a conflict names no field), and a record that is not there."""
    with core_service_errors(conflict_field=""):
        try:
            yield
        except Http404:
            raise not_found() from None


# --- activities ----------------------------------------------------------------------------

@router.post("/activities", response={201: ActivityOut, 200: ActivityOut, **WRITE_ERRORS},
             summary="Record an activity (officers)",
             description="A visit needs `households` (at least 1); outreach needs `topic` and "
             "`audience`; detection and coordination need a `summary`. The village must be one of "
             "yours (else 400 on `village`). Resending the same `client_uuid` with the same content "
             "answers 200 with the stored activity; with other content 409, and nothing changes.")
def activity_create(request: HttpRequest, payload: ActivityIn):
    with service_errors():
        activity, created = services.activity_record(
            actor=request.auth, data=services.ActivityInput(**payload.dict()))
    return Status(201 if created else 200, activity)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _filtered(qs: QuerySet[Activity], f: ActivityFilter) -> QuerySet[Activity]:
    if f.kind:
        if f.kind not in Activity.Kind.values:
            raise ApiError.for_field(400, "kind", _("must be one of: %(kinds)s.") % {
                "kinds": ", ".join(Activity.Kind.values)})
        qs = qs.filter(kind=f.kind)
    if f.region:
        if not codes.is_valid(f.region):
            raise ApiError.for_field(400, "region", _("is not a region code like 51 or 51.08.09.2007"))
        qs = qs.filter(prefix_q("village_id", [f.region]))
    if f.since and f.until and f.until < f.since:
        raise ApiError.for_field(400, "until", _("lies before since"))
    if f.since:
        qs = qs.filter(occurred_at__gte=_day_start(f.since))
    if f.until:
        qs = qs.filter(occurred_at__lt=_day_start(f.until + dt.timedelta(days=1)))
    return stable(qs, "-occurred_at")


@router.get("/activities", response={200: list[ActivityOut], 400: ErrorOut, **READ_ERRORS},
            summary="Activities in my scope",
            description="Newest first. Early-detection reports are confidential: only their officer, "
            "supervisors and PPA officers in scope list them." + SCOPE_NOTE)
@paginate(Page)
def activity_list(request: HttpRequest, filters: Query[ActivityFilter]):
    return _filtered(selectors.activity_list(user=request.auth), filters)


@router.get("/activities/{activity_id}", response={200: ActivityOut, **DETAIL_ERRORS},
            summary="One activity", description=SCOPE_NOTE.strip())
def activity_detail(request: HttpRequest, activity_id: RecordId):
    activity = selectors.activity_get(user=request.auth, activity_id=activity_id)
    if activity is None:
        raise not_found()
    return activity


# --- rosters -------------------------------------------------------------------------------

def _roster_detail(roster: Roster) -> dict:
    table = selectors.roster_table(roster)
    shifts = []
    for row in table["rows"]:
        for post, shift in zip(table["posts"], row["cells"], strict=True):
            if shift is None:
                continue
            shifts.append({"night": row["night"], "post": post.name, "needed": shift.needed,
                           "volunteers": [PlaceOut(place=p.pk, volunteer_id=p.volunteer_id,
                                                   volunteer=p.volunteer.name, checked_in_at=p.checked_in_at)
                                          for p in shift.places.all()]})
    return {**RosterOut.from_orm(roster).dict(by_alias=True), "posts": [p.name for p in table["posts"]],
            "volunteers": [{"id": v.pk, "name": v.name, "available": v.available}
                           for v in roster.volunteers.all()],
            "shifts": shifts, "shortages": roster.shortages}


def _roster(request: HttpRequest, roster_id: int) -> Roster:
    roster = selectors.roster_get(user=request.auth, roster_id=roster_id)
    if roster is None:
        raise not_found()
    return roster


@router.get("/rosters", response={200: list[RosterOut], **READ_ERRORS}, summary="Rosters in my scope",
            description="Bhabinkamtibmas, FKPM members and supervisors see the rosters of their villages.")
@paginate(Page)
def roster_list(request: HttpRequest):
    return stable(selectors.roster_list(user=request.auth), "-start")


@router.post("/rosters", response={201: RosterDetailOut, **WRITE_ERRORS}, summary="Create a roster",
             description="Posts and volunteers (with the weekdays each is available). Generate the "
             "rotation afterwards with POST /rosters/{id}/generate.")
def roster_create(request: HttpRequest, payload: RosterIn):
    data = payload.dict()
    data["volunteers"] = [rosters.VolunteerInput(**v) for v in data["volunteers"]]
    with service_errors():
        roster = rosters.roster_save(actor=request.auth, data=rosters.RosterInput(**data))
    return Status(201, _roster_detail(roster))


@router.get("/rosters/{roster_id}", response={200: RosterDetailOut, **DETAIL_ERRORS},
            summary="One roster with its shifts and shortages", description=SCOPE_NOTE.strip())
def roster_detail(request: HttpRequest, roster_id: RecordId):
    return _roster_detail(_roster(request, roster_id))


@router.post("/rosters/{roster_id}/generate", response={200: RosterDetailOut, **WRITE_ERRORS},
             summary="Generate the fair rotation",
             description="Availability, the weekly limit and pairs (never one alone) always hold; "
             "post-nights that cannot be filled are listed in `shortages`. Under disaster mode the "
             "cover is doubled and every night is served. Refused (400) once anyone checked in.")
def roster_generate(request: HttpRequest, roster_id: RecordId, payload: RosterVersionIn):
    with service_errors():
        roster = rosters.roster_generate(actor=request.auth, roster_id=roster_id,
                                         version=payload.version)
    return _roster_detail(roster)


@router.post("/rosters/{roster_id}/swap", response={200: RosterDetailOut, **WRITE_ERRORS},
             summary="Two volunteers exchange shifts",
             description="Refused (400, naming `first` or `second`) if either would then break a rule.")
def roster_swap(request: HttpRequest, roster_id: RecordId, payload: SwapIn):
    with service_errors():
        rosters.roster_swap(actor=request.auth, roster_id=roster_id, first=payload.first,
                            second=payload.second, version=payload.version)
    return _roster_detail(_roster(request, roster_id))


@router.post("/rosters/{roster_id}/check-in", response={200: PlaceOut, **WRITE_ERRORS},
             summary="A volunteer came to their shift",
             description="Open on the shift's night and the day after; a repeat keeps the first time.")
def roster_check_in(request: HttpRequest, roster_id: RecordId, payload: CheckInIn):
    with service_errors():
        p = rosters.roster_check_in(actor=request.auth, roster_id=roster_id, place=payload.place)
    return PlaceOut(place=p.pk, volunteer_id=p.volunteer_id, volunteer=p.volunteer.name,
                    checked_in_at=p.checked_in_at)


# --- disaster mode -------------------------------------------------------------------------

@router.get("/disaster-modes", response={200: list[DisasterOut], **READ_ERRORS},
            summary="Active disaster modes touching my scope")
@paginate(Page)
def disaster_list(request: HttpRequest):
    scope = scope_for(request.auth)
    if not scope.prefixes:
        return disaster.disaster_active(prefixes=[]).none()
    return stable(disaster.disaster_active(prefixes=scope.prefixes), "-started_at")


@router.post("/disaster-modes", response={201: DisasterOut, **WRITE_ERRORS},
             summary="Switch disaster mode on for a district or village (supervisors)",
             description="Rosters generated there get double cover every night, and looting and "
             "security reports there go first in work queues.")
def disaster_on(request: HttpRequest, payload: DisasterIn):
    with service_errors():
        mode = disaster.disaster_start(actor=request.auth, prefix=payload.prefix, kind=payload.kind,
                                       reason=payload.reason)
    return Status(201, mode)


@router.post("/disaster-modes/end", response={200: DisasterOut, **WRITE_ERRORS},
             summary="Switch disaster mode off (supervisors)")
def disaster_off(request: HttpRequest, payload: DisasterEndIn):
    with service_errors():
        return disaster.disaster_end(actor=request.auth, prefix=payload.prefix)
