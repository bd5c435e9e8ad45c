"""Police units and officers, as far as the caller's scope reaches."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from polmas.core.api import DETAIL_ERRORS, READ_ERRORS, Page, RecordId, not_found, stable
from polmas.policing import selectors
from polmas.policing.models import PoliceUnit

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
