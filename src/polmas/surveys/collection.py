"""Collecting answers: a resident's one-time web link, and an enumerator's interview sent by
the field app (idempotent by the client's UUID). Each refusal names its reason; nothing is
stored unless the whole questionnaire is good."""

import hashlib
import secrets
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.core.errors import Conflict
from polmas.surveys.answers import answers_clean
from polmas.surveys.models import ResidentLink, Response, Sample, SampleVillage


class InterviewConflict(Conflict):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def links_issue(*, actor: User | None, sample_village: SampleVillage, count: int) -> list[str]:
    """New one-time links for residents of a sampled village (planner, admin or the command)."""
    if actor is not None and not scope_for(actor).has(Role.PLANNER, Role.ADMIN):
        raise PermissionDenied(_("Only planners issue survey links."))
    if actor is not None and not (scope_for(actor).national
                                  or scope_for(actor).covers(sample_village.village_code)):
        raise ValidationError({"village": [_("outside your area: %(codes)s") % {
            "codes": sample_village.village_code}]})
    tokens = [secrets.token_urlsafe(18) for _ in range(count)]
    with transaction.atomic():
        ResidentLink.objects.bulk_create([ResidentLink(sample_village=sample_village,
                                                       token_hash=token_hash(t)) for t in tokens])
        audit_record(actor=actor, action="survey_links", obj=sample_village,
                     region_code=sample_village.village_code, detail={"count": count})
    return tokens


def link_open(token: str) -> ResidentLink | None:
    """The unused link for `token`, or None (unknown and used links look the same)."""
    if not token or len(token) > 64:
        return None
    return (ResidentLink.objects.select_related("sample_village__sample__version")
            .filter(token_hash=token_hash(token), used_at__isnull=True).first())


def _consent(raw: object, clean: dict[str, str] | None = None) -> None:
    """Consent given (the flag, and the form's own consent item when it has one)."""
    if (raw is not True and raw != "yes") or (clean is not None and clean.get("consent", "yes") != "yes"):
        raise ValidationError({"consent": [_("the respondent's consent is required; nothing was stored")]})


def resident_answer(*, token: str, consent: object, answers: object) -> Response:
    """Store a resident's answers through their link, once. No account, no name, no contact."""
    with transaction.atomic():
        link = (ResidentLink.objects.select_for_update()
                .select_related("sample_village__sample__version")
                .filter(token_hash=token_hash(token or "")).first())
        if link is None:
            raise ValidationError({"link": [_("this link is not valid")]})
        # The lock above makes a second submission through the same link wait, then see it used.
        if link.used_at is not None:
            raise ValidationError({"link": [_("this link has already been used: one answer per link")]})  # noqa: E501
        _consent(consent)
        items = list(link.sample_village.sample.version.items.all())
        clean = answers_clean(items, answers, drop_unasked=True)
        _consent(consent, clean)
        response = Response.objects.create(
            sample_village=link.sample_village, channel=Response.Channel.WEB, link=link, consent=True,
            answers=clean)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return response


def interview_submit(*, actor: User, sample_id: int, village: str, client_uuid: uuid.UUID,
                     consent: object, answers: object) -> tuple[Response, bool]:
    """An enumerator's interview in an assigned village of the sample; (response, created)."""
    if not scope_for(actor).has(Role.ENUMERATOR):
        raise PermissionDenied(_("Only survey enumerators submit interviews."))
    existing = _resent(actor=actor, client_uuid=client_uuid, village=village, answers=answers)
    if existing is not None:
        return existing, False
    sample = Sample.objects.filter(pk=sample_id).select_related("version").first()
    if sample is None:
        raise ValidationError({"sample": [_("no such survey sample")]})
    sv = SampleVillage.objects.filter(sample=sample, village_code=village).first()
    if sv is None:
        raise ValidationError({"village": [_("this village is not in the sample")]})
    if sv.enumerator_id != actor.pk:
        raise ValidationError({"village": [_("this village is not assigned to you")]})
    _consent(consent)
    clean = answers_clean(list(sample.version.items.all()), answers)
    _consent(consent, clean)
    try:
        with transaction.atomic():
            response = Response.objects.create(sample_village=sv, channel=Response.Channel.INTERVIEW,
                                               client_uuid=client_uuid, enumerator=actor, consent=True,
                                               answers=clean)
            audit_record(actor=actor, action="survey_interview", obj=response, region_code=village)
    except IntegrityError:  # the same UUID stored meanwhile by a concurrent resend
        existing = _resent(actor=actor, client_uuid=client_uuid, village=village, answers=answers)
        if existing is None:
            raise
        return existing, False
    return response, True


def _resent(*, actor: User, client_uuid: uuid.UUID, village: str, answers: object) -> Response | None:
    """The stored interview when this is a resend of it; Conflict when the UUID carried other
    content; None when the UUID is new."""
    existing = (Response.objects.filter(client_uuid=client_uuid)
                .select_related("sample_village__sample__version").first())
    if existing is None:
        return None
    try:
        same = (existing.enumerator_id == actor.pk and existing.sample_village.village_code == village
                and answers_clean(list(existing.sample_village.sample.version.items.all()), answers)
                == existing.answers)
    except ValidationError:
        same = False
    if not same:
        raise InterviewConflict(_("this client_uuid was already used for another interview"))
    return existing


def villages_assign(*, actor: User | None, sample: Sample, enumerator: User, village_codes: list[str]) -> int:
    """Assign sampled villages to an enumerator (planner or admin). Returns how many."""
    if actor is not None and not scope_for(actor).has(Role.PLANNER, Role.ADMIN):
        raise PermissionDenied(_("Only planners assign survey villages."))
    if not scope_for(enumerator).has(Role.ENUMERATOR):
        raise ValidationError({"enumerator": [_("this account is not a survey enumerator")]})
    missing = set(village_codes) - set(SampleVillage.objects.filter(
        sample=sample, village_code__in=village_codes).values_list("village_code", flat=True))
    outside = sorted(c for c in set(village_codes) - missing if actor is not None
                     and not (scope_for(actor).national or scope_for(actor).covers(c)))
    if outside:
        raise ValidationError({"villages": [_("outside your area: %(codes)s") % {
            "codes": ", ".join(outside[:10])}]})
    if missing:
        raise ValidationError({"villages": [_("not in the sample: %(codes)s") % {
            "codes": ", ".join(sorted(missing)[:10])}]})
    with transaction.atomic():
        n = SampleVillage.objects.filter(sample=sample, village_code__in=village_codes).update(
            enumerator=enumerator)
        audit_record(actor=actor, action="survey_assign", obj=sample,
                     detail={"enumerator": enumerator.pk, "villages": len(village_codes)})
    return n
