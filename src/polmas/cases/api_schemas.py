"""Input and output shapes of /api/v1/cases. Identities (victim, reporter, mediation parties)
appear only in `CaseDetailOut`, filled for the police who may read the case (see api._detail)."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from polmas.cases.models import MAX_TEXT, Action, Case, Referral
from polmas.cases.risk import QUESTIONS
from polmas.cases.services import TRIANGLE
from polmas.core.api import FILLED, MAX_ID, NO_NUL, PRINTABLE, one_of, required_in_document, stated
from polmas.regions.codes import CODE_PATTERN, VILLAGE_PATTERN

# What the services require of text, stated in the document (they check it, answering 400):
# no NUL anywhere, and something besides spaces where a text is required.
ANY_TEXT = {"pattern": NO_NUL}
SOME_TEXT = stated(minLength=1, pattern=FILLED)
VERSION = Field(ge=1, description="the version you read; a stale one answers 409 and changes nothing")
REASON = Field("", max_length=1000, pattern=PRINTABLE,
               description="a supervisor changing a sealed case says why (audited)")


class CaseFilter(Schema):
    stage: Case.Stage | None = None
    region: str | None = Field(None, max_length=13, description="only under this region code",
                               json_schema_extra={"pattern": CODE_PATTERN})
    overdue: bool | None = Field(None, description="only cases quiet for 7 days or with an action "
                                 "past its due date (true), or only the others (false)")
    sensitive: bool | None = None


class CaseOut(Schema):
    id: int
    number: str
    region_code: str = Field(description="the village's code")
    category: str = Field(description="category code")
    stage: str
    sensitive: bool
    sealed: bool = Field(description="you must give a reason to open it (title withheld)")
    title: str
    source: str
    outcome: str
    opened_at: dt.datetime
    last_activity_at: dt.datetime
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    unit: int | None = Field(description="the Polsek the case was escalated to")
    version: int


class ActionIn(Schema):
    # Every action needs an owner and a due date (the service names each one missing).
    model_config = required_in_document("owner_kind", "owner_name", "due")

    description: str = Field(max_length=500, json_schema_extra=SOME_TEXT)
    owner_kind: one_of(Action.OwnerKind, "") = Field(
        "", json_schema_extra=stated(enum=Action.OwnerKind.values))
    owner_name: str = Field("", max_length=150, json_schema_extra=SOME_TEXT)
    due: dt.date | None = Field(None, json_schema_extra=stated())


class ActionOut(Schema):
    id: int
    description: str
    owner_kind: str
    owner_name: str
    due: dt.date
    status: str
    done_at: dt.datetime | None


class TimelineOut(Schema):
    at: dt.datetime
    actor: str
    kind: str
    note: str


class PartyOut(Schema):
    side: str
    name: str


class MediationOut(Schema):
    id: int
    held_on: dt.date
    place: str
    terms: str
    mediators: list[str]
    parties: list[PartyOut] = Field(description="police only")


class ReferralOut(Schema):
    id: int
    to: str
    service_id: int | None
    status: str
    note: str
    sent_at: dt.datetime
    accepted_at: dt.datetime | None
    declined_at: dt.datetime | None
    answer_note: str


class IdentityOut(Schema):
    victim_name: str
    victim_contact: str
    reporter_name: str
    reporter_contact: str


class SafetyPlanOut(Schema):
    safe_place: str
    trusted_contacts: str
    steps: str
    updated_at: dt.datetime


class RiskOut(Schema):
    level: str
    score: int
    at: dt.datetime
    answers: dict[str, bool]


class CaseDetailOut(CaseOut):
    statement: str
    incidents_note: str
    recurring: bool
    report_ids: list[int]
    assigned_officer: str | None
    triangle: dict[str, str]
    causes: str
    community_input: str
    plan: str
    evidence: str
    community_satisfied: bool | None
    public_summary: str
    first_response_at: dt.datetime | None
    actions: list[ActionOut]
    mediations: list[MediationOut]
    referrals: list[ReferralOut]
    timeline: list[TimelineOut]
    identity: IdentityOut | None = Field(description="sealed cases, police only")
    safety_plan: SafetyPlanOut | None
    risk: RiskOut | None = Field(description="the latest risk checklist")


class CaseIn(Schema):
    source: Case.Source
    statement: str = Field("", max_length=MAX_TEXT, json_schema_extra=ANY_TEXT,
                           description="the problem statement (default: the meeting issue's text)")
    title: str = Field("", max_length=200, json_schema_extra=ANY_TEXT)
    report_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=50)
    village: str = Field("", max_length=13, description="village code; default: the first report's",
                         json_schema_extra={"pattern": f"^$|{VILLAGE_PATTERN}"})
    category: str = Field("", max_length=40, description="category code; default: the first report's",
                          json_schema_extra=ANY_TEXT)
    incidents_note: str = Field("", max_length=MAX_TEXT, json_schema_extra=ANY_TEXT,
                                description="the incidents that make up the problem (needed without reports)")
    recurring: bool = False
    meeting_issue_id: int | None = Field(None, ge=1, le=MAX_ID)
    victim_name: str = Field("", max_length=300, json_schema_extra=ANY_TEXT)
    victim_contact: str = Field("", max_length=300, json_schema_extra=ANY_TEXT)
    reporter_name: str = Field("", max_length=300, json_schema_extra=ANY_TEXT)
    reporter_contact: str = Field("", max_length=300, json_schema_extra=ANY_TEXT)
    client_uuid: uuid.UUID | None = None


class Versioned(Schema):
    version: int = VERSION
    reason: str = REASON


class AnalysisIn(Versioned):
    triangle: dict[str, str] = Field(
        description="victim, guardian, offender, handler, place, manager",
        json_schema_extra={"properties": {k: {"type": "string", "maxLength": 1000, "minLength": 1,
                                              "pattern": FILLED} for k in TRIANGLE},
                           "required": list(TRIANGLE), "additionalProperties": False})
    causes: str = Field(max_length=MAX_TEXT, json_schema_extra=SOME_TEXT)
    community_input: str = Field(max_length=MAX_TEXT, json_schema_extra=SOME_TEXT)


class ResponseIn(Versioned):
    plan: str = Field(max_length=MAX_TEXT, json_schema_extra=SOME_TEXT)
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class ActionAddIn(Versioned, ActionIn):
    pass


class ActionUpdateIn(Versioned):
    status: one_of(Action.Status)
    due: dt.date | None = None


class AssessmentIn(Versioned):
    model_config = required_in_document("outcome", "evidence", "community_satisfied")

    outcome: one_of(Case.Outcome, "") = Field("", json_schema_extra=stated(enum=Case.Outcome.values))
    evidence: str = Field("", max_length=MAX_TEXT, json_schema_extra=SOME_TEXT)
    community_satisfied: bool | None = Field(None, json_schema_extra=stated())


class CloseIn(Versioned):
    public_summary: str = Field("", max_length=500, json_schema_extra=ANY_TEXT)


# Each side names at least one person (blank names are dropped).
PEOPLE = {"minItems": 1, "items": {"type": "string", "minLength": 1, "pattern": FILLED}}


class MediationIn(Versioned):
    held_on: dt.date
    place: str = Field(max_length=200, json_schema_extra=SOME_TEXT)
    terms: str = Field(max_length=MAX_TEXT, json_schema_extra=SOME_TEXT)
    first_parties: list[str] = Field(max_length=20, json_schema_extra=PEOPLE)
    second_parties: list[str] = Field(max_length=20, json_schema_extra=PEOPLE)
    fkpm_mediators: list[str] = Field(default_factory=list, max_length=20,
                                      json_schema_extra={"items": {"type": "string", "pattern": NO_NUL}})


class ReferralIn(Versioned):
    to: Referral.To
    service_id: int | None = Field(None, ge=1, le=2**63 - 1,
                                   description="a listed service (GET /services) serving the case's village")
    note: str = Field("", max_length=MAX_TEXT, json_schema_extra=ANY_TEXT)


class ReferralAnswerIn(Versioned):
    accepted: bool
    note: str = Field("", max_length=500, json_schema_extra=ANY_TEXT)


class SafetyPlanIn(Versioned):
    safe_place: str = Field("", max_length=1000, json_schema_extra=ANY_TEXT)
    trusted_contacts: str = Field("", max_length=1000, json_schema_extra=ANY_TEXT)
    steps: str = Field(max_length=MAX_TEXT, json_schema_extra=SOME_TEXT)


class RiskIn(Versioned):
    answers: dict[str, bool] = Field(json_schema_extra={
        "properties": {k: {"type": "boolean"} for k in QUESTIONS}, "required": list(QUESTIONS),
        "additionalProperties": False})


class SummaryOut(Schema):
    by_stage: dict[str, int]
    sensitive_being_handled: int = Field(description="all anyone learns of sealed cases here")
