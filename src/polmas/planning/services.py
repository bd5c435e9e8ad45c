"""Writes of the planning room: proposals (scenarios), applying them, targets and milestones.

Every function takes keyword arguments, checks its inputs (ValidationError naming the field),
checks the actor's scope (PermissionDenied, answered 404 by callers) and writes the audit log.
Postings change only through policing's services, one audited change per officer.
"""

import datetime as dt
import math
import re

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.errors import Conflict
from polmas.planning import planner
from polmas.planning.models import LOWER_IS_BETTER, Indicator, Milestone, Proposal, Target
from polmas.policing import services as policing
from polmas.policing.models import Assignment, Officer
from polmas.regions import codes
from polmas.regions.models import Region

PLANNERS = ("planner", "supervisor", "admin")
MAX_K = 50
MAX_D = 500.0
MAX_NEW = 100_000


# PostgreSQL refuses NUL in text, and no control character belongs in a one-line name.
CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _has_controls(value: str) -> bool:
    return bool(CONTROLS.search(value))


class NotPlanner(PermissionDenied):
    """The actor holds no role that plans (answered 403)."""


def _require_planner_role(actor: User | None) -> None:
    if actor is not None and not scope_for(actor).has(*PLANNERS):
        raise NotPlanner(_("Only planners, supervisors and administrators may plan."))


class Stale(Conflict):
    """The postings changed since the proposal was computed (answered 409)."""


def check_region(code: str, *, max_level: int = codes.DISTRICT) -> str:
    code = (code or "").strip()
    if code and (not codes.is_valid(code) or codes.level_of(code) > max_level):
        raise ValidationError({"region": _("%(code)s is not a province, regency or district code.")
                               % {"code": code[:20]}})
    if code and not Region.objects.filter(code=code).exists():
        raise ValidationError({"region": _("There is no region %(code)s.") % {"code": code}})
    return code


def may_plan(actor: User, code: str) -> bool:
    scope = scope_for(actor)
    return scope.has(*PLANNERS) and (scope.national or scope.covers(code))


def check_parameters(*, k, d_km, move_penalty=1.0, add_officers=0) -> tuple[int, float, float, int]:
    errors: dict[str, str] = {}
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        errors["k"] = _("must be a whole number of at least 1")
    elif k > MAX_K:
        errors["k"] = _("must be at most %(n)s") % {"n": MAX_K}
    if not isinstance(d_km, int | float) or isinstance(d_km, bool) or not math.isfinite(d_km) \
            or d_km <= 0:
        errors["d_km"] = _("must be a distance above 0 km")
    elif d_km > MAX_D:
        errors["d_km"] = _("must be at most %(n)s km") % {"n": int(MAX_D)}
    if not isinstance(move_penalty, int | float) or isinstance(move_penalty, bool) \
            or not math.isfinite(move_penalty) or not 0 <= move_penalty <= 100:
        errors["move_penalty"] = _("must be a number from 0 to 100")
    if not isinstance(add_officers, int) or isinstance(add_officers, bool) \
            or not 0 <= add_officers <= MAX_NEW:
        errors["add_officers"] = _("must be a whole number from 0 to %(n)s") % {"n": MAX_NEW}
    if errors:
        raise ValidationError(errors)
    return k, float(d_km), float(move_penalty), add_officers


def proposal_create(*, actor: User | None, region: str, k, d_km, move_penalty=1.0,
                    add_officers=0, name: str = "") -> Proposal:
    """Run the planner over `region` and save the result. Requires: planner, supervisor or
    admin whose scope covers the region; adding officers outside it is refused."""
    region = check_region(region)
    k, d_km, move_penalty, add_officers = check_parameters(
        k=k, d_km=d_km, move_penalty=move_penalty, add_officers=add_officers)
    _require_planner_role(actor)
    name = (name or "").strip()
    if len(name) > 120:
        raise ValidationError({"name": _("must be at most 120 characters")})
    if _has_controls(name):
        raise ValidationError({"name": _("contains control characters.")})
    if actor is not None and not may_plan(actor, region):
        if add_officers and scope_for(actor).has(*PLANNERS):
            raise ValidationError({"add_officers": _(
                "%(code)s lies outside your area: you cannot add officers there."
            ) % {"code": region or "ID"}})
        raise PermissionDenied(_("%(code)s lies outside your area.") % {"code": region or "ID"})
    result = planner.plan(region, k=k, d_km=d_km, move_penalty=move_penalty,
                          add_officers=add_officers)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            region_code=region, name=name, k=k, d_km=d_km, move_penalty=move_penalty,
            add_officers=add_officers, fingerprint=result.fingerprint, result=result.to_store(),
            coverage_before=result.coverage_before, coverage_after=result.coverage_after,
            greedy_coverage=result.greedy_coverage, gap_max=result.gap_max, moved=result.moved,
            need_covered=result.need_covered_after, created_by=actor)
        audit_record(actor=actor, action="planning.proposal", obj=proposal, region_code=region,
                     detail={"k": k, "d_km": d_km, "add_officers": add_officers})
    return proposal


