"""Early-warning alarms: the list and one alarm in scope, and what people do with one.

Thin: scope lives in selectors, rules in services."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from polmas.core.api import (
    DETAIL_ERRORS,
    PRINTABLE,
    PRINTABLE_FILLED,
    READ_ERRORS,
    ErrorOut,
    Page,
    RecordId,
    not_found,
    one_of,
    service_errors,
    stable,
)
from polmas.earlywarning import selectors, services
from polmas.earlywarning.groups import GROUPS, week_label
from polmas.earlywarning.models import Alarm
from polmas.earlywarning.text import alarm_sentence

router = Router(tags=["early warning"])

SCOPE_NOTE = (" Only alarms in your scope (a Bhabinkamtibmas: those naming one of their villages); "
              "one outside it answers 404. Sensitive matters are counted per district and shown to "
              "supervisors and PPA officers only.")
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


class AlarmOut(Schema):
    id: int
    region_code: str
    region_name: str
    category_group: Literal[GROUPS]  # type: ignore[valid-type]  # the groups, as published values
    week: str = Field(description="ISO week, YYYY-Www")
    weeks: int = Field(description="weeks counted in `observed` (ending with `week`)")
    villages: list[str]
    observed: int
    expected: float
    detector: one_of(Alarm.Detector)  # type: ignore[valid-type]
    status: one_of(Alarm.Status)  # type: ignore[valid-type]
    outcome: one_of(Alarm.Outcome)  # type: ignore[valid-type]
    reason: str
    case_id: int | None
    sentence: str
    created_at: dt.datetime


class AlarmFilter(Schema):
    status: one_of(Alarm.Status) | None = None  # type: ignore[valid-type]
    group: Literal[GROUPS] | None = None  # type: ignore[valid-type]


class DismissIn(Schema):
    reason: str = Field(max_length=services.MAX_REASON, pattern=PRINTABLE,
                        description="why the alarm is false (kept to count false alarms)",
                        json_schema_extra={"minLength": 1, "pattern": PRINTABLE_FILLED})


class AlarmCaseIn(Schema):
    village: str = Field("", max_length=13, pattern=PRINTABLE,
                         description="the village the case is about; required for a district alarm")


class AlarmCaseOut(Schema):
    alarm: AlarmOut
    case_id: int


def _out(alarm: Alarm) -> dict:
    return {"id": alarm.pk, "region_code": alarm.region_id, "region_name": alarm.region.name,
            "category_group": alarm.group, "week": week_label(alarm.week), "weeks": alarm.weeks,
            "villages": alarm.villages, "observed": alarm.observed, "expected": alarm.expected,
            "detector": alarm.detector, "status": alarm.status, "outcome": alarm.outcome,
            "reason": alarm.reason, "case_id": alarm.case_id, "sentence": alarm_sentence(alarm),
            "created_at": alarm.created_at}


def _fresh(request: HttpRequest, alarm_id: int) -> dict:
    alarm = selectors.alarm_get(user=request.auth, alarm_id=alarm_id)
    if alarm is None:
        raise not_found()
    return _out(alarm)


class _Lazy:
    """The queryset ninja's paginator slices and counts, each row mapped on the way out."""

    def __init__(self, qs) -> None:
        self.qs = qs

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, s: slice) -> list[dict]:
        return [_out(a) for a in self.qs[s]]


@router.get("/alarms", response={200: list[AlarmOut], **READ_ERRORS},
            summary="Early-warning alarms in my scope", description="Newest week first." + SCOPE_NOTE)
@paginate(Page)
def alarm_list(request: HttpRequest, filters: Query[AlarmFilter]):
    qs = selectors.alarm_list(user=request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.group:
        qs = qs.filter(group=filters.group)
    return _Lazy(stable(qs, "-week", "region_id"))


@router.get("/alarms/{alarm_id}", response={200: AlarmOut, **DETAIL_ERRORS}, summary="One alarm",
            description=SCOPE_NOTE.strip())
def alarm_detail(request: HttpRequest, alarm_id: RecordId):
    return _fresh(request, alarm_id)


@router.post("/alarms/{alarm_id}/acknowledge", response={200: AlarmOut, **WRITE_ERRORS},
             summary="Acknowledge a new alarm (police only)",
             description="409 when someone already acted on it." + SCOPE_NOTE)
def alarm_acknowledge(request: HttpRequest, alarm_id: RecordId):
    with service_errors(conflict_field="status"):
        services.alarm_acknowledge(actor=request.auth, alarm_id=alarm_id)
    return _fresh(request, alarm_id)


@router.post("/alarms/{alarm_id}/dismiss", response={200: AlarmOut, **WRITE_ERRORS},
             summary="Dismiss an alarm as false, saying why (police only)",
             description="The outcome is kept, to count false alarms in use." + SCOPE_NOTE)
def alarm_dismiss(request: HttpRequest, alarm_id: RecordId, payload: DismissIn):
    with service_errors(conflict_field="status"):
        services.alarm_dismiss(actor=request.auth, alarm_id=alarm_id, reason=payload.reason)
    return _fresh(request, alarm_id)


@router.post("/alarms/{alarm_id}/case", response={200: AlarmCaseOut, **WRITE_ERRORS},
             summary="Turn an alarm into a case in the scanning stage (police only)",
             description="The case's source is `detection`; a district alarm (sensitive matters) "
             "names one of its villages." + SCOPE_NOTE)
def alarm_case(request: HttpRequest, alarm_id: RecordId, payload: AlarmCaseIn):
    with service_errors(conflict_field="status"):
        case = services.alarm_to_case(actor=request.auth, alarm_id=alarm_id, village=payload.village)
    return {"alarm": _fresh(request, alarm_id), "case_id": case.pk}
