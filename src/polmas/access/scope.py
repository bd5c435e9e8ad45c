"""A user's scope: the region-code prefixes they may see, derived from their roles."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User

from polmas.access.models import Role, RoleGrant
from polmas.core.scope import NATIONAL, any_covers, normalize, prefix_q
from polmas.policing.models import Assignment, Jurisdiction


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

    def q(self, field_name: str):  # type: ignore[no-untyped-def]
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
    scope = _derive(user)  # type: ignore[arg-type]
    user._polmas_scope = scope  # type: ignore[union-attr]
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
    unit_roles = {g.unit_id for g in grants if g.role in (Role.SUPERVISOR, Role.PPA_OFFICER)}
    if unit_roles:
        prefixes.update(
            Jurisdiction.objects.filter(unit_id__in=unit_roles).values_list("prefix", flat=True)
        )
    if Role.BHABINKAMTIBMAS in roles:
        prefixes.update(
            Assignment.objects.filter(officer__user=user, end__isnull=True)
            .values_list("village_id", flat=True)
        )
    if Role.FKPM_MEMBER in roles:
        from django.apps import apps

        # forums sits above access; read through the app registry to keep imports one-way.
        Member = apps.get_model("forums", "Member")
        prefixes.update(
            Member.objects.filter(user=user, active=True).values_list("forum__village_id", flat=True)
        )
    return Scope(prefixes=normalize(prefixes), roles=frozenset(roles), user_id=user.pk,
                 unit_ids=frozenset(unit_ids))
