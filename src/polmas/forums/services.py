"""Writes to FKPM forums and their members: validated, scoped, audited.

Keyword arguments only, one transaction each. `actor=None` is the system (imports, demo).
A write outside the actor's scope raises PermissionDenied, which callers answer with 404.
"""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.scope import any_covers
from polmas.core.validators import validate_email_address, validate_phone
from polmas.forums.models import Forum, Member
from polmas.policing.models import PoliceUnit
from polmas.policing.tree import unit_for_region
from polmas.regions import codes
from polmas.regions.models import Region

# Roles that may set up forums and keep their membership, within their scope.
FORUM_MANAGERS = ("admin", "supervisor", "bhabinkamtibmas")


def _require_forum_manager(actor: User | None, village_code: str) -> None:
    if actor is None:  # system jobs act with full right
        return
    scope = scope_for(actor)
    if not (scope.has("admin") or (scope.has(*FORUM_MANAGERS) and scope.covers(village_code))):
        raise PermissionDenied(_("You may not manage forums in %(code)s.") % {"code": village_code})


def _check_model_fields(model: str, zone_kind: str, local_name: str) -> None:
    if model not in Forum.Model.values:
        raise ValidationError({"model": _("%(value)s is not a forum model.") % {"value": model}})
    if model == Forum.Model.ZONE:
        if not zone_kind:
            raise ValidationError({"zone_kind": _("A zone forum needs a zone kind.")})
        if zone_kind not in Forum.ZoneKind.values:
            raise ValidationError({"zone_kind": _("%(value)s is not a zone kind.") % {"value": zone_kind}})
    elif zone_kind:
        raise ValidationError({"zone_kind": _("Only zone forums have a zone kind.")})
    if model == Forum.Model.CUSTOMARY and not local_name:
        raise ValidationError({"local_name": _(
            "A customary institution needs its local name (e.g. pecalang)."
        )})


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date %(date)s lies in the future.")
                               % {"date": day.isoformat()}})


@transaction.atomic
def forum_create(*, actor: User | None, village: Region, name: str, model: str = Forum.Model.AREA,
                 zone_kind: str = "", local_name: str = "", unit: PoliceUnit | None = None,
                 status: str = Forum.Status.ACTIVE, founded_on: dt.date | None = None,
                 meeting_place: str = "") -> Forum:
    """Register a forum in a village; without `unit`, the Polsek covering the village supports it.
    Requires: admin, or supervisor / Bhabinkamtibmas whose scope covers the village."""
    _require_forum_manager(actor, village.code)
    if village.level != codes.VILLAGE:
        raise ValidationError({"village": _("%(code)s is not a village.") % {"code": village.code}})
    name, local_name = (name or "").strip(), (local_name or "").strip()
    _check_model_fields(model, zone_kind, local_name)
    if unit is None:
        unit = unit_for_region(code=village.code, kind=PoliceUnit.Kind.POLSEK)
    elif not any_covers(unit.prefixes(), village.code):
        raise ValidationError({"unit": _("%(unit)s does not cover village %(code)s.")
                               % {"unit": unit, "code": village.code}})
    _not_in_future(founded_on, "founded_on")
    duplicate = ValidationError({"name": _("Village %(code)s already has a forum named %(name)s.")
                                 % {"code": village.code, "name": name}})
    if name and Forum.objects.filter(village=village, name=name).exists():
        raise duplicate
    forum = Forum(village=village, name=name, model=model, zone_kind=zone_kind, local_name=local_name,
                  unit=unit, status=status, founded_on=founded_on,
                  meeting_place=(meeting_place or "").strip())
    forum.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            forum.save()
    except IntegrityError:
        raise duplicate from None
    audit_record(actor=actor, action="forum.create", obj=forum, region_code=village.code,
                 detail={"model": model})
    return forum


@transaction.atomic
def forum_member_add(*, actor: User | None, forum: Forum, name: str, group: str,
                     role: str = Member.Role.MEMBER, phone: str = "", email: str = "",
                     joined_on: dt.date | None = None, user: User | None = None) -> Member:
    """Add a member; phone and e-mail are stored encrypted and never written to the audit log.
    A forum has one active chair. Requires: forum manager whose scope covers the forum's village."""
    _require_forum_manager(actor, forum.village_id)
    if forum.status == Forum.Status.DISSOLVED:
        raise ValidationError({"forum": _("%(forum)s is dissolved.") % {"forum": forum}})
    name = (name or "").strip()
    duplicate = ValidationError({"name": _("%(name)s is already a member of %(forum)s.")
                                 % {"name": name, "forum": forum}})
    if name and forum.members.filter(name=name).exists():
        raise duplicate
    member = Member(forum=forum, name=name, group=group, role=role, phone=validate_phone(phone),
                    email=validate_email_address(email), joined_on=joined_on, user=user)
    member.full_clean(validate_unique=False)
    _not_in_future(joined_on, "joined_on")
    if role == Member.Role.CHAIR and forum.members.filter(role=role, active=True).exists():
        raise ValidationError({"role": _("%(forum)s already has a chair.") % {"forum": forum}})
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise duplicate from None
    audit_record(actor=actor, action="forum.member_add", obj=member, region_code=forum.village_id,
                 detail={"forum": forum.pk, "role": role})
    return member
