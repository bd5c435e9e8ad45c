"""Where an FKPM member's scope comes from, told to access (see polmas.access.scope): the
villages of the forums they are an active member of."""

from django.contrib.auth.models import User

from polmas.access.models import Role, RoleGrant
from polmas.access.scope import prefix_source
from polmas.forums.models import Member


@prefix_source(Role.FKPM_MEMBER)
def forum_villages(user: User, grants: list[RoleGrant]) -> list[str]:
    return list(Member.objects.filter(user=user, active=True).values_list("forum__village_id", flat=True))
