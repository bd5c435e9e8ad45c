"""Writes to units, officers and assignments: validated, scoped, audited."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.scope import any_covers
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.regions import codes
from polmas.regions.models import Region


def _require_unit_manager(actor: User | None, unit: PoliceUnit) -> None:
    if actor is None:  # system jobs (import, demo) act with full right
        return
    scope = scope_for(actor)
    if not (scope.has("admin") or (scope.has("supervisor") and any(
        any_covers(scope.prefixes, p) for p in unit.prefixes()
    ))):
        raise PermissionDenied(_("You may not manage officers of %(unit)s.") % {"unit": unit})


def validate_nrp(nrp: str) -> str:
    nrp = (nrp or "").strip()
    if not (len(nrp) == 8 and nrp.isdigit()):
        raise ValidationError({"nrp": _("NRP must be exactly 8 digits.")})
    return nrp


@transaction.atomic
def officer_create(*, actor: User | None, nrp: str, name: str, rank: str, unit: PoliceUnit,
                   phone: str = "", email: str = "", active: bool = True,
                   function: str = Officer.Function.BHABINKAMTIBMAS) -> Officer:
    """Register an officer. Requires: admin, or supervisor whose scope covers the unit."""
    _require_unit_manager(actor, unit)
    nrp = validate_nrp(nrp)
    if Officer.objects.filter(nrp=nrp).exists():
        raise ValidationError({"nrp": _("An officer with NRP %(nrp)s already exists.") % {"nrp": nrp}})
    officer = Officer(nrp=nrp, name=name.strip(), rank=rank, unit=unit, phone=phone.strip(),
                      email=email.strip(), active=active, function=function)
    officer.full_clean(validate_unique=False)
    officer.save()
    audit_record(actor=actor, action="officer.create", obj=officer,
                 region_code=unit.region_id or "")
    return officer


def check_assignable(officer: Officer, village: Region) -> None:
    """Raise ValidationError naming `village` if the officer cannot take it."""
    if village.level != codes.VILLAGE:
        raise ValidationError({"village": _("%(code)s is not a village.") % {"code": village.code}})
    if not officer.active:
        raise ValidationError({"officer": _("Officer %(nrp)s is not active.") % {"nrp": officer.nrp}})
    if not any_covers(officer.unit.prefixes(), village.code):
        raise ValidationError({"village": _(
            "Village %(code)s lies outside the jurisdiction of %(unit)s."
        ) % {"code": village.code, "unit": officer.unit}})


@transaction.atomic
def assignment_start(*, actor: User | None, officer: Officer, village: Region,
                     start: dt.date, replace: bool = False) -> Assignment:
    """Post `officer` to `village` from `start`. With `replace`, the village's current
    Bhabinkamtibmas is ended the day before. Requires: manager of the officer's unit."""
    _require_unit_manager(actor, officer.unit)
    check_assignable(officer, village)
    current = Assignment.objects.select_for_update().filter(village=village, end__isnull=True).first()
    if current is not None:
        if current.officer_id == officer.pk:
            return current
        if not replace:
            raise ValidationError({"village": _(
                "Village %(code)s already has an active Bhabinkamtibmas (%(officer)s)."
            ) % {"code": village.code, "officer": current.officer}})
        if start <= current.start:
            raise ValidationError({"start": _("The new posting must start after the current one.")})
        assignment_end(actor=actor, assignment=current, end=start - dt.timedelta(days=1))
    assignment = Assignment.objects.create(officer=officer, village=village, start=start)
    audit_record(actor=actor, action="assignment.start", obj=assignment, region_code=village.code,
                 detail={"officer": officer.nrp})
    return assignment


@transaction.atomic
def assignment_end(*, actor: User | None, assignment: Assignment, end: dt.date) -> Assignment:
    """Close a posting; the history stays. Requires: manager of the officer's unit."""
    _require_unit_manager(actor, assignment.officer.unit)
    if end < assignment.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    assignment.end = end
    assignment.save(update_fields=["end"])
    audit_record(actor=actor, action="assignment.end", obj=assignment,
                 region_code=assignment.village_id, detail={"end": end.isoformat()})
    return assignment
