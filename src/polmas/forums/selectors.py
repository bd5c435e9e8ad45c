"""Scoped reads of FKPM forums."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from polmas.access.scope import scope_for
from polmas.forums.models import Forum, Member

Caller = User | AnonymousUser


def forum_list(*, user: Caller) -> QuerySet[Forum]:
    """Forums whose village lies in the caller's scope. Requires: an internal role."""
    scope = scope_for(user)
    if not scope.prefixes:
        return Forum.objects.none()
    return Forum.objects.filter(scope.q("village_id")).select_related("village")


def forum_get(*, user: Caller, forum_id: int) -> Forum | None:
    return forum_list(user=user).filter(pk=forum_id).first()


def forum_members(*, user: Caller, forum: Forum) -> QuerySet[Member]:
    """Members of a forum already read through forum_get. Contacts are decrypted on read."""
    return forum.members.filter(active=True)


def forums_of_member(*, user: User) -> QuerySet[Forum]:
    return Forum.objects.filter(members__user=user, members__active=True).distinct()
