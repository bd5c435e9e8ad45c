"""What a supervisor does with a case that was escalated to them (or any open case in their
area): hand it to another officer, give the officer an instruction, or acknowledge that they
have seen it. Each write is atomic, scoped, audited and written to the case's timeline; each
restarts the case's 7-day clock (the case leaves the escalated list and escalates again if
nobody acts for another week) without counting as the officer's first response."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.cases.models import Case
from polmas.cases.selectors import ReasonRequired, case_get
from polmas.cases.services import _editable, _touch
from polmas.core.scope import any_covers
from polmas.policing.models import Officer
from polmas.policing.selectors import officer_list

SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.ADMIN)
INSTRUCTION_MAX = 1000

# Timeline kinds written here, as the case history names them.
TIMELINE_KINDS = {
    "reassigned": gettext_lazy("handed to another officer"),
    "instruction": gettext_lazy("instruction from the supervisor"),
    "acknowledged": gettext_lazy("escalation acknowledged by the supervisor"),
}


def is_supervisor(user: User) -> bool:
    return scope_for(user).has(*SUPERVISOR_ROLES)


def reassign_candidates(*, user: User, case: Case) -> QuerySet[Officer]:
    """Active officers the supervisor may hand `case` to: officers in the supervisor's area
    whose unit's jurisdiction covers the case's village. Requires: a supervisor (else none)."""
    if not is_supervisor(user):
        return Officer.objects.none()
    officers = officer_list(user=user).filter(active=True, unit__jurisdiction__prefix__in=[
        case.village_id[:n] for n in (2, 5, 8, 13)] + [""]).distinct()
    return officers.exclude(pk=case.assigned_officer_id or 0).order_by("name", "pk")


def _supervised(actor: User, case_id: int, version: int | None, reason: str) -> Case:
    if not is_supervisor(actor):
        # A case the caller cannot read does not exist for them (404); one they read, 403.
        try:
            readable = case_get(user=actor, case_id=case_id, audit=False) is not None
        except ReasonRequired:
            readable = False
        if not readable:
            raise Http404
        raise PermissionDenied(_("Only a supervisor reassigns, instructs or acknowledges a case."))
    return _editable(actor, case_id, version, reason)


def _restart_clock(case: Case) -> None:
    # The supervisor acted: the case is watched again for a week. Not the officer's response,
    # so first_response_at (response-time figures) is left alone.
    case.last_activity_at = timezone.now()


@transaction.atomic
def case_reassign(*, actor: User, case_id: int, version: int | None, officer_id: int,
                  note: str = "", reason: str = "") -> Case:
    """Hand the case to another active officer whose unit covers its village and who is in
    the supervisor's area. Requires: a supervisor (or admin) in scope; a reason for a
    sealed case."""
    case = _supervised(actor, case_id, version, reason)
    officer = officer_list(user=actor).filter(pk=officer_id, active=True).select_related("unit").first()
    if officer is None:
        raise ValidationError({"officer": _("No active officer %(id)s in your area.") % {"id": officer_id}})
    if not any_covers(officer.unit.prefixes(), case.village_id):
        raise ValidationError({"officer": _(
            "%(officer)s serves in %(unit)s, whose area does not include the case's village.")
            % {"officer": officer.name, "unit": officer.unit.name}})
    if officer.pk == case.assigned_officer_id:
        raise ValidationError({"officer": _("The case is already with this officer.")})
    note = (note or "").strip()
    if len(note) > INSTRUCTION_MAX:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": INSTRUCTION_MAX}})
    before = case.assigned_officer
    case.assigned_officer = officer
    _restart_clock(case)
    return _touch(case, actor, "reassigned", note, reason=reason, activity=False,
                  detail={"from": before.pk if before else None, "to": officer.pk},
                  facts={"from": before.name if before else "", "to": officer.name})


@transaction.atomic
def case_instruct(*, actor: User, case_id: int, version: int | None, instruction: str,
                  reason: str = "") -> Case:
    """Write an instruction to the case's officer into its history. Requires: a supervisor
    (or admin) in scope; a reason for a sealed case."""
    case = _supervised(actor, case_id, version, reason)
    instruction = (instruction or "").strip()
    if not instruction:
        raise ValidationError({"instruction": _("This is required.")})
    if len(instruction) > INSTRUCTION_MAX:
        raise ValidationError({"instruction": _("At most %(n)d characters.") % {"n": INSTRUCTION_MAX}})
    _restart_clock(case)
    return _touch(case, actor, "instruction", instruction, reason=reason, activity=False,
                  detail={"officer": case.assigned_officer_id})


@transaction.atomic
def case_acknowledge(*, actor: User, case_id: int, version: int | None, note: str = "",
                     reason: str = "") -> Case:
    """Acknowledge an escalated case: the supervisor has seen it and watches it for another
    week. Requires: a supervisor (or admin) in scope; the case escalated; a reason for a
    sealed case."""
    case = _supervised(actor, case_id, version, reason)
    if case.escalated_at is None or case.escalated_at < case.last_activity_at:
        raise ValidationError({"case": _("This case is not waiting on an escalation.")})
    note = (note or "").strip()
    if len(note) > INSTRUCTION_MAX:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": INSTRUCTION_MAX}})
    _restart_clock(case)
    return _touch(case, actor, "acknowledged", note, reason=reason, activity=False)