def may_apply(actor: User, proposal: Proposal) -> bool:
    scope = scope_for(actor)
    if scope.has("admin"):
        return True
    return (scope.has("supervisor") and bool(proposal.region_code)
            and codes.level_of(proposal.region_code) in (codes.REGENCY, codes.DISTRICT)
            and scope.covers(proposal.region_code))


def proposal_apply(*, actor: User | None, proposal: Proposal, start: dt.date | None = None) -> int:
    """Carry out a proposal through policing's posting services: for each officer whose
    villages change, the dropped postings end the day before `start` and the new ones begin
    on `start`; one audit entry per officer besides policing's own. Returns the officers
    changed. Raises Stale (nothing applied) when today's postings differ from those the
    proposal was computed on. Requires: a supervisor of the proposal's Polres or Polsek, or
    an admin."""
    if actor is not None and not may_apply(actor, proposal):
        raise PermissionDenied(_("You may apply proposals only to your own Polres or Polsek."))
    if proposal.applied_at is not None:
        raise ValidationError({"proposal": _("This proposal has already been applied.")})
    if proposal.add_officers:
        raise ValidationError({"proposal": _(
            "A proposal with new officers cannot be applied: register the officers first, "
            "then plan again.")})
    start = start or timezone.localdate()
    changes = proposal.result.get("changes", [])
    with transaction.atomic():
        # Lock today's postings of the region's officers, then compare: a concurrent change
        # either commits before (and the digest differs) or waits for us.
        nrps = [c["officer"] for c in changes]
        list(Assignment.objects.select_for_update().filter(officer__nrp__in=nrps, end__isnull=True))
        if planner.postings_fingerprint(proposal.region_code) != proposal.fingerprint:
            raise Stale(_("The postings have changed since this proposal was computed; "
                          "compute it again."))
        officers = {o.nrp: o for o in Officer.objects.filter(nrp__in=nrps).select_related("unit")}
        villages = {r.code: r for r in Region.objects.filter(
            code__in={v for c in changes for v in c["after"]})}
        yesterday = start - dt.timedelta(days=1)
        for change in changes:  # every drop first: a village may pass from one officer to another
            dropped = set(change["before"]) - set(change["after"])
            for a in Assignment.objects.filter(officer__nrp=change["officer"], end__isnull=True,
                                               village_id__in=dropped):
                policing.assignment_end(actor=actor, assignment=a, end=max(a.start, yesterday))
        for change in changes:
            officer = officers[change["officer"]]
            for code in sorted(set(change["after"]) - set(change["before"])):
                policing.assignment_start(actor=actor, officer=officer, village=villages[code],
                                          start=start)
            audit_record(actor=actor, action="planning.apply", obj=officer,
                         region_code=change["district"],
                         detail={"proposal": proposal.pk, "before": change["before"],
                                 "after": change["after"]})
        proposal.applied_by = actor
        proposal.applied_at = timezone.now()
        proposal.save(update_fields=["applied_by", "applied_at"])
    return len(changes)


def may_set_targets(actor: User, code: str) -> bool:
    scope = scope_for(actor)
    if scope.has("admin"):
        return True
    return scope.has("planner", "supervisor") and (scope.national or (bool(code)
                                                                      and scope.covers(code)))


def target_set(*, actor: User | None, region: str, indicator: str, year, value) -> Target:
    """Set (or change) a region's target for one indicator and year. Percentages lie in
    0-100; median days in 0-365; the year lies from this year to 2100. Requires: planner,
    supervisor (their region) or admin."""
    errors: dict[str, str] = {}
    try:
        region = check_region(region, max_level=codes.REGENCY)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if indicator not in Indicator.values:
        errors["indicator"] = _("is not one of: %(choices)s") % {"choices": ", ".join(Indicator.values)}
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool) or not this_year <= year <= 2100:
        errors["year"] = _("must be a year from %(y)s to 2100 (a target year cannot be past)") % {
            "y": this_year}
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        errors["value"] = _("must be a number")
    elif indicator in LOWER_IS_BETTER and not 0 < value <= 365:
        errors["value"] = _("must be a number of days above 0 and at most 365")
    elif indicator not in LOWER_IS_BETTER and not 0 <= value <= 100:
        errors["value"] = _("must be a percentage from 0 to 100")
    if errors:
        raise ValidationError(errors)
    _require_planner_role(actor)
    if actor is not None and not may_set_targets(actor, region):
        raise PermissionDenied(_("%(code)s lies outside your area.") % {"code": region or "ID"})
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            region_code=region, indicator=indicator, year=year,
            defaults={"value": float(value), "set_by": actor})
        audit_record(actor=actor, action="planning.target", obj=target, region_code=region,
                     detail={"indicator": indicator, "year": year, "value": float(value)})
    return target


