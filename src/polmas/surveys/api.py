"""The surveys API: enumerators' assignments and interviews (idempotent by client UUID, so
the field app's outbox can carry them), and the published estimates. No endpoint returns a
response or a village's answers."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.core.api import DETAIL_ERRORS, ErrorOut, service_errors
from polmas.regions.codes import CODE_PATTERN, VILLAGE_PATTERN
from polmas.surveys import collection, selectors
from polmas.surveys.models import SampleVillage

router = Router(tags=["surveys"])
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


class SurveyAssignmentOut(Schema):
    sample: int = Field(description="the sample (wave) id")
    wave: str
    village: str = Field(description="the village's Kemendagri code")
    households: int = Field(description="households to interview")


class InterviewIn(Schema):
    sample: int = Field(ge=1, le=2**63 - 1, description="the sample (wave) id")
    village: str = Field(pattern=VILLAGE_PATTERN, description="the sampled village's code")
    client_uuid: UUID = Field(description="made by the device; resending it is safe")
    consent: bool = Field(description="the respondent agreed to answer")
    answers: dict[str, str | int] = Field(description="item name -> the answer's value")


class InterviewOut(Schema):
    id: int
    village: str
    submitted_at: str


class EstimateOut(Schema):
    indicator: str
    level: int = Field(description="0 country, 1 province, 2 regency")
    code: str
    n: int = Field(description="answers behind the cell")
    value: float | None = Field(description="percent (the trust index: points of 100); null under 30 answers")
    low: float | None
    high: float | None


class EstimateFilter(Schema):
    level: int | None = Field(None, ge=0, le=2)
    prefix: str = Field("", pattern=r"^$|" + CODE_PATTERN[1:], max_length=5)


@router.get("/surveys/assignments", response={200: list[SurveyAssignmentOut], **DETAIL_ERRORS, 403: ErrorOut},
            summary="The villages assigned to me (survey enumerators)")
def assignments(request: HttpRequest):
    if not scope_for(request.auth).has(Role.ENUMERATOR):
        with service_errors():
            raise PermissionDenied(_("Only survey enumerators have assignments."))
    rows = (SampleVillage.objects.filter(enumerator=request.auth).select_related("sample")
            .order_by("sample_id", "village_code"))
    return [SurveyAssignmentOut(sample=r.sample_id, wave=r.sample.wave, village=r.village_code,
                          households=r.planned) for r in rows]


@router.post("/surveys/interviews", response={201: InterviewOut, 200: InterviewOut, **WRITE_ERRORS},
             summary="Submit an interview (survey enumerators)",
             description="The village must be in the sample and assigned to you (else 400 on "
             "`village`); every answer must be on its item's scale (else 400 naming "
             "`answers.<item>`); consent is required. Resending the same `client_uuid` with the "
             "same content answers 200; with other content 409. Nothing is stored on a refusal.")
def interview_create(request: HttpRequest, payload: InterviewIn):
    with service_errors(conflict_field="client_uuid"):
        response, created = collection.interview_submit(
            actor=request.auth, sample_id=payload.sample, village=payload.village,
            client_uuid=payload.client_uuid, consent=payload.consent, answers=payload.answers)
    out = InterviewOut(id=response.pk, village=response.sample_village.village_code,
                       submitted_at=response.submitted_at.isoformat())
    return Status(201 if created else 200, out)


@router.get("/surveys/estimates", response={200: list[EstimateOut], **DETAIL_ERRORS},
            summary="Published survey estimates of the latest wave",
            description="Country (level 0), provinces (1) and regencies (2), each with its 95% "
            "design-based interval. Cells with fewer than 30 answers carry no number.")
def estimates_list(request: HttpRequest, filters: Query[EstimateFilter]):
    sample = selectors.sample_latest()
    if sample is None:
        return []
    return [EstimateOut(indicator=c.indicator, level=c.level, code=c.code, n=c.n, value=c.value,
                        low=c.low, high=c.high)
            for c in selectors.estimates_list(sample=sample, level=filters.level, prefix=filters.prefix)]
