"""Writes to units, officers, assignments, training and equipment: validated, scoped, audited.

Every function takes keyword arguments only and runs in a transaction. `actor=None` is the
system (imports, demo): it acts with full right and is audited as "system". A write outside
the actor's scope raises PermissionDenied, which callers answer with 404.
"""

import datetime as dt
import re

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.scope import any_covers
from polmas.core.validators import validate_email_address, validate_phone  # noqa: F401  (re-exported)
from polmas.policing.models import Assignment, Equipment, Officer, PoliceUnit, Training
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


def _require_region_in_scope(actor: User | None, code: str) -> None:
    """The actor's scope must cover `code` (a village the write touches)."""
    if actor is None:
        return
    scope = scope_for(actor)
    if not (scope.has("admin") or scope.covers(code)):
        raise PermissionDenied(_("%(code)s lies outside your area.") % {"code": code})


_NRP_RE = re.compile(r"[0-9]{8}", re.ASCII)
# Separators people type inside phone numbers; they are dropped before checking.


def validate_nrp(nrp: str) -> str:
    """The NRP stripped of surrounding spaces; ValidationError on `nrp` unless 8 digits."""
    nrp = (nrp or "").strip()
    if not _NRP_RE.fullmatch(nrp):
        raise ValidationError({"nrp": _("NRP must be exactly 8 digits.")})
    return nrp


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date %(date)s lies in the future.")
                               % {"date": day.isoformat()}})


@transaction.atomic
def officer_create(*, actor: User | None, nrp: str, name: str, rank: str, unit: PoliceUnit,
                   phone: str = "", email: str = "", active: bool = True,
                   function: str = Officer.Function.BHABINKAMTIBMAS) -> Officer:
    """Register an officer. Requires: admin, or supervisor whose scope covers the unit."""
    _require_unit_manager(actor, unit)
    nrp = validate_nrp(nrp)
    duplicate = ValidationError({"nrp": _("An officer with NRP %(nrp)s already exists.") % {"nrp": nrp}})
    if Officer.objects.filter(nrp=nrp).exists():
        raise duplicate
    officer = Officer(nrp=nrp, name=name.strip(), rank=rank, unit=unit, phone=validate_phone(phone),
                      email=validate_email_address(email), active=active, function=function)
    officer.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a concurrent insert of the same NRP loses here
            officer.save()
    except IntegrityError:
        raise duplicate from None
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
    Bhabinkamtibmas is ended the day before. Requires: manager of the officer's unit whose
    scope also covers the village."""
    _require_unit_manager(actor, officer.unit)
    _require_region_in_scope(actor, village.code)
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
    try:
        with transaction.atomic():  # another posting to the village committed meanwhile
            assignment = Assignment.objects.create(officer=officer, village=village, start=start)
    except IntegrityError:
        raise ValidationError({"village": _(
            "Village %(code)s already has an active Bhabinkamtibmas."
        ) % {"code": village.code}}) from None
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


@transaction.atomic
def training_record_add(*, actor: User | None, officer: Officer, course: str, completed_on: dt.date,
                        provider: str = "", certificate: str = "") -> Training:
    """Record a course the officer completed; sending the same record again returns the one
    stored. Requires: manager of the officer's unit."""
    _require_unit_manager(actor, officer.unit)
    _not_in_future(completed_on, "completed_on")
    training = Training(officer=officer, course=(course or "").strip(), completed_on=completed_on,
                        provider=(provider or "").strip(), certificate=(certificate or "").strip())
    training.full_clean()
    same = Training.objects.filter(officer=officer, course=training.course, completed_on=completed_on,
                                   provider=training.provider, certificate=training.certificate)
    if (existing := same.first()) is not None:
        return existing
    training.save()
    audit_record(actor=actor, action="training.add", obj=training,
                 region_code=officer.unit.region_id or "",
                 detail={"officer": officer.nrp, "course": training.course})
    return training


@transaction.atomic
def equipment_add(*, actor: User | None, unit: PoliceUnit, kind: str,
                  condition: str = Equipment.Condition.GOOD, description: str = "",
                  officer: Officer | None = None, acquired_on: dt.date | None = None) -> Equipment:
    """Register an item held by `unit`, optionally issued to one of its officers (or an officer of
    a unit under it). Requires: manager of the unit."""
    _require_unit_manager(actor, unit)
    if officer is not None:
        below = officer.unit_id == unit.pk or any(
            any_covers(unit.prefixes(), p) for p in officer.unit.prefixes()
        )
        if not below:
            raise ValidationError({"officer": _(
                "Officer %(nrp)s does not serve in %(unit)s or a unit under it."
            ) % {"nrp": officer.nrp, "unit": unit}})
    _not_in_future(acquired_on, "acquired_on")
    item = Equipment(unit=unit, officer=officer, kind=kind, condition=condition,
                     description=(description or "").strip(), acquired_on=acquired_on)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="equipment.add", obj=item, region_code=unit.region_id or "",
                 detail={"kind": kind, "officer": officer.nrp if officer else ""})
    return item


@transaction.atomic
def assignment_transfer(*, actor: User | None, assignment: Assignment, village: Region,
                        start: dt.date) -> Assignment:
    """Move an officer from the village of `assignment` to `village` from `start`: the
    current posting ends the day before, the new one starts (both audited). The new village
    must lie in the officer's unit's jurisdiction and the actor's scope, and have no active
    Bhabinkamtibmas. Requires: manager of the officer's unit."""
    _require_unit_manager(actor, assignment.officer.unit)
    if assignment.end is not None:
        raise ValidationError({"assignment": _("This posting has already ended.")})
    if village.code == assignment.village_id:
        raise ValidationError({"village": _("The officer is already posted to this village.")})
    if start <= assignment.start:
        raise ValidationError({"start": _("The new posting must start after the current one.")})
    _require_region_in_scope(actor, village.code)
    check_assignable(assignment.officer, village)
    assignment_end(actor=actor, assignment=assignment, end=start - dt.timedelta(days=1))
    return assignment_start(actor=actor, officer=assignment.officer, village=village, start=start)


def can_manage(actor: User, officer: Officer) -> bool:
    """May `actor` post, transfer and end `officer`'s postings and record their training and
    equipment? (an admin, or a supervisor whose scope covers the officer's unit)"""
    try:
        _require_unit_manager(actor, officer.unit)
    except PermissionDenied:
        return False
    return True
