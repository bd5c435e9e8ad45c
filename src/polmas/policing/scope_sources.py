"""Where the scope of officers and unit roles comes from, told to access (see
polmas.access.scope): a supervisor or PPA officer sees their unit's jurisdiction, a
Bhabinkamtibmas the villages of their current postings."""

from django.contrib.auth.models import User

from polmas.access.models import Role, RoleGrant
from polmas.access.scope import prefix_source
from polmas.policing.models import Assignment, Jurisdiction


@prefix_source(Role.SUPERVISOR, Role.PPA_OFFICER)
def unit_jurisdictions(user: User, grants: list[RoleGrant]) -> list[str]:
    units = {g.unit_id for g in grants if g.role in (Role.SUPERVISOR, Role.PPA_OFFICER) and g.unit_id}
    return list(Jurisdiction.objects.filter(unit_id__in=units).values_list("prefix", flat=True))


@prefix_source(Role.BHABINKAMTIBMAS)
def posted_villages(user: User, grants: list[RoleGrant]) -> list[str]:
    return list(Assignment.objects.filter(officer__user=user, end__isnull=True)
                .values_list("village_id", flat=True))
