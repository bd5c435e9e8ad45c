"""The supervisor's page on one case: reassign it, instruct its officer, acknowledge its
escalation. Thin: the reads go through the scoped selectors, the writes through
cases.supervision; a case outside scope is 404, a sealed one asks for the reason first."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from polmas.cases import selectors, supervision
from polmas.cases.forms import TEXT, Versioned
from polmas.cases.models import Case
from polmas.cases.pages import form_errors
from polmas.cases.queues import escalated_q
from polmas.cases.services import Conflict
from polmas.cases.views import _reason


class ReassignForm(Versioned):
    officer = forms.TypedChoiceField(label=gettext_lazy("Hand the case to"), coerce=int)
    note = forms.CharField(label=gettext_lazy("Note for the new officer"), required=False,
                           max_length=supervision.INSTRUCTION_MAX, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, officers: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "–")] + officers


class InstructForm(Versioned):
    instruction = forms.CharField(label=gettext_lazy("Instruction to the officer"),
                                  max_length=supervision.INSTRUCTION_MAX, widget=forms.Textarea(attrs=TEXT))


class AcknowledgeForm(Versioned):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False,
                           max_length=supervision.INSTRUCTION_MAX, widget=forms.Textarea(attrs=TEXT))


ACTIONS = {"reassign": ReassignForm, "instruct": InstructForm, "acknowledge": AcknowledgeForm}


def _officers(request: HttpRequest, case: Case) -> list[tuple[int, str]]:
    officers = supervision.reassign_candidates(user=request.user, case=case).select_related("unit")
    return [(o.pk, f"{o.name} · {o.unit.name}") for o in officers[:200]]


def _forms(request: HttpRequest, case: Case, bound: tuple[str, forms.Form] | None = None) -> dict:
    initial = {"version": case.version}
    out: dict[str, forms.Form] = {
        "reassign": ReassignForm(initial=initial, officers=_officers(request, case),
                                 auto_id="id_reassign_%s"),
        "instruct": InstructForm(initial=initial, auto_id="id_instruct_%s"),
        "acknowledge": AcknowledgeForm(initial=initial, auto_id="id_acknowledge_%s"),
    }
    if bound:
        out[bound[0]] = bound[1]
    return out


def _write(request: HttpRequest, case: Case, action: str, form: forms.Form, reason: str) -> None:
    c = form.cleaned_data
    kw = {"actor": request.user, "case_id": case.pk, "version": c["version"], "reason": reason}
    if action == "reassign":
        supervision.case_reassign(officer_id=c["officer"], note=c["note"], **kw)
    elif action == "instruct":
        supervision.case_instruct(instruction=c["instruction"], **kw)
    else:
        supervision.case_acknowledge(note=c["note"], **kw)


DONE = {"reassign": gettext_lazy("The case was handed to another officer."),
        "instruct": gettext_lazy("Your instruction is in the case history."),
        "acknowledge": gettext_lazy("Escalation acknowledged: the case is watched for another week.")}


@login_required
def case_supervise(request: HttpRequest, case_id: int) -> HttpResponse:
    if not supervision.is_supervisor(request.user):
        raise Http404
    reason = _reason(request, case_id)
    try:
        case = selectors.case_get(user=request.user, case_id=case_id, reason=reason)
    except selectors.ReasonRequired:
        return redirect("cases:detail", case_id)  # asks for the reason, then links back here
    if case is None:
        raise Http404
    status, bound, stale = 200, None, False
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        form = (ReassignForm(request.POST, officers=_officers(request, case), auto_id="id_reassign_%s")
                if action == "reassign" else ACTIONS[action](request.POST, auto_id=f"id_{action}_%s"))
        if form.is_valid():
            try:
                _write(request, case, action, form, reason)
            except ValidationError as exc:
                form_errors(form, exc)
            except Conflict:
                stale = True
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect("cases:detail", case_id)
            else:
                messages.success(request, str(DONE[action]))
                return redirect(reverse("cases:supervise", args=[case_id]) + "#done")
        bound, status = (action, form), 409 if stale else 400
        case.refresh_from_db()
    escalated = Case.objects.filter(escalated_q(), pk=case.pk).exists()
    kinds = list(supervision.TIMELINE_KINDS)
    timeline = list(case.timeline.filter(kind__in=kinds).order_by("-at", "-pk")[:10])
    return render(request, "cases/supervise.html", {
        "case": case, "forms": _forms(request, case, bound), "escalated": escalated, "stale": stale,
        "sealed": not selectors.can_read_sealed(request.user, case), "reason": reason,
        "history": [(t, supervision.TIMELINE_KINDS[t.kind]) for t in timeline],
    }, status=status)
