"""Writes around a case's response: mediation (refused for what may not be mediated),
referrals to other services, and the protection records of sealed cases (safety plan,
domestic-violence risk checklist). Same rules as `services`: atomic, scoped, audited,
versioned, one timeline entry each."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.cases.models import Case, Mediation, MediationParty, Referral, RiskAssessment, SafetyPlan
from polmas.cases.risk import QUESTIONS, risk_level
from polmas.cases.services import _editable, _need_stage, _raise, _text, _touch
from polmas.partners.models import Service
from polmas.partners.selectors import service_for_region

MEDIABLE_STAGES = (Case.Stage.SCANNING, Case.Stage.ANALYSIS, Case.Stage.RESPONSE)


def non_mediable_codes() -> set[str]:
    """Category codes refused for mediation on top of the categories' own flag."""
    return set(getattr(settings, "POLMAS_NON_MEDIABLE_CATEGORIES", ()) or ())


def mediation_refusal(case: Case) -> str:
    """Why this case may not be mediated ("" if it may)."""
    cat = case.category
    if case.sensitive or cat.sensitive:
        return _("%(category)s is a sensitive matter: it may not be mediated. Refer it to the PPA "
                 "unit or UPTD PPA instead.") % {"category": cat.name}
    if not cat.mediable or cat.code in non_mediable_codes():
        return _("%(category)s may not be settled by mediation: refer it (for example to criminal "
                 "investigation) instead.") % {"category": cat.name}
    return ""


@transaction.atomic
def mediation_record(*, actor: User, case_id: int, version: int | None, held_on: dt.date | None,
                     place: str, terms: str, first_parties: list[str], second_parties: list[str],
                     fkpm_mediators: list[str] | None = None, reason: str = "") -> Mediation:
    """Record a mediation and its agreement. Refused for categories that may not be mediated.
    Requires: write access to the case, open and not yet assessed."""
    case = _editable(actor, case_id, version, reason)
    refusal = mediation_refusal(case)
    if refusal:
        raise ValidationError({"category": refusal})
    _need_stage(case, *MEDIABLE_STAGES)
    errors: dict[str, str] = {}
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("This is required.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Lies in the future.")
    place = _text(errors, "place", place, limit=200)
    terms = _text(errors, "terms", terms)
    sides = {}
    for field, names in (("first_parties", first_parties), ("second_parties", second_parties)):
        clean = [n.strip()[:200] for n in names or [] if n and n.strip()]
        if not clean:
            errors[field] = _("Name at least one person on each side.")
        sides[field] = clean
    mediators = [n.strip()[:150] for n in fkpm_mediators or [] if n and n.strip()]
    _raise(errors)
    officer = getattr(actor, "officer", None)
    mediation = Mediation.objects.create(case=case, held_on=held_on, place=place, terms=terms,
                                         mediator_officer=officer, fkpm_mediators=mediators,
                                         created_by=actor)
    for side, field in ((MediationParty.Side.FIRST, "first_parties"),
                        (MediationParty.Side.SECOND, "second_parties")):
        for name in sides[field]:
            MediationParty.objects.create(mediation=mediation, side=side, name=name)
    _touch(case, actor, "mediation", f"{held_on} {place}", reason=reason, detail={"mediation": mediation.pk},
           facts={"held_on": held_on.isoformat(), "place": place})
    return mediation