def milestone_save(*, actor: User | None, region: str, title: str, owner: str, due,
                   status: str = Milestone.Status.PLANNED, owner_name: str = "",
                   milestone: Milestone | None = None) -> Milestone:
    """Create a milestone, or change one (its status, typically). Requires as target_set."""
    errors: dict[str, str] = {}
    try:
        region = check_region(region)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors["title"] = _("must hold 1 to 200 characters")
    elif _has_controls(title):
        errors["title"] = _("contains control characters.")
    if owner not in Milestone.Owner.values:
        errors["owner"] = _("is not one of: %(choices)s") % {"choices": ", ".join(Milestone.Owner.values)}
    if status not in Milestone.Status.values:
        errors["status"] = _("is not one of: %(choices)s") % {"choices": ", ".join(Milestone.Status.values)}
    if not isinstance(due, dt.date) or not dt.date(2000, 1, 1) <= due <= dt.date(2100, 12, 31):
        errors["due"] = _("must be a date from 2000 to 2100")
    owner_name = (owner_name or "").strip()
    if len(owner_name) > 150:
        errors["owner_name"] = _("must be at most 150 characters")
    elif _has_controls(owner_name):
        errors["owner_name"] = _("contains control characters.")
    if errors:
        raise ValidationError(errors)
    _require_planner_role(actor)
    if actor is not None and not may_set_targets(actor, region):
        raise PermissionDenied(_("%(code)s lies outside your area.") % {"code": region or "ID"})
    with transaction.atomic():
        m = milestone or Milestone(created_by=actor)
        m.region_code, m.title, m.owner, m.owner_name, m.due, m.status = (
            region, title, owner, owner_name, due, status)
        m.save()
        audit_record(actor=actor, action="planning.milestone", obj=m, region_code=region,
                     detail={"status": status})
    return m


class MilestoneChanged(Conflict):
    """A field of the milestone changed since the editor read it (answered 409, naming it)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


MILESTONE_EDITABLE = ("status", "due", "owner", "owner_name")


def _milestone_value(m: Milestone, name: str) -> str:
    value = getattr(m, name)
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def milestone_update(*, actor: User | None, milestone: Milestone, status: str | None = None,
                     due=None, owner: str | None = None, owner_name: str | None = None,
                     seen: dict | None = None) -> Milestone:
    """Change a milestone's status, due date, owner or owner's name (None: unchanged).
    `seen` holds the values the editor saw ({field: text}); when one of them differs from
    today's, MilestoneChanged (409) names it and nothing is written. Requires: a planner or
    supervisor whose scope covers the milestone's region, or an admin (PermissionDenied)."""
    errors: dict[str, str] = {}
    if status is not None and status not in Milestone.Status.values:
        errors["status"] = _("is not one of: %(choices)s") % {"choices": ", ".join(Milestone.Status.values)}
    if owner is not None and owner not in Milestone.Owner.values:
        errors["owner"] = _("is not one of: %(choices)s") % {"choices": ", ".join(Milestone.Owner.values)}
    if due is not None and (not isinstance(due, dt.date)
                            or not dt.date(2000, 1, 1) <= due <= dt.date(2100, 12, 31)):
        errors["due"] = _("must be a date from 2000 to 2100")
    if owner_name is not None:
        owner_name = owner_name.strip() if isinstance(owner_name, str) else None
        if owner_name is None or len(owner_name) > 150:
            errors["owner_name"] = _("must be at most 150 characters")
        elif _has_controls(owner_name):
            errors["owner_name"] = _("contains control characters.")
    unknown = sorted(set(seen or {}) - set(MILESTONE_EDITABLE))
    if unknown:
        errors["seen"] = _("names fields that cannot be edited: %(fields)s") % {
            "fields": ", ".join(unknown)[:100]}
    if errors:
        raise ValidationError(errors)
    _require_planner_role(actor)
    if actor is not None and not may_set_targets(actor, milestone.region_code):
        raise PermissionDenied(_("%(code)s lies outside your area.") % {
            "code": milestone.region_code or "ID"})
    wanted = {"status": status, "due": due, "owner": owner, "owner_name": owner_name}
    with transaction.atomic():
        m = Milestone.objects.select_for_update().get(pk=milestone.pk)
        for name, value in (seen or {}).items():
            if _milestone_value(m, name) != str(value or ""):
                raise MilestoneChanged(name, _(
                    "%(field)s was changed by someone else since you opened the milestone; "
                    "look at it again.") % {"field": str(Milestone._meta.get_field(name).verbose_name)})
        changed = {}
        for name, value in wanted.items():
            if value is not None and getattr(m, name) != value:
                changed[name] = [_milestone_value(m, name), value.isoformat()
                                 if isinstance(value, dt.date) else value]
                setattr(m, name, value)
        if changed:
            m.save(update_fields=list(changed))
            audit_record(actor=actor, action="planning.milestone", obj=m, region_code=m.region_code,
                         detail={"changed": changed})
    return m
