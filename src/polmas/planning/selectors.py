"""Scoped reads of proposals, targets and milestones. Planners, supervisors and admins read
those of regions inside their scope; others none (404)."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from polmas.access.scope import scope_for
from polmas.planning.models import Milestone, Proposal, Target

READERS = ("planner", "supervisor", "admin")
Caller = User | AnonymousUser


def may_read(user: Caller, code: str) -> bool:
    scope = scope_for(user)
    return scope.has(*READERS) and (scope.national or (bool(code) and scope.covers(code)))


def may_open(user: Caller, code: str) -> bool:
    """A road map may be opened for a region in scope or an ancestor of it (a kapolsek sees
    Bali's targets, which their own inherit)."""
    scope = scope_for(user)
    if not scope.has(*READERS):
        return False
    return scope.national or scope.covers(code) or any(p.startswith(code) for p in scope.prefixes)


def proposal_list(*, user: Caller) -> QuerySet[Proposal]:
    scope = scope_for(user)
    if not scope.has(*READERS):
        return Proposal.objects.none()
    if scope.national:
        return Proposal.objects.all()
    return Proposal.objects.filter(scope.q("region_code")).exclude(region_code="")


def proposal_get(*, user: Caller, proposal_id: int) -> Proposal | None:
    return proposal_list(user=user).filter(pk=proposal_id).first()


def targets_for(*, user: Caller, code: str) -> QuerySet[Target]:
    if not may_open(user, code):
        return Target.objects.none()
    return Target.objects.filter(region_code=code)


def milestones_for(*, user: Caller, code: str) -> QuerySet[Milestone]:
    if not may_open(user, code):
        return Milestone.objects.none()
    qs = Milestone.objects.all()
    if code:
        qs = qs.filter(region_code__gte=code, region_code__lt=code + "/")
    return qs


def milestone_get(*, user: Caller, milestone_id: int) -> Milestone | None:
    """A milestone whose region the caller may open; None otherwise (404)."""
    m = Milestone.objects.filter(pk=milestone_id).first()
    return m if m is not None and may_open(user, m.region_code) else None
