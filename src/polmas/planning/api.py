"""The road map and the replication planner over HTTP: proposals (scenarios), applying them,
targets, milestones and progress."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from polmas.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ApiError,
    ErrorOut,
    RecordId,
    not_found,
    one_of,
    service_errors,
)
from polmas.planning import progress, selectors, services
from polmas.planning.models import Indicator, Milestone

router = Router(tags=["planning"])
WRITE = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut}
REGION = r"^([0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?)?$"


class ProposalIn(Schema):
    region: str = Field("", pattern=REGION, description='province, regency or district code; "" the country')
    k: int = Field(description="villages per officer, at most (1 or more)")
    d_km: float = Field(description="km within which one officer's villages lie (above 0)")
    move_penalty: float = Field(1.0, description="need points a moved officer costs (0-100)")
    add_officers: int = Field(0, description="new officers to place (0 or more)")
    name: str = Field("", max_length=120, description="a scenario name")


class PostingOut(Schema):
    officer: str
    villages: list[str]


class ProposalOut(Schema):
    id: int
    region: str = Field(alias="region_code")
    name: str
    k: int
    d_km: float
    move_penalty: float
    add_officers: int
    coverage_before: float
    coverage_after: float
    greedy_coverage: float
    gap_max: float
    moved: int
    need_covered: float
    applied: bool
    postings: list[PostingOut]

    @staticmethod
    def resolve_applied(obj) -> bool:
        return obj.applied_at is not None

    @staticmethod
    def resolve_postings(obj) -> list[dict]:
        return obj.result.get("postings", [])


class AppliedOut(Schema):
    officers_changed: int


class TargetIn(Schema):
    region: str = Field("", pattern=r"^([0-9]{2}(\.[0-9]{2})?)?$",
                        description='province or regency code; "" the country')
    indicator: one_of(Indicator)  # type: ignore[valid-type]
    year: int = Field(description="this year or later")
    value: float = Field(description="0-100 for a percentage; days (above 0, at most 365) for median_days")


class TargetOut(Schema):
    region: str = Field(alias="region_code")
    indicator: str
    year: int
    value: float


class MilestoneIn(Schema):
    region: str = Field("", pattern=REGION)
    title: str = Field(max_length=200)
    owner: one_of(Milestone.Owner)  # type: ignore[valid-type]
    owner_name: str = Field("", max_length=150)
    due: dt.date
    status: one_of(Milestone.Status) = Milestone.Status.PLANNED  # type: ignore[valid-type]


class MilestoneChangeIn(Schema):
    status: one_of(Milestone.Status) | None = None  # type: ignore[valid-type]
    due: dt.date | None = None
    owner: one_of(Milestone.Owner) | None = None  # type: ignore[valid-type]
    owner_name: str | None = Field(None, max_length=150)
    seen: dict[str, str] | None = Field(
        None, description="the values you read ({field: text}, dates as YYYY-MM-DD): when one "
        "changed since, 409 names it and nothing is saved")


class MilestoneOut(Schema):
    id: int
    region: str = Field(alias="region_code")
    title: str
    owner: str
    owner_name: str
    due: dt.date
    status: str


class ProgressOut(Schema):
    indicator: str
    target: float | None
    target_from: str | None
    year: int
    actual: float | None
    actual_year: int | None
    projection: float | None
    projection_low: float | None
    projection_high: float | None
    status: str


def _refused_scope(exc: PermissionDenied) -> ApiError:
    return ApiError.for_field(400, "region", str(exc))


@router.post("/planning/proposals", response={200: ProposalOut, **WRITE},
             summary="Run the replication planner and save the proposal (a scenario)",
             description="Requires a planner, supervisor or admin whose scope covers the region. "
             "Refused (400) for k < 1, d_km <= 0, a region outside your scope (field `region`, "
             "or `add_officers` when adding officers there).")
def proposal_create(request: HttpRequest, payload: ProposalIn):
    with service_errors():
        try:
            return services.proposal_create(
                actor=request.auth, region=payload.region, k=payload.k, d_km=payload.d_km,
                move_penalty=payload.move_penalty, add_officers=payload.add_officers,
                name=payload.name)
        except services.NotPlanner as exc:
            raise ApiError(403, str(exc)) from None
        except PermissionDenied as exc:
            raise _refused_scope(exc) from None


@router.get("/planning/proposals", response={200: list[ProposalOut], **READ_ERRORS},
            summary="Proposals and scenarios in my scope")
def proposal_list(request: HttpRequest):
    return list(selectors.proposal_list(user=request.auth)[:100])


@router.get("/planning/proposals/{proposal_id}", response={200: ProposalOut, **DETAIL_ERRORS},
            summary="One proposal")
def proposal_detail(request: HttpRequest, proposal_id: RecordId):
    proposal = selectors.proposal_get(user=request.auth, proposal_id=proposal_id)
    if proposal is None:
        raise not_found()
    return proposal


@router.post("/planning/proposals/{proposal_id}/apply",
             response={200: AppliedOut, 409: ErrorOut, **WRITE},
             summary="Apply a proposal to your Polres or Polsek",
             description="Through the posting services, one audited change per officer. 409 and "
             "nothing applied when the postings changed since the proposal was computed.")
def proposal_apply(request: HttpRequest, proposal_id: RecordId):
    proposal = selectors.proposal_get(user=request.auth, proposal_id=proposal_id)
    if proposal is None:
        raise not_found()
    with service_errors(conflict_field="proposal"):
        return {"officers_changed": services.proposal_apply(actor=request.auth, proposal=proposal)}


@router.post("/planning/targets", response={200: TargetOut, **WRITE}, summary="Set a target",
             description="Refused (400) for a value outside 0-100% (or 0-365 days), a past year, "
             "or a region outside your scope.")
def target_set(request: HttpRequest, payload: TargetIn):
    with service_errors():
        try:
            return services.target_set(actor=request.auth, region=payload.region,
                                       indicator=payload.indicator, year=payload.year,
                                       value=payload.value)
        except services.NotPlanner as exc:
            raise ApiError(403, str(exc)) from None
        except PermissionDenied as exc:
            raise _refused_scope(exc) from None


@router.post("/planning/milestones", response={200: MilestoneOut, **WRITE}, summary="Add a milestone")
def milestone_add(request: HttpRequest, payload: MilestoneIn):
    with service_errors():
        try:
            return services.milestone_save(actor=request.auth, region=payload.region,
                                           title=payload.title, owner=payload.owner,
                                           owner_name=payload.owner_name, due=payload.due,
                                           status=payload.status)
        except services.NotPlanner as exc:
            raise ApiError(403, str(exc)) from None
        except PermissionDenied as exc:
            raise _refused_scope(exc) from None


@router.patch("/planning/milestones/{milestone_id}",
              response={200: MilestoneOut, 409: ErrorOut, **WRITE},
              summary="Change a milestone's status, due date or owner",
              description="A planner or supervisor over the milestone's region, or an admin (403 "
              "otherwise; 404 outside what you may read). 409 naming the field when a value in "
              "`seen` changed since you read it.")
def milestone_change(request: HttpRequest, milestone_id: RecordId, payload: MilestoneChangeIn):
    found = selectors.milestone_get(user=request.auth, milestone_id=milestone_id)
    if found is None:
        raise not_found()
    with service_errors():
        try:
            return services.milestone_update(
                actor=request.auth, milestone=found, status=payload.status, due=payload.due,
                owner=payload.owner, owner_name=payload.owner_name, seen=payload.seen)
        except services.MilestoneChanged as exc:
            raise ApiError.for_field(409, exc.field, str(exc)) from None
        except services.NotPlanner as exc:
            raise ApiError(403, str(exc)) from None


@router.get("/planning/progress", response={200: list[ProgressOut], **DETAIL_ERRORS},
            summary="Progress against the targets of a region for a year")
def progress_get(request: HttpRequest, year: Annotated[int, Query(ge=2000, le=2100)],
                 region: Annotated[str, Query(pattern=REGION)] = ""):
    if not selectors.may_open(request.auth, region):
        raise not_found()
    rows = progress.progress(region, year)
    return [{"indicator": r.indicator, "target": r.target, "target_from": r.target_from,
             "year": r.year, "actual": r.actual, "actual_year": r.actual_year,
             "projection": r.projection.value if r.projection else None,
             "projection_low": r.projection.low if r.projection else None,
             "projection_high": r.projection.high if r.projection else None,
             "status": r.status} for r in rows]

