"""Police units and officers, as far as the caller's scope reaches."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from polmas.core.api import (
    DETAIL_ERRORS,
    FILLED,
    NO_NUL,
    READ_ERRORS,
    ApiError,
    ErrorOut,
    Page,
    RecordId,
    not_found,
    one_of,
    service_errors,
    stable,
)
from polmas.policing import selectors, services
from polmas.policing.models import Assignment, Equipment, Officer, PoliceUnit
from polmas.regions import codes
from polmas.regions.codes import VILLAGE_PATTERN
from polmas.regions.models import Region

router = Router(tags=["policing"])

SCOPE_NOTE = (" Only records in your scope; one outside it answers 404 as if it did not exist."
              " Residents see none.")


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    region_code: str | None
    jurisdiction: list[str]

    @staticmethod
    def resolve_region_code(obj) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_jurisdiction(obj) -> list[str]:
        return obj.prefixes()


class AssignmentOut(Schema):
    village_code: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village_id


# Officers' phone and email are personal data and stay out of the API.
class OfficerOut(Schema):
    id: int
    nrp: str
    name: str
    rank: str
    unit_id: int
    active: bool
    villages: list[str]

    @staticmethod
    def resolve_villages(obj) -> list[str]:
        return [a.village_id for a in obj.assignments.all() if a.end is None]


class OfficerDetailOut(OfficerOut):
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj) -> list:
        return list(obj.assignments.all())


@router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, summary="Police units in my scope",
            description="Units with a jurisdiction inside your scope." + SCOPE_NOTE)
@paginate(Page)
def unit_list(request: HttpRequest, kind: PoliceUnit.Kind | None = None):
    qs = selectors.unit_list(user=request.auth).prefetch_related("jurisdiction")
    if kind:
        qs = qs.filter(kind=kind)
    return stable(qs, "region_id", "kind")


@router.get("/units/{unit_id}", response={200: UnitOut, **DETAIL_ERRORS}, summary="One police unit",
            description=SCOPE_NOTE.strip())
def unit_detail(request: HttpRequest, unit_id: RecordId):
    unit = selectors.unit_get(user=request.auth, unit_id=unit_id)
    if unit is None:
        raise not_found()
    return unit


@router.get("/officers", response={200: list[OfficerOut], **READ_ERRORS}, summary="Officers in my scope",
            description="Officers of units in your scope, and officers posted to a village in it."
            + SCOPE_NOTE)
@paginate(Page)
def officer_list(request: HttpRequest, active: bool | None = None):
    qs = selectors.officer_list(user=request.auth).prefetch_related("assignments")
    if active is not None:
        qs = qs.filter(active=active)
    return stable(qs, "name")


@router.get("/officers/{officer_id}", response={200: OfficerDetailOut, **DETAIL_ERRORS},
            summary="One officer, with the history of their village postings",
            description=SCOPE_NOTE.strip())
def officer_detail(request: HttpRequest, officer_id: RecordId):
    officer = selectors.officer_get(user=request.auth, officer_id=officer_id)
    if officer is None:
        raise not_found()
    return officer


# --- managing officers: postings, training, equipment (policing.services) ---------------------

MANAGE_NOTE = (" For an admin, or a supervisor whose scope covers the officer's unit; an officer "
               "outside your scope answers 404, one in scope you may not manage 403. Audited.")


class PostIn(Schema):
    village: str = Field(max_length=13, description="the village's code, in the jurisdiction of the "
                         "officer's unit and in your scope", json_schema_extra={"pattern": VILLAGE_PATTERN})
    start: dt.date
    replace: bool = Field(False, description="end the village's current Bhabinkamtibmas's posting "
                          "the day before")


class TransferIn(Schema):
    village: str = Field(max_length=13, json_schema_extra={"pattern": VILLAGE_PATTERN})
    start: dt.date


class EndIn(Schema):
    end: dt.date


class TrainingIn(Schema):
    course: str = Field(min_length=1, max_length=150, json_schema_extra={"pattern": FILLED})
    completed_on: dt.date
    provider: str = Field("", max_length=150, json_schema_extra={"pattern": NO_NUL})
    certificate: str = Field("", max_length=50, json_schema_extra={"pattern": NO_NUL})


class EquipmentIn(Schema):
    kind: one_of(Equipment.Kind)
    condition: one_of(Equipment.Condition) = Equipment.Condition.GOOD.value
    description: str = Field("", max_length=150, json_schema_extra={"pattern": NO_NUL})
    acquired_on: dt.date | None = None


class TrainingOut(Schema):
    id: int
    course: str
    provider: str
    completed_on: dt.date
    certificate: str


class EquipmentOut(Schema):
    id: int
    kind: str
    condition: str
    description: str
    acquired_on: dt.date | None


WRITE = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut}


def _managed(request: HttpRequest, officer_id: int) -> Officer:
    officer = selectors.officer_get(user=request.auth, officer_id=officer_id)
    if officer is None:
        raise not_found()
    if not services.can_manage(request.auth, officer):
        raise ApiError(403, _("You may not manage officers of %(unit)s.") % {"unit": officer.unit})
    return officer


def _village(code: str) -> Region:
    village = Region.objects.filter(code=code, level=codes.VILLAGE).first()
    if village is None:
        raise ApiError.for_field(400, "village", _("No village has code %(code)s.") % {"code": code[:20]})
    return village


def _posting(officer: Officer, assignment_id: int) -> Assignment:
    found = officer.assignments.filter(pk=assignment_id).first()
    if found is None:
        raise not_found()
    return found


def _outside(exc: PermissionDenied) -> ApiError:
    # The village lies outside the caller's area: a refusal of the field, not of the officer.
    return ApiError.for_field(400, "village", str(exc))


def _fresh(officer: Officer) -> Officer:
    return Officer.objects.prefetch_related("assignments").get(pk=officer.pk)


@router.post("/officers/{officer_id}/assignments", response={200: OfficerDetailOut, **WRITE},
             summary="Post an officer to a village",
             description="Refused (400, field `village`) for a village outside the officer's unit's "
             "jurisdiction or your scope, or one that has an active Bhabinkamtibmas (unless "
             "`replace`)." + MANAGE_NOTE)
def officer_post(request: HttpRequest, officer_id: RecordId, payload: PostIn):
    officer = _managed(request, officer_id)
    village = _village(payload.village)
    with service_errors():
        try:
            services.assignment_start(actor=request.auth, officer=officer, village=village,
                                      start=payload.start, replace=payload.replace)
        except PermissionDenied as exc:
            raise _outside(exc) from None
    return _fresh(officer)


@router.post("/officers/{officer_id}/assignments/{assignment_id}/transfer",
             response={200: OfficerDetailOut, **WRITE}, summary="Transfer an officer to another village",
             description="Ends the posting the day before `start` and posts the officer to `village`; "
             "the same checks as a new posting." + MANAGE_NOTE)
def officer_transfer(request: HttpRequest, officer_id: RecordId, assignment_id: RecordId,
                     payload: TransferIn):
    officer = _managed(request, officer_id)
    posting = _posting(officer, assignment_id)
    village = _village(payload.village)
    with service_errors():
        try:
            services.assignment_transfer(actor=request.auth, assignment=posting, village=village,
                                         start=payload.start)
        except PermissionDenied as exc:
            raise _outside(exc) from None
    return _fresh(officer)


@router.post("/officers/{officer_id}/assignments/{assignment_id}/end",
             response={200: OfficerDetailOut, **WRITE}, summary="End an officer's posting",
             description=MANAGE_NOTE.strip())
def officer_posting_end(request: HttpRequest, officer_id: RecordId, assignment_id: RecordId,
                        payload: EndIn):
    officer = _managed(request, officer_id)
    posting = _posting(officer, assignment_id)
    with service_errors():
        services.assignment_end(actor=request.auth, assignment=posting, end=payload.end)
    return _fresh(officer)


@router.post("/officers/{officer_id}/training", response={200: TrainingOut, **WRITE},
             summary="Record a course an officer completed",
             description="Sending the same record again returns the one stored." + MANAGE_NOTE)
def officer_training(request: HttpRequest, officer_id: RecordId, payload: TrainingIn):
    officer = _managed(request, officer_id)
    with service_errors():
        return services.training_record_add(actor=request.auth, officer=officer, **payload.dict())


@router.post("/officers/{officer_id}/equipment", response={200: EquipmentOut, **WRITE},
             summary="Record an item of equipment issued to an officer", description=MANAGE_NOTE.strip())
def officer_equipment(request: HttpRequest, officer_id: RecordId, payload: EquipmentIn):
    officer = _managed(request, officer_id)
    with service_errors():
        return services.equipment_add(actor=request.auth, unit=officer.unit, officer=officer,
                                      **payload.dict())
