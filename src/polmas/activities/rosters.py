"""Writes on rotating security rosters: create/edit, generate the rotation, swap, check in.
Requires for all: Bhabinkamtibmas, supervisor, FKPM member or admin with the village in scope."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.activities.disaster import disaster_for_village
from polmas.activities.models import ALL_WEEKDAYS, Post, Roster, Shift, ShiftVolunteer, Swap, Volunteer
from polmas.activities.rotation import Person, Plan, plan_rotation, week_of
from polmas.activities.selectors import ROSTER_ROLES, roster_get
from polmas.activities.services import Conflict, control_errors
from polmas.core.validators import validate_phone
from polmas.regions import codes
from polmas.regions.models import Region

MAX_POSTS, MAX_VOLUNTEERS = 30, 300


@dataclass
class VolunteerInput:
    name: str
    phone: str = ""
    available: str = ALL_WEEKDAYS


@dataclass
class RosterInput:
    village: str
    name: str
    start: dt.date
    nights: int
    kind: str = Roster.Kind.RONDA
    weekdays: str = ALL_WEEKDAYS
    per_post: int = 2
    max_per_week: int = 2
    posts: list[str] = field(default_factory=list)
    volunteers: list[VolunteerInput] = field(default_factory=list)


def _days(raw: str) -> str | None:
    days = "".join(sorted(set((raw or "").replace(",", "").replace(" ", ""))))
    return days if days and set(days) <= set(ALL_WEEKDAYS) else None


def _check(actor: User, data: RosterInput) -> tuple[Region | None, dict[str, str]]:
    errors: dict[str, str] = {}
    code = (data.village or "").strip()
    village = Region.objects.filter(code=code).first() if codes.is_valid(code) else None
    if village is None or codes.level_of(code) != codes.VILLAGE:
        errors["village"] = _("No village has code %(code)s.") % {"code": code[:20]}
    elif not (scope_for(actor).has(*ROSTER_ROLES) and scope_for(actor).covers(code)):
        errors["village"] = _("This village is outside your area.")
    if not (data.name or "").strip() or len(data.name) > 150:
        errors["name"] = _("Give the roster a name (at most 150 characters).")
    if data.kind not in Roster.Kind.values:
        errors["kind"] = _("must be one of: %(kinds)s.") % {"kinds": ", ".join(Roster.Kind.values)}
    if data.start is None or abs((data.start - timezone.localdate()).days) > 366:
        errors["start"] = _("must lie within a year of today.")
    if not 1 <= (data.nights or 0) <= 92:
        errors["nights"] = _("must be between 1 and 92.")
    if not 2 <= (data.per_post or 0) <= 10:
        errors["per_post"] = _("must be between 2 and 10: nobody stands guard alone.")
    if not 1 <= (data.max_per_week or 0) <= 7:
        errors["max_per_week"] = _("must be between 1 and 7.")
    if _days(data.weekdays) is None:
        errors["weekdays"] = _("List weekday numbers 0 (Monday) to 6 (Sunday), e.g. 0123456.")
    posts = [p.strip() for p in data.posts if p.strip()]
    if (not posts or len(posts) > MAX_POSTS or len(set(posts)) != len(posts)
            or any(len(p) > 100 for p in posts)):
        errors["posts"] = _("List 1 to %(max)s posts with different names.") % {"max": MAX_POSTS}
    if not 2 <= len(data.volunteers) <= MAX_VOLUNTEERS:
        errors["volunteers"] = _("List 2 to %(max)s volunteers.") % {"max": MAX_VOLUNTEERS}
    for i, v in enumerate(data.volunteers, 1):
        if not v.name.strip() or len(v.name) > 150:
            errors["volunteers"] = _("Volunteer %(n)s has no name.") % {"n": i}
        elif _days(v.available) is None:
            errors["volunteers"] = _("Volunteer %(n)s: list available weekday numbers 0 to 6.") % {"n": i}
        elif v.phone.strip():
            try:
                validate_phone(v.phone.strip())
            except ValidationError as exc:
                errors["volunteers"] = _("Volunteer %(n)s: %(why)s") % {"n": i, "why": " ".join(exc.messages)}
    control_errors(errors, texts={}, lines={"name": data.name, "posts": "".join(data.posts),
                                            "volunteers": "".join(v.name for v in data.volunteers)})
    return village, errors


def _replace_people(roster: Roster, data: RosterInput) -> None:
    roster.shifts.all().delete()
    roster.posts.all().delete()
    roster.volunteers.all().delete()
    Post.objects.bulk_create([Post(roster=roster, name=p.strip(), order=i)
                              for i, p in enumerate(p for p in data.posts if p.strip())])
    Volunteer.objects.bulk_create([
        Volunteer(roster=roster, name=v.name.strip(), phone=v.phone.strip(),
                  available=_days(v.available) or ALL_WEEKDAYS, order=i)
        for i, v in enumerate(data.volunteers)])


@transaction.atomic
def roster_save(*, actor: User, data: RosterInput, roster_id: int | None = None,
                version: int | None = None) -> Roster:
    """Create a roster, or replace one's settings, posts and volunteers (its shifts are
    cleared until generated again; refused once anyone has checked in)."""
    village, errors = _check(actor, data)
    if errors:
        raise ValidationError(errors)
    if roster_id is None:
        roster = Roster(created_by=actor)
    else:
        roster = _editable(actor, roster_id, version)
        if village.pk != roster.village_id:
            raise ValidationError({"village": _("A roster stays in its village.")})
        _no_check_ins(roster)
        roster.version += 1
    roster.village = village
    roster.name, roster.kind = data.name.strip(), data.kind
    roster.start, roster.nights = data.start, data.nights
    roster.weekdays = _days(data.weekdays) or ALL_WEEKDAYS
    roster.per_post, roster.max_per_week = data.per_post, data.max_per_week
    roster.shortages, roster.generated_at, roster.cover = [], None, 0
    roster.save()
    _replace_people(roster, data)
    audit_record(actor=actor, action="roster.save", obj=roster, region_code=roster.village_id)
    return roster


def _editable(actor: User, roster_id: int, version: int | None) -> Roster:
    roster = roster_get(user=actor, roster_id=roster_id, for_update=True)
    if roster is None:
        raise Http404
    if version is not None and roster.version != version:
        raise Conflict(_("This roster was changed by someone else; reload it and try again."))
    return roster


def _no_check_ins(roster: Roster) -> None:
    if ShiftVolunteer.objects.filter(shift__roster=roster, checked_in_at__isnull=False).exists():
        raise ValidationError({"roster": _("Volunteers have already checked in on this roster; "
                                           "use swaps instead, or start a new roster.")})


def roster_nights(roster: Roster, weekdays: str) -> list[dt.date]:
    return [roster.start + dt.timedelta(days=i) for i in range(roster.nights)
            if str((roster.start + dt.timedelta(days=i)).weekday()) in weekdays]


@transaction.atomic
def roster_generate(*, actor: User, roster_id: int, version: int | None = None) -> Roster:
    """(Re)generate the fair rotation. Under an active disaster mode the cover is raised:
    twice the volunteers per post, every night. Refused once anyone has checked in."""
    roster = _editable(actor, roster_id, version)
    _no_check_ins(roster)
    plan = rotation_store(roster)
    audit_record(actor=actor, action="roster.generate", obj=roster, region_code=roster.village_id,
                 detail={"cover": roster.cover, "raised": roster.raised, "short": len(plan.shortages)})
    return roster


def rotation_store(roster: Roster) -> Plan:
    """Plan the rotation for `roster` and replace its shifts (no permission check: callers do)."""
    raised = disaster_for_village(code=roster.village_id) is not None
    need = roster.per_post * 2 if raised else roster.per_post
    nights = roster_nights(roster, ALL_WEEKDAYS if raised else roster.weekdays)
    posts = {p.pk: p for p in roster.posts.all()}
    people = [Person(key=v.pk, available=frozenset(int(d) for d in v.available))
              for v in roster.volunteers.all()]
    plan = plan_rotation(posts=list(posts), people=people, nights=nights, need=need,
                         max_per_week=roster.max_per_week, start=roster.start)
    roster.shifts.all().delete()
    shifts = Shift.objects.bulk_create([Shift(roster=roster, post_id=post, night=night, needed=need)
                                        for (night, post) in plan.slots])
    ShiftVolunteer.objects.bulk_create([
        ShiftVolunteer(shift=s, volunteer_id=k, night=s.night)
        for s in shifts for k in plan.slots[(s.night, s.post_id)]])
    roster.shortages = [{"night": s.night.isoformat(), "post": posts[s.post].name, "needed": s.needed,
                         "assigned": s.assigned} for s in plan.shortages]
    roster.cover, roster.raised, roster.generated_at = need, raised, timezone.now()
    roster.version += 1
    roster.save()
    return plan


def _place(roster: Roster, place_id: int, name: str) -> ShiftVolunteer:
    place = ShiftVolunteer.objects.select_related("shift", "volunteer").filter(
        pk=place_id, shift__roster=roster).first()
    if place is None:
        raise ValidationError({name: _("No such place on this roster.")})
    if place.checked_in_at is not None:
        raise ValidationError({name: _("This volunteer has already checked in for this shift.")})
    return place


def _swap_errors(roster: Roster, moving: ShiftVolunteer, to: ShiftVolunteer) -> list[str]:
    """Why `moving.volunteer` may not take `to`'s shift (empty list: may)."""
    v, night = moving.volunteer, to.shift.night
    out = []
    if str(night.weekday()) not in v.available:
        out.append(_("%(name)s is not available on %(night)s.") % {"name": v.name, "night": night})
    busy = ShiftVolunteer.objects.filter(volunteer=v, night=night).exclude(pk=moving.pk)
    if busy.exists():
        out.append(_("%(name)s already stands guard on %(night)s.") % {"name": v.name, "night": night})
    week = week_of(roster.start, night)
    same_week = [p.night for p in ShiftVolunteer.objects.filter(volunteer=v).exclude(pk=moving.pk)]
    if sum(1 for n in same_week if week_of(roster.start, n) == week) + 1 > roster.max_per_week:
        out.append(_("%(name)s would stand more than %(max)s shifts that week.") % {
            "name": v.name, "max": roster.max_per_week})
    return out


