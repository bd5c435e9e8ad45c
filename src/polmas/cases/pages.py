"""What the case pages need besides the views: the writes behind each step's form, the mapping
of the services' field errors onto the forms, and everything the case page shows."""

import datetime as dt
from collections.abc import Callable

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.cases import mediation as mediation_services
from polmas.cases import selectors, services, supervision
from polmas.cases.forms import (
    ActionAddForm,
    ActionUpdateForm,
    AnalysisForm,
    AssessmentForm,
    CloseForm,
    MediationForm,
    ReferralAnswerForm,
    ReferralForm,
    ResponseForm,
    RiskForm,
    SafetyPlanForm,
)
from polmas.cases.models import Action, Case, Referral
from polmas.cases.services import ORDER, TRIANGLE
from polmas.cases.timeline import sentence
from polmas.partners.selectors import services_serving

Write = Callable[..., object]

# What a case must hold before it leaves each stage (shown on the case page).
NEXT_NEEDS = {
    Case.Stage.SCANNING: _("Next, analysis: describe the problem triangle (the victim or target, the "
                           "offender and the place, and who guards, handles and manages each), the causes "
                           "and what the community said."),
    Case.Stage.ANALYSIS: _("Next, response: a plan and at least one action, each with an owner and a "
                           "due date."),
    Case.Stage.RESPONSE: _("Next, assessment: the outcome, the evidence for it and whether the community "
                           "is satisfied. A case cannot close without it."),
    Case.Stage.ASSESSMENT: _("The case is assessed and can be closed."),
    Case.Stage.CLOSED: _("The case is closed."),
}


def _analyse(*, form: AnalysisForm, **kw: object) -> object:
    c = form.cleaned_data
    return services.case_analyse(triangle=form.triangle(), causes=c["causes"],
                                 community_input=c["community_input"], **kw)


def _respond(*, form: ResponseForm, **kw: object) -> object:
    return services.case_respond(plan=form.cleaned_data["plan"], actions=form.actions(), **kw)


def _action_add(*, form: ActionAddForm, **kw: object) -> object:
    c = form.cleaned_data
    return services.action_add(description=c["description"], owner_kind=c["owner_kind"],
                               owner_name=c["owner_name"], due=c["due"], **kw)


def _action_update(*, form: ActionUpdateForm, **kw: object) -> object:
    c = form.cleaned_data
    return services.action_update(action_id=c["action"], status=c["status"], due=c["due"], **kw)


def _assess(*, form: AssessmentForm, **kw: object) -> object:
    c = form.cleaned_data
    return services.case_assess(outcome=c["outcome"], evidence=c["evidence"],
                                community_satisfied=c["community_satisfied"] == "yes", **kw)


def _close(*, form: CloseForm, **kw: object) -> object:
    return services.case_close(public_summary=form.cleaned_data["public_summary"], **kw)


def _mediate(*, form: MediationForm, **kw: object) -> object:
    c = form.cleaned_data
    return mediation_services.mediation_record(
        held_on=c["held_on"], place=c["place"], terms=c["terms"],
        first_parties=form.lines(c["first_parties"]), second_parties=form.lines(c["second_parties"]),
        fkpm_mediators=form.lines(c["fkpm_mediators"]), **kw)


def _refer(*, form: ReferralForm, **kw: object) -> object:
    c = form.cleaned_data
    return mediation_services.referral_create(to=c["to"], note=c["note"], service_id=c["service_id"], **kw)


def _refer_answer(*, form: ReferralAnswerForm, **kw: object) -> object:
    c = form.cleaned_data
    return mediation_services.referral_answer(referral_id=c["referral"], accepted=c["accepted"] == "yes",
                                              note=c["note"], **kw)


def _safety(*, form: SafetyPlanForm, **kw: object) -> object:
    c = form.cleaned_data
    return mediation_services.safety_plan_set(
        safe_place=c["safe_place"], trusted_contacts=c["trusted_contacts"], steps=c["steps"], **kw)


def _risk(*, form: RiskForm, **kw: object) -> object:
    return mediation_services.risk_assess(answers=form.answers(), **kw)


# URL step -> (form, write). The step is also the anchor of its part of the case page.
STEPS: dict[str, tuple[type[forms.Form], Write]] = {
    "analisis": (AnalysisForm, _analyse),
    "respons": (ResponseForm, _respond),
    "tindakan": (ActionAddForm, _action_add),
    "tindakan-ubah": (ActionUpdateForm, _action_update),
    "asesmen": (AssessmentForm, _assess),
    "tutup": (CloseForm, _close),
    "mediasi": (MediationForm, _mediate),
    "rujukan": (ReferralForm, _refer),
    "rujukan-jawab": (ReferralAnswerForm, _refer_answer),
    "keselamatan": (SafetyPlanForm, _safety),
    "risiko": (RiskForm, _risk),
}


def form_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put the services' errors on the form's fields ("triangle.victim" -> victim,
    "actions.0.due" -> a0_due); the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, msgs in exc.message_dict.items():
        field = name.removeprefix("triangle.")
        if field.startswith("actions."):
            parts = field.split(".")
            field = f"a{parts[1]}_{parts[2]}" if len(parts) == 3 else ""
        form.add_error(field if field in form.fields else None, msgs)


def _stages(case: Case) -> list[dict]:
    here = ORDER.index(Case.Stage(case.stage))
    return [{"value": s.value, "label": s.label, "done": i < here, "current": i == here}
            for i, s in enumerate(ORDER)]


def auto_id(step: str) -> str:
    """Field ids unique on the page, which holds several steps' forms ("place" twice)."""
    return f"id_{step.replace('-', '_')}_%s"


