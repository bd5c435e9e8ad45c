"""Problem-solving cases: the list and detail in scope, and a write for each SARA step.

Thin: rules live in selectors, services and mediation; this module translates HTTP.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from polmas.cases import mediation as mediation_services
from polmas.cases import selectors, services, supervision
from polmas.cases.api_schemas import (
    ANY_TEXT,
    SOME_TEXT,
    ActionAddIn,
    ActionUpdateIn,
    AnalysisIn,
    AssessmentIn,
    CaseDetailOut,
    CaseFilter,
    CaseIn,
    CaseOut,
    CloseIn,
    MediationIn,
    ReferralAnswerIn,
    ReferralIn,
    ResponseIn,
    RiskIn,
    SafetyPlanIn,
    SummaryOut,
    Versioned,
)
from polmas.cases.models import Case
from polmas.cases.pdf import agreement_pdf
from polmas.cases.selectors import ReasonRequired
from polmas.core.api import (
    DETAIL_ERRORS,
    MAX_ID,
    PRINTABLE,
    READ_ERRORS,
    ApiError,
    ErrorOut,
    Page,
    RecordId,
    not_found,
    service_errors,
    stable,
)
from polmas.core.scope import prefix_q
from polmas.regions import codes

router = Router(tags=["cases"])

SCOPE_NOTE = (" Only cases in your scope; one outside it answers 404. Sensitive cases are sealed: "
              "their officer and the PPA officer in scope read them, a supervisor in scope gives a "
              "reason (403 without), everyone else gets 404.")
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}




def _no_nul(value: object, field: str = "") -> None:
    """PostgreSQL refuses NUL in text: refuse it here, naming the field, rather than fail there."""
    if isinstance(value, str) and "\x00" in value:
        raise ApiError.for_field(400, field or "body", _("contains characters that are not allowed"))
    if isinstance(value, dict):
        for k, v in value.items():
            _no_nul(k, field or "body")
            _no_nul(v, f"{field}.{k}" if field else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _no_nul(v, f"{field}.{i}")


def _get(request: HttpRequest, case_id: int, reason: str = "") -> Case:
    try:
        case = selectors.case_get(user=request.auth, case_id=case_id, reason=reason)
    except ReasonRequired:
        raise ApiError.for_field(403, "reason", _(
            "This case is sealed: say why you open it (?reason=...); the reason is recorded.")) from None
    if case is None:
        raise not_found()
    return case


def _item(case: Case, readable: bool) -> dict:
    return {"id": case.pk, "number": case.number, "region_code": case.village_id,
            "category": case.category.code, "stage": case.stage, "sensitive": case.sensitive,
            "sealed": not readable, "title": case.title if readable else "",
            "source": case.source, "outcome": case.outcome, "opened_at": case.opened_at,
            "last_activity_at": case.last_activity_at, "closed_at": case.closed_at,
            "escalated_at": case.escalated_at, "unit": case.unit_id, "version": case.version}


def _detail(request: HttpRequest, case: Case) -> dict:
    police = selectors.is_police(request.auth)
    risk = case.risk_assessments.first() if case.sensitive else None
    plan = getattr(case, "safety_plan", None) if case.sensitive and police else None
    mediations = []
    for m in case.mediations.select_related("mediator_officer").prefetch_related("parties"):
        mediators = ([m.mediator_officer.name] if m.mediator_officer else []) + list(m.fkpm_mediators)
        mediations.append({"id": m.pk, "held_on": m.held_on, "place": m.place, "terms": m.terms,
                           "mediators": mediators,
                           "parties": [{"side": p.side, "name": p.name} for p in m.parties.all()]
                           if police else []})
    return {
        **_item(case, True),
        "statement": case.statement, "incidents_note": case.incidents_note,
        "recurring": case.recurring,
        "report_ids": list(case.case_reports.values_list("report_id", flat=True)),
        "assigned_officer": case.assigned_officer.name if case.assigned_officer else None,
        "triangle": case.triangle, "causes": case.causes, "community_input": case.community_input,
        "plan": case.plan, "evidence": case.evidence, "community_satisfied": case.community_satisfied,
        "public_summary": case.public_summary, "first_response_at": case.first_response_at,
        "actions": list(case.actions.all()), "mediations": mediations,
        "referrals": list(case.referrals.all()),
        "timeline": [{"at": t.at, "actor": t.actor_name, "kind": t.kind, "note": t.note}
                     for t in case.timeline.all()],
        "identity": {"victim_name": case.victim_name, "victim_contact": case.victim_contact,
                     "reporter_name": case.reporter_name, "reporter_contact": case.reporter_contact}
        if case.sensitive and police else None,
        "safety_plan": plan,
        "risk": {"level": risk.level, "score": risk.score, "at": risk.at, "answers": risk.answers}
        if risk else None,
    }


def _fresh(request: HttpRequest, case_id: int) -> dict:
    # Re-read after a write without a second audited read.
    case = Case.objects.select_related("category", "village", "assigned_officer").get(pk=case_id)
    return _detail(request, case)


# --- reading --------------------------------------------------------------------------------

def _filtered(qs: QuerySet[Case], f: CaseFilter) -> QuerySet[Case]:
    if f.region is not None:
        if not codes.is_valid(f.region):
            raise ApiError.for_field(400, "region", _("is not a region code like 51 or 51.08.09.2007"))
        qs = qs.filter(prefix_q("village_id", [f.region]))
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.sensitive is not None:
        qs = qs.filter(sensitive=f.sensitive)
    if f.overdue is not None:
        late = Case.objects.filter(selectors.overdue_q()).values("pk")
        qs = qs.filter(pk__in=late) if f.overdue else qs.exclude(pk__in=late)
    return stable(qs, "-last_activity_at")


class _Lazy:
    """A queryset that ninja's paginator slices and counts, mapping each row on the way out."""

    def __init__(self, qs: QuerySet, fn: Callable[[Case], dict]) -> None:
        self.qs, self.fn = qs, fn

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, s: slice) -> list[dict]:
        return [self.fn(c) for c in self.qs[s]]