@transaction.atomic
def roster_swap(*, actor: User, roster_id: int, first: int, second: int,
                version: int | None = None) -> Swap:
    """Two volunteers exchange their shifts, if both still keep every rule afterwards."""
    roster = _editable(actor, roster_id, version)
    a, b = _place(roster, first, "first"), _place(roster, second, "second")
    if a.volunteer_id == b.volunteer_id or a.shift_id == b.shift_id:
        raise ValidationError({"second": _("Pick two different volunteers on different shifts.")})
    errors = {}
    if why := _swap_errors(roster, a, b):
        errors["first"] = " ".join(why)
    if why := _swap_errors(roster, b, a):
        errors["second"] = " ".join(why)
    if errors:
        raise ValidationError(errors)
    shift_a, shift_b = a.shift, b.shift
    # Park one place on a far night first, so the unique (volunteer, night) never clashes midway.
    ShiftVolunteer.objects.filter(pk=a.pk).update(night=dt.date(1, 1, 1))
    ShiftVolunteer.objects.filter(pk=b.pk).update(shift=shift_a, night=shift_a.night)
    ShiftVolunteer.objects.filter(pk=a.pk).update(shift=shift_b, night=shift_b.night)
    swap = Swap.objects.create(roster=roster, first=a.volunteer, second=b.volunteer, first_shift=shift_a,
                               second_shift=shift_b, by=actor)
    Roster.objects.filter(pk=roster.pk).update(version=F("version") + 1)
    audit_record(actor=actor, action="roster.swap", obj=roster, region_code=roster.village_id,
                 detail={"first": a.volunteer_id, "second": b.volunteer_id})
    return swap