@transaction.atomic
def referral_create(*, actor: User, case_id: int, version: int | None, to: str, note: str = "",
                    reason: str = "", service_id: int | None = None) -> Referral:
    """Refer the case to another service (a listed one of the directory, serving the case's
    village, when `service_id` is given); tracked until accepted. Requires: write access."""
    case = _editable(actor, case_id, version, reason)
    errors: dict[str, str] = {}
    if to not in Referral.To.values:
        errors["to"] = _("Must be one of %(values)s.") % {"values": ", ".join(Referral.To.values)}
    note = _text(errors, "note", note, required=False)
    service = None
    if service_id is not None:
        service = service_for_region(service_id=service_id, village=case.village_id)
        if service is None:
            listed = Service.objects.filter(pk=service_id, active=True).select_related("region").first()
            if listed is None:
                errors["service_id"] = _("No service %(id)s in the directory.") % {"id": service_id}
            else:
                errors["service_id"] = _("%(service)s serves %(region)s, not this case's village.") % {
                    "service": listed.name, "region": listed.region.name}
    _raise(errors)
    referral = Referral.objects.create(case=case, to=to, note=note, service=service)
    _touch(case, actor, "referral", referral.get_to_display(), reason=reason,
           detail={"referral": referral.pk, "to": to, "service": service_id},
           facts={"to": to})
    return referral


@transaction.atomic
def referral_answer(*, actor: User, case_id: int, version: int | None, referral_id: int,
                    accepted: bool, note: str = "", reason: str = "") -> Referral:
    """Record that the service accepted or declined a referral. Requires: write access."""
    case = _editable(actor, case_id, version, reason)
    referral = case.referrals.filter(pk=referral_id).first()
    if referral is None:
        raise ValidationError({"referral_id": _("No referral %(id)s in this case.") % {"id": referral_id}})
    if referral.status != Referral.Status.SENT:
        raise ValidationError({"referral_id": _("This referral was already answered.")})
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, required=not accepted, limit=500)
    _raise(errors)
    now = timezone.now()
    referral.status = Referral.Status.ACCEPTED if accepted else Referral.Status.DECLINED
    referral.accepted_at, referral.declined_at = (now, None) if accepted else (None, now)
    referral.answer_note = note
    referral.save()
    _touch(case, actor, "referral_answered", f"{referral.get_to_display()}: {referral.get_status_display()}",
           reason=reason,
           detail={"referral": referral.pk, "status": referral.status},
           facts={"to": referral.to, "status": referral.status})
    return referral


def _sealed_only(case: Case) -> None:
    if not case.sensitive:
        raise ValidationError({"case": _("Safety plans and risk checklists belong to sensitive cases.")})


@transaction.atomic
def safety_plan_set(*, actor: User, case_id: int, version: int | None, safe_place: str,
                    trusted_contacts: str, steps: str, reason: str = "") -> SafetyPlan:
    """Write the victim's safety plan (encrypted). Requires: write access to a sensitive case."""
    case = _editable(actor, case_id, version, reason)
    _sealed_only(case)
    errors: dict[str, str] = {}
    steps = _text(errors, "steps", steps)
    safe_place = _text(errors, "safe_place", safe_place, required=False, limit=1000)
    trusted_contacts = _text(errors, "trusted_contacts", trusted_contacts, required=False, limit=1000)
    _raise(errors)
    plan, _created = SafetyPlan.objects.update_or_create(case=case, defaults={
        "safe_place": safe_place, "trusted_contacts": trusted_contacts, "steps": steps})
    _touch(case, actor, "safety_plan", reason=reason)
    return plan


@transaction.atomic
def risk_assess(*, actor: User, case_id: int, version: int | None, answers: dict,
                reason: str = "") -> RiskAssessment:
    """Fill in the domestic-violence risk checklist; every question needs a yes or no.
    Requires: write access to a sensitive case."""
    case = _editable(actor, case_id, version, reason)
    _sealed_only(case)
    answers = answers if isinstance(answers, dict) else {}
    errors = {f"answers.{k}": _("Answer yes or no.") for k in QUESTIONS
              if not isinstance(answers.get(k), bool)}
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        errors["answers"] = _("Unknown questions: %(keys)s.") % {"keys": ", ".join(sorted(unknown))[:200]}
    _raise(errors)
    score, level = risk_level(answers)
    assessment = RiskAssessment.objects.create(case=case, answers={k: answers[k] for k in QUESTIONS},
                                               score=score, level=level, by=actor)
    _touch(case, actor, "risk_assessed", assessment.get_level_display(), reason=reason,
           detail={"level": level, "score": score},
           facts={"level": level, "score": score})
    return assessment