@router.get("/cases", response={200: list[CaseOut], 400: ErrorOut, **READ_ERRORS},
            summary="Cases in my scope",
            description="Most recently active first. Supervisors also see the sealed cases in their "
            "scope, with `sealed: true` and no title (open one with a reason)." + SCOPE_NOTE)
@paginate(Page)
def case_list(request: HttpRequest, filters: Query[CaseFilter]):
    user = request.auth
    qs = _filtered(selectors.case_list(user=user, sealed_listed=True), filters)
    return _Lazy(qs.select_related("assigned_officer"),
                 lambda c: _item(c, selectors.can_read_sealed(user, c)))


@router.get("/cases/summary", response={200: SummaryOut, **READ_ERRORS},
            summary="Cases in my scope by stage",
            description="Counts sealed cases too; forum members learn of sealed cases only this way.")
def case_summary(request: HttpRequest):
    from polmas.access.scope import scope_for

    scope = scope_for(request.auth)
    return {"by_stage": selectors.stage_counts(user=request.auth),
            "sensitive_being_handled": selectors.sensitive_being_handled(prefixes=list(scope.prefixes))
            if scope.has(*selectors.READER_ROLES) else 0}


@router.get("/cases/{case_id}", response={200: CaseDetailOut, 403: ErrorOut, **DETAIL_ERRORS},
            summary="One case with its analysis, plan, actions, mediations, referrals and timeline",
            description="A sealed case opened by a supervisor answers 403 unless `reason` says why; "
            "the reason is kept in the audit log with the read." + SCOPE_NOTE)
def case_detail(request: HttpRequest, case_id: RecordId,
                reason: str = Query("", max_length=1000, pattern=PRINTABLE)):
    return _detail(request, _get(request, case_id, reason))