# How long a check-in can be taken back by whoever recorded it (a tap on the wrong name).
UNDO_WINDOW = dt.timedelta(minutes=30)


@transaction.atomic
def roster_check_in_undo(*, actor: User, roster_id: int, place: int) -> ShiftVolunteer:
    """Take back a check-in. Requires: the roster in the actor's reach, the check-in recorded
    by the actor, less than UNDO_WINDOW ago. Audited."""
    roster = roster_get(user=actor, roster_id=roster_id)
    if roster is None:
        raise Http404
    found = ShiftVolunteer.objects.select_for_update().filter(pk=place, shift__roster=roster).first()
    if found is None:
        raise ValidationError({"place": _("No such place on this roster.")})
    if found.checked_in_at is None:
        return found
    if found.checked_in_by_id != actor.pk:
        raise ValidationError({"place": _("Only the officer who recorded a check-in can take it back.")})
    if timezone.now() - found.checked_in_at > UNDO_WINDOW:
        raise ValidationError({"place": _("A check-in can be taken back only within %(n)d minutes.")
                               % {"n": int(UNDO_WINDOW.total_seconds() // 60)}})
    was = found.checked_in_at
    found.checked_in_at, found.checked_in_by = None, None
    found.save(update_fields=["checked_in_at", "checked_in_by"])
    audit_record(actor=actor, action="roster.check_in_undo", obj=roster, region_code=roster.village_id,
                 detail={"volunteer": found.volunteer_id, "night": found.night.isoformat(),
                         "checked_in_at": was.isoformat()})
    return found


@transaction.atomic
def roster_check_in(*, actor: User, roster_id: int, place: int) -> ShiftVolunteer:
    """Record that a volunteer came to their shift (once; a repeat keeps the first time).
    Allowed from the shift's night until the next day."""
    roster = roster_get(user=actor, roster_id=roster_id)
    if roster is None:
        raise Http404
    found = ShiftVolunteer.objects.select_for_update().select_related("shift", "volunteer").filter(
        pk=place, shift__roster=roster).first()
    if found is None:
        raise ValidationError({"place": _("No such place on this roster.")})
    if found.checked_in_at is not None:
        return found
    today = timezone.localdate()
    if not found.night <= today <= found.night + dt.timedelta(days=1):
        raise ValidationError({"place": _("Check-in is open only on the shift's night and the day after.")})
    found.checked_in_at, found.checked_in_by = timezone.now(), actor
    found.save(update_fields=["checked_in_at", "checked_in_by"])
    audit_record(actor=actor, action="roster.check_in", obj=roster, region_code=roster.village_id,
                 detail={"volunteer": found.volunteer_id, "night": found.night.isoformat()})
    return found
