"""Input and output shapes of /api/v1/cases. Identities (victim, reporter, mediation parties)
appear only in `CaseDetailOut`, filled for the police who may read the case (see api._detail)."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from polmas.cases.models import MAX_TEXT, Action, Case, Referral
from polmas.core.api import MAX_ID, PRINTABLE, one_of

Text = Field("", max_length=MAX_TEXT)
VERSION = Field(ge=1, description="the version you read; a stale one answers 409 and changes nothing")
REASON = Field("", max_length=1000, pattern=PRINTABLE,
               description="a supervisor changing a sealed case says why (audited)")


class CaseFilter(Schema):
    stage: Case.Stage | None = None
    region: str | None = Field(None, max_length=13, description="only under this region code")
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
    description: str = Field(max_length=500)
    owner_kind: one_of(Action.OwnerKind, "") = ""
    owner_name: str = Field("", max_length=150)
    due: dt.date | None = None


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
    statement: str = Field("", max_length=MAX_TEXT,
                           description="the problem statement (default: the meeting issue's text)")
    title: str = Field("", max_length=200)
    report_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=50)
    village: str = Field("", max_length=13, description="village code; default: the first report's")
    category: str = Field("", max_length=40, description="category code; default: the first report's")
    incidents_note: str = Field("", max_length=MAX_TEXT,
                                description="the incidents that make up the problem (needed without reports)")
    recurring: bool = False
    meeting_issue_id: int | None = Field(None, ge=1, le=MAX_ID)
    victim_name: str = Field("", max_length=300)
    victim_contact: str = Field("", max_length=300)
    reporter_name: str = Field("", max_length=300)
    reporter_contact: str = Field("", max_length=300)
    client_uuid: uuid.UUID | None = None


class Versioned(Schema):
    version: int = VERSION
    reason: str = REASON


class AnalysisIn(Versioned):
    triangle: dict[str, str] = Field(description="victim, guardian, offender, handler, place, manager")
    causes: str = Field(max_length=MAX_TEXT)
    community_input: str = Field(max_length=MAX_TEXT)


class ResponseIn(Versioned):
    plan: str = Field(max_length=MAX_TEXT)
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class ActionAddIn(Versioned, ActionIn):
    pass


class ActionUpdateIn(Versioned):
    status: one_of(Action.Status)
    due: dt.date | None = None


class AssessmentIn(Versioned):
    outcome: one_of(Case.Outcome, "") = ""
    evidence: str = Field("", max_length=MAX_TEXT)
    community_satisfied: bool | None = None


class CloseIn(Versioned):
    public_summary: str = Field("", max_length=500)


class MediationIn(Versioned):
    held_on: dt.date
    place: str = Field(max_length=200)
    terms: str = Field(max_length=MAX_TEXT)
    first_parties: list[str] = Field(max_length=20)
    second_parties: list[str] = Field(max_length=20)
    fkpm_mediators: list[str] = Field(default_factory=list, max_length=20)


class ReferralIn(Versioned):
    to: Referral.To
    note: str = Field("", max_length=MAX_TEXT)


class ReferralAnswerIn(Versioned):
    accepted: bool
    note: str = Field("", max_length=500)


class SafetyPlanIn(Versioned):
    safe_place: str = Field("", max_length=1000)
    trusted_contacts: str = Field("", max_length=1000)
    steps: str = Field(max_length=MAX_TEXT)


class RiskIn(Versioned):
    answers: dict[str, bool]


class SummaryOut(Schema):
    by_stage: dict[str, int]
    sensitive_being_handled: int = Field(description="all anyone learns of sealed cases here")