@router.get("/cases/{case_id}/agreement.pdf", response={200: None, 403: ErrorOut, **DETAIL_ERRORS},
            summary="The written agreement (surat kesepakatan) of the case's mediation, as PDF",
            description="The latest mediation unless `mediation` names one. 404 without one.")
def case_agreement(request: HttpRequest, case_id: RecordId,
                   mediation: int | None = Query(None, ge=1, le=MAX_ID),
                   reason: str = Query("", max_length=1000, pattern=PRINTABLE)):
    case = _get(request, case_id, reason)
    qs = case.mediations.select_related("case__village", "mediator_officer").order_by("-held_on", "-pk")
    found = qs.filter(pk=mediation).first() if mediation else qs.first()
    if found is None:
        raise not_found()
    response = HttpResponse(agreement_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kesepakatan-{case.pk}-{found.pk}.pdf"'
    return response


# --- writing --------------------------------------------------------------------------------

@router.post("/cases", response={201: CaseDetailOut, 200: CaseDetailOut, **WRITE_ERRORS},
             summary="Open a case (scanning) from reports, a meeting issue or an early detection",
             description="Linked reports move to 'being handled'. Without reports, `village`, "
             "`category` and `incidents_note` are required. A resent `client_uuid` answers 200 with "
             "the stored case.")
def case_create(request: HttpRequest, payload: CaseIn):
    _no_nul(payload.dict())
    uid = payload.client_uuid
    existed = uid is not None and Case.objects.filter(client_uuid=uid).exists()
    with service_errors():
        case = services.case_open(actor=request.auth, **payload.dict())
    return Status(200 if existed else 201, _fresh(request, case.pk))


def _write(request: HttpRequest, case_id: int, fn: Callable, payload: Schema, **extra) -> dict:
    data = payload.dict()
    _no_nul(data)
    with service_errors():
        fn(actor=request.auth, case_id=case_id, **data, **extra)
    return _fresh(request, case_id)


STEP = {"response": {200: CaseDetailOut, **WRITE_ERRORS}}


@router.post("/cases/{case_id}/analysis", **STEP, summary="Record the analysis (problem triangle, "
             "causes, community input); the case moves to analysis")
def case_analysis(request: HttpRequest, case_id: RecordId, payload: AnalysisIn):
    return _write(request, case_id, services.case_analyse, payload)


@router.post("/cases/{case_id}/response", **STEP, summary="Record the response plan and its actions; "
             "the case moves to response", description="Every action needs an owner and a due date.")
def case_response(request: HttpRequest, case_id: RecordId, payload: ResponseIn):
    return _write(request, case_id, services.case_respond, payload)


@router.post("/cases/{case_id}/actions", **STEP, summary="Add an action to the plan")
def case_action_add(request: HttpRequest, case_id: RecordId, payload: ActionAddIn):
    return _write(request, case_id, services.action_add, payload)


@router.post("/cases/{case_id}/actions/{action_id}", **STEP, summary="Change an action's status or due date")
def case_action_update(request: HttpRequest, case_id: RecordId, action_id: RecordId,
                       payload: ActionUpdateIn):
    return _write(request, case_id, services.action_update, payload, action_id=action_id)


@router.post("/cases/{case_id}/assessment", **STEP, summary="Record the assessment: outcome, evidence, "
             "community satisfaction")
def case_assessment(request: HttpRequest, case_id: RecordId, payload: AssessmentIn):
    return _write(request, case_id, services.case_assess, payload)


@router.post("/cases/{case_id}/close", **STEP, summary="Close an assessed case",
             description="Refused (400) without an assessment. Linked reports are resolved and their "
             "reporters told, with a public summary (never for a sensitive matter).")
def case_close(request: HttpRequest, case_id: RecordId, payload: CloseIn):
    return _write(request, case_id, services.case_close, payload)


@router.post("/cases/{case_id}/mediation", **STEP, summary="Record a mediation and its agreement",
             description="Refused (400, field `category`) for categories that may not be mediated "
             "(sensitive ones, serious crimes, POLMAS_NON_MEDIABLE_CATEGORIES): refer those instead.")
def case_mediation(request: HttpRequest, case_id: RecordId, payload: MediationIn):
    return _write(request, case_id, mediation_services.mediation_record, payload)


@router.post("/cases/{case_id}/referrals", **STEP, summary="Refer the case to another service")
def case_referral(request: HttpRequest, case_id: RecordId, payload: ReferralIn):
    return _write(request, case_id, mediation_services.referral_create, payload)


@router.post("/cases/{case_id}/referrals/{referral_id}", **STEP,
             summary="Record that a referral was accepted or declined")
def case_referral_answer(request: HttpRequest, case_id: RecordId, referral_id: RecordId,
                         payload: ReferralAnswerIn):
    return _write(request, case_id, mediation_services.referral_answer, payload, referral_id=referral_id)


@router.post("/cases/{case_id}/safety-plan", **STEP, summary="Write the safety plan of a sealed case")
def case_safety_plan(request: HttpRequest, case_id: RecordId, payload: SafetyPlanIn):
    return _write(request, case_id, mediation_services.safety_plan_set, payload)


@router.post("/cases/{case_id}/risk", **STEP, summary="Fill in the domestic-violence risk checklist",
             description="Every question of the checklist needs true or false; the risk level follows.")
def case_risk(request: HttpRequest, case_id: RecordId, payload: RiskIn):
    return _write(request, case_id, mediation_services.risk_assess, payload)



# --- a supervisor acting on an escalated case (cases.supervision) ----------------------------

class ReassignIn(Versioned):
    officer_id: RecordId = Field(description="an active officer in your area whose unit covers the "
                                 "case's village")
    note: str = Field("", max_length=supervision.INSTRUCTION_MAX, json_schema_extra=ANY_TEXT)


class InstructionIn(Versioned):
    instruction: str = Field(max_length=supervision.INSTRUCTION_MAX, json_schema_extra=SOME_TEXT)


class AcknowledgeIn(Versioned):
    note: str = Field("", max_length=supervision.INSTRUCTION_MAX, json_schema_extra=ANY_TEXT)


SUPERVISOR_NOTE = (" Supervisors (and admin) in scope only; others get 403 or 404. Written to the "
                   "case history and the audit log; restarts the case's 7-day clock.")


@router.post("/cases/{case_id}/reassign", **STEP, summary="Hand the case to another officer",
             description="Refused (400, field `officer`) for an officer outside your area or whose "
             "unit does not cover the case's village." + SUPERVISOR_NOTE)
def case_reassign(request: HttpRequest, case_id: RecordId, payload: ReassignIn):
    return _write(request, case_id, supervision.case_reassign, payload)


@router.post("/cases/{case_id}/instruction", **STEP, summary="Give the case's officer an instruction",
             description=SUPERVISOR_NOTE.strip())
def case_instruction(request: HttpRequest, case_id: RecordId, payload: InstructionIn):
    return _write(request, case_id, supervision.case_instruct, payload)


@router.post("/cases/{case_id}/acknowledge", **STEP, summary="Acknowledge the case's escalation",
             description="Refused (400, field `case`) when the case is not escalated." + SUPERVISOR_NOTE)
def case_acknowledge(request: HttpRequest, case_id: RecordId, payload: AcknowledgeIn):
    return _write(request, case_id, supervision.case_acknowledge, payload)


class CompletionOut(Schema):
    service_id: int
    name: str
    kind: str
    sent: int
    accepted: int
    declined: int
    waiting: int
    completion: float | None = Field(description="accepted / sent")


@router.get("/referrals/completion", response={200: list[CompletionOut], **READ_ERRORS},
            summary="Referral completion per listed service",
            description="Referrals sent from cases in your scope to each service of the directory "
            "(GET /services): sent, accepted, declined, waiting, and accepted / sent. Police roles only "
            "(an empty list for others); sealed cases are counted, nothing of them is shown.")
def referral_completion(request: HttpRequest):
    return selectors.referral_completion(user=request.auth)
