"""/evaluasi/: planners and supervisors estimate an intervention's effect within their scope."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from polmas.access.scope import scope_for
from polmas.evaluation import selectors
from polmas.evaluation.charts import event_svg
from polmas.evaluation.forms import EvaluateForm
from polmas.evaluation.models import Outcome, Pool
from polmas.evaluation.pdf import run_pdf
from polmas.evaluation.services import EvaluationError, evaluate, intervention_from_programme
from polmas.partners.selectors import programme_get


def _allowed(request: HttpRequest) -> None:
    """Planners, supervisors and the admin; other police 403; residents (no area) 404."""
    if not selectors.may_evaluate(request.user):
        if not scope_for(request.user).prefixes:
            raise Http404
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    interventions = selectors.interventions_visible(user=request.user)
    chosen = request.GET.get("intervention", "").replace("\x00", "")
    initial = {"intervention": chosen} if interventions.filter(slug=chosen[:60]).exists() else {}
    form = EvaluateForm(request.POST or None, interventions=interventions, initial=initial)
    error = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = evaluate(intervention=data["intervention"], outcome=data["outcome"],
                                  pool=data["pool"], period_from=data["period_from"],
                                  period_to=data["period_to"],
                                  prefixes=scope_for(request.user).prefixes, user=request.user)
            except EvaluationError as exc:
                error = exc
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.reason)
                else:
                    form.add_error(None, exc.reason)
                status = 400
            else:
                return redirect("evaluation:run", pk=result["run"])
        else:
            status = 400
    runs = selectors.runs_visible(user=request.user)
    for run in runs:
        run.outcome_label = dict(Outcome.choices).get(run.outcome, run.outcome)
    return render(request, "evaluation/home.html", {
        "form": form, "error": error, "runs": runs,
    }, status=status)


def _run_context(run) -> dict:
    r = run.result
    chart = event_svg(r.get("event", []), waves=r.get("unit") == "regency")
    return {"run": run, "r": r, "chart": mark_safe(chart),  # noqa: S308
            "fidelity": r.get("fidelity") or [], "split": r.get("fidelity_split"),
            "sc": r.get("synthetic_control"),
            "outcome_label": dict(Outcome.choices).get(run.outcome, run.outcome),
            "pool_label": dict(Pool.choices).get(run.pool, run.pool)}


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    run = selectors.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404
    return render(request, "evaluation/run.html", _run_context(run))


@login_required
@require_GET
def run_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The run as a standalone HTML report (a download), for filing and printing."""
    _allowed(request)
    run = selectors.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404
    html = render_to_string("evaluation/report.html", _run_context(run), request=request)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evaluasi-{run.pk}.html"'
    return response


@login_required
@require_GET
def run_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The run as a PDF report (a download), scope-checked like the HTML one."""
    _allowed(request)
    run = selectors.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404
    response = HttpResponse(run_pdf(run), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluasi-{run.pk}.pdf"'
    return response


@login_required
@require_http_methods(["POST"])
def programme_register(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Register a partner programme (places, comparison villages, period) as an intervention
    and open the form with it chosen. A programme outside the caller's area answers 404."""
    _allowed(request)
    programme = programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    try:
        item = intervention_from_programme(programme=programme, user=request.user)
    except EvaluationError:
        raise Http404 from None
    return redirect(f"{reverse('evaluation:home')}?intervention={item.slug}")
