"""A user's scope: the region-code prefixes they may see, derived from their roles.

access sits below policing and forums: it knows roles and grants, not officers' postings,
units' jurisdictions or forums' members. The rooms that hold those facts register a prefix
source for the roles they anchor (`prefix_source`), from their AppConfig.ready(); scope_for
asks every source registered for a role the user holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User

from polmas.access.models import Role, RoleGrant
from polmas.core.scope import NATIONAL, any_covers, normalize, prefix_q

PrefixSource = Callable[[User, list[RoleGrant]], Iterable[str]]
_SOURCES: list[tuple[frozenset[str], PrefixSource]] = []


def prefix_source(*roles: str) -> Callable[[PrefixSource], PrefixSource]:
    """Register `fn(user, grants)` as a source of scope prefixes for users holding any of
    `roles`. Used by the rooms above access (policing, forums) from their ready()."""

    def register(fn: PrefixSource) -> PrefixSource:
        if not any(fn is known for _, known in _SOURCES):
            _SOURCES.append((frozenset(roles), fn))
        return fn

    return register


@dataclass(frozen=True)
class Scope:
    """Prefixes the caller may read, and the roles they hold (with their anchors)."""

    prefixes: tuple[str, ...]
    roles: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def national(self) -> bool:
        return NATIONAL in self.prefixes

    def covers(self, code: str) -> bool:
        return any_covers(self.prefixes, code)

    def q(self, field_name: str):
        return prefix_q(field_name, self.prefixes)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


EMPTY = Scope(prefixes=())


def scope_for(user: User | AnonymousUser) -> Scope:
    """Derive the scope of `user` (cached on the user object for the request)."""
    if not user.is_authenticated:
        return EMPTY
    cached = getattr(user, "_polmas_scope", None)
    if cached is not None:
        return cached
    scope = _derive(user)
    user._polmas_scope = scope
    return scope


def _derive(user: User) -> Scope:
    grants = list(RoleGrant.objects.filter(user=user))
    roles = {g.role for g in grants}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    prefixes: set[str] = set()
    unit_ids = {g.unit_id for g in grants if g.unit_id}
    for g in grants:
        if g.role in (Role.ADMIN,):
            prefixes.add(NATIONAL)
        elif g.role in (Role.PLANNER, Role.PARTNER):
            prefixes.add(g.region_id if g.region_id else NATIONAL)
    if Role.ADMIN in roles:
        prefixes.add(NATIONAL)
    for wanted, source in _SOURCES:
        if wanted & roles:
            prefixes.update(source(user, grants))
    return Scope(prefixes=normalize(prefixes), roles=frozenset(roles), user_id=user.pk,
                 unit_ids=frozenset(unit_ids))
