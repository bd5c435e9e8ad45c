"""The evaluation API: the interventions in my area, and estimating an effect (saved as a run)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from polmas.access.scope import scope_for
from polmas.core.api import DETAIL_ERRORS, ApiError, ErrorOut, one_of, service_errors
from polmas.evaluation import selectors
from polmas.evaluation.models import Outcome, Pool
from polmas.evaluation.services import EvaluationError, evaluate

router = Router(tags=["evaluation"])


class InterventionOut(Schema):
    slug: str
    name: str
    source: str = Field(description="recorded, derived or planted")
    places: int


class EvaluateIn(Schema):
    intervention: str = Field(max_length=60, pattern=r"^[-a-zA-Z0-9_]*$",
                              description="the intervention's slug")
    outcome: one_of(Outcome) = "reports"
    pool: one_of(Pool) = "never"
    period_from: int | None = Field(None, ge=190001, le=299912, description="YYYYMM")
    period_to: int | None = Field(None, ge=190001, le=299912, description="YYYYMM")


class RunOut(Schema):
    run: int
    method: str
    estimate_pct: float | None = Field(description="effect in percent of the counterfactual")
    ci_low_pct: float | None
    ci_high_pct: float | None
    pre_trend_p: float | None
    pre_trend_failed: bool
    n_treated: int
    n_comparison: int
    reading: str
    data_hash: str


def _check(request: HttpRequest) -> None:
    if not selectors.may_evaluate(request.auth):
        with service_errors():
            raise PermissionDenied(_("Only planners and supervisors evaluate interventions."))


@router.get("/evaluation/interventions", response={200: list[InterventionOut], **DETAIL_ERRORS,
                                                   403: ErrorOut},
            summary="Interventions with places in my area (planners, supervisors)")
def interventions(request: HttpRequest):
    _check(request)
    return [InterventionOut(slug=i.slug, name=i.name, source=i.source, places=i.places.count())
            for i in selectors.interventions_visible(user=request.auth)]


def _out(result: dict) -> RunOut:
    return RunOut(**{k: result.get(k) for k in RunOut.model_fields})


@router.post("/evaluation/runs", response={201: RunOut, **DETAIL_ERRORS, 400: ErrorOut,
                                           403: ErrorOut},
             summary="Estimate an intervention's effect and save the run",
             description="Callaway-Sant'Anna staggered difference-in-differences on the monthly "
             "village figures, effects in percent. Refused with 400 naming the field when the "
             "intervention has no places in the data, the period lies outside the data, the "
             "comparison pool is too small or the outcome does not vary. An intervention "
             "outside my area answers 404.")
def run_create(request: HttpRequest, payload: EvaluateIn):
    _check(request)
    item = selectors.interventions_visible(user=request.auth).filter(
        slug=payload.intervention).first()
    if item is None:
        raise ApiError(404, _("No such intervention in your area."),
                       errors=[{"field": "intervention", "reason": _("not found")}])
    try:
        result = evaluate(intervention=item, outcome=payload.outcome, pool=payload.pool,
                          period_from=payload.period_from, period_to=payload.period_to,
                          prefixes=scope_for(request.auth).prefixes, user=request.auth)
    except EvaluationError as exc:
        raise ApiError(400, f"{exc.field}: {exc.reason}",
                       errors=[{"field": exc.field, "reason": exc.reason}]) from None
    return 201, _out(result)


@router.get("/evaluation/runs/{run_id}", response={200: RunOut, **DETAIL_ERRORS, 403: ErrorOut},
            summary="A saved evaluation run")
def run_read(request: HttpRequest, run_id: int):
    _check(request)
    run = selectors.run_get(user=request.auth, pk=run_id) if 0 < run_id < 2**63 else None
    if run is None:
        raise ApiError(404, _("Not found."))
    return _out({**run.result, "run": run.pk, "data_hash": run.data_hash})
