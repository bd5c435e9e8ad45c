import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from polmas.policing import selectors

router = Router(tags=["policing"])


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    region_code: str | None
    jurisdiction: list[str]

    @staticmethod
    def resolve_region_code(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.region_id

    @staticmethod
    def resolve_jurisdiction(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return obj.prefixes()


class AssignmentOut(Schema):
    village_code: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_village_code(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.village_id


class OfficerOut(Schema):
    id: int
    nrp: str
    name: str
    rank: str
    unit_id: int
    active: bool
    villages: list[str]

    @staticmethod
    def resolve_villages(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [a.village_id for a in obj.assignments.all() if a.end is None]


class OfficerDetailOut(OfficerOut):
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj) -> list:  # type: ignore[no-untyped-def]
        return list(obj.assignments.all())


@router.get("/units", response=list[UnitOut], summary="Police units in my scope")
@paginate(LimitOffsetPagination)
def unit_list(request: HttpRequest, kind: str | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.unit_list(user=request.auth).prefetch_related("jurisdiction")
    return qs.filter(kind=kind) if kind else qs


@router.get("/units/{unit_id}", response=UnitOut, summary="One police unit")
def unit_detail(request: HttpRequest, unit_id: int):  # type: ignore[no-untyped-def]
    unit = selectors.unit_get(user=request.auth, unit_id=unit_id)
    if unit is None:
        raise HttpError(404, _("Not found."))
    return unit


@router.get("/officers", response=list[OfficerOut], summary="Officers in my scope")
@paginate(LimitOffsetPagination)
def officer_list(request: HttpRequest, active: bool | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.officer_list(user=request.auth).prefetch_related("assignments")
    return qs.filter(active=active) if active is not None else qs


@router.get("/officers/{officer_id}", response=OfficerDetailOut, summary="One officer")
def officer_detail(request: HttpRequest, officer_id: int):  # type: ignore[no-untyped-def]
    officer = selectors.officer_get(user=request.auth, officer_id=officer_id)
    if officer is None:
        raise HttpError(404, _("Not found."))
    return officer