def _forms(case: Case) -> dict[str, forms.Form]:
    """Unbound forms for the steps the case's stage allows."""
    v = {"version": case.version}
    stage = case.stage
    out: dict[str, forms.Form] = {}
    if stage in (Case.Stage.SCANNING, Case.Stage.ANALYSIS):
        out["analisis"] = AnalysisForm(auto_id=auto_id("analisis"), initial={
            **v, **case.triangle, "causes": case.causes, "community_input": case.community_input})
    if stage in (Case.Stage.ANALYSIS, Case.Stage.RESPONSE):
        out["respons"] = ResponseForm(auto_id=auto_id("respons"), initial={**v, "plan": case.plan})
    if stage in (Case.Stage.ANALYSIS, Case.Stage.RESPONSE, Case.Stage.ASSESSMENT):
        out["tindakan"] = ActionAddForm(auto_id=auto_id("tindakan"), initial=v)
    if stage in (Case.Stage.RESPONSE, Case.Stage.ASSESSMENT):
        out["asesmen"] = AssessmentForm(auto_id=auto_id("asesmen"), initial={
            **v, "outcome": case.outcome, "evidence": case.evidence,
            "community_satisfied": {True: "yes", False: "no"}.get(case.community_satisfied)})
    if stage == Case.Stage.ASSESSMENT:
        out["tutup"] = CloseForm(auto_id=auto_id("tutup"), initial=v)
    if stage in mediation_services.MEDIABLE_STAGES and not mediation_services.mediation_refusal(case):
        out["mediasi"] = MediationForm(auto_id=auto_id("mediasi"), initial=v)
    out["rujukan"] = ReferralForm(auto_id=auto_id("rujukan"), initial=v)
    out["rujukan"].fields["service_id"].widget.choices = [("", "—"), *(
        (s.pk, f"{s.name} · {s.get_kind_display()}") for s in services_serving(village=case.village_id))]
    if case.sensitive:
        plan = getattr(case, "safety_plan", None)
        out["keselamatan"] = SafetyPlanForm(auto_id=auto_id("keselamatan"), initial={
            **v, **({"safe_place": plan.safe_place, "trusted_contacts": plan.trusted_contacts,
                     "steps": plan.steps} if plan else {})})
        out["risiko"] = RiskForm(auto_id=auto_id("risiko"), initial=v)
    return out


def _mediations(case: Case, police: bool) -> list[dict]:
    out = []
    for m in case.mediations.select_related("mediator_officer").prefetch_related("parties"):
        mediators = ([m.mediator_officer.name] if m.mediator_officer else []) + list(m.fkpm_mediators)
        parties = [p for p in m.parties.all()] if police else []
        out.append({"obj": m, "mediators": mediators,
                    "first": [p.name for p in parties if p.side == "first"],
                    "second": [p.name for p in parties if p.side == "second"],
                    "pdf_url": reverse("cases:agreement", args=[case.pk, m.pk])})
    return out


def detail_context(request: HttpRequest, case: Case, reason: str,
                   bound: tuple[str, forms.Form] | None = None) -> dict:
    """Everything the case page shows; `bound` replaces one step's form (with its errors)."""
    user: User = request.user
    police = selectors.is_police(user)
    can_write = police and case.is_open
    step_forms = _forms(case) if can_write else {}
    # A refused step whose form this stage no longer offers says why above the page.
    unshown: list[str] = []
    if bound and bound[0] in step_forms:
        step_forms[bound[0]] = bound[1]
    elif bound and not (can_write and bound[0] in ("tindakan-ubah", "rujukan-jawab")):
        unshown = [str(e) for e in bound[1].non_field_errors()]
    actions = []
    for a in case.actions.all():
        form = ActionUpdateForm(initial={"version": case.version, "action": a.pk, "status": a.status},
                                auto_id=f"a{a.pk}_%s") if can_write else None
        if bound and bound[0] == "tindakan-ubah" and bound[1].data.get("action") == str(a.pk):
            form = bound[1]
        late = a.status in (Action.Status.PLANNED, Action.Status.IN_PROGRESS) and a.due < _today()
        actions.append({"obj": a, "form": form, "late": late})
    referrals = []
    for r in case.referrals.all():
        form = (ReferralAnswerForm(initial={"version": case.version, "referral": r.pk},
                                   auto_id=f"r{r.pk}_%s")
                if can_write and r.status == Referral.Status.SENT else None)
        if bound and bound[0] == "rujukan-jawab" and bound[1].data.get("referral") == str(r.pk):
            form = bound[1]
        referrals.append({"obj": r, "form": form})
    triangle = [(key, case.triangle.get(key, "")) for key in TRIANGLE]
    return {
        "case": case, "stages": _stages(case), "next_needs": NEXT_NEEDS[Case.Stage(case.stage)],
        "can_write": can_write, "forms": step_forms, "actions": actions, "referrals": referrals,
        "triangle": triangle, "triangle_labels": dict(_triangle_labels()),
        "refusal": mediation_services.mediation_refusal(case) if case.is_open else "",
        "mediations": _mediations(case, police),
        "reports": list(case.case_reports.select_related("report__category").order_by("report_id")),
        "timeline": [(t, sentence(t, case)) for t in case.timeline.select_related("actor")],
        "identity": police and case.sensitive, "reason": reason, "police": police,
        "perms_supervise": supervision.is_supervisor(user),
        "version": case.version, "unshown_errors": unshown,
        "safety_plan": getattr(case, "safety_plan", None) if police and case.sensitive else None,
        "risk": case.risk_assessments.first() if police and case.sensitive else None,
    }


def _triangle_labels() -> list[tuple[str, str]]:
    labels = AnalysisForm.base_fields
    return [(key, str(labels[key].label)) for key in TRIANGLE]


def _today() -> dt.date:
    return timezone.localdate()
