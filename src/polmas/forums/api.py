"""FKPM forums and their members, as far as the caller's scope reaches."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from polmas.core.api import DETAIL_ERRORS, READ_ERRORS, Page, RecordId, not_found, stable
from polmas.forums import selectors
from polmas.forums.models import Forum

router = Router(tags=["forums"])

SCOPE_NOTE = (" Only forums in your scope; one outside it answers 404 as if it did not exist."
              " Residents see none.")


class ForumOut(Schema):
    id: int
    name: str
    model: str
    zone_kind: str
    local_name: str
    village_code: str
    status: str
    founded_on: dt.date | None

    @staticmethod
    def resolve_village_code(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.village_id


# Members' phone and email are personal data: never part of the API, not even in scope.
class MemberOut(Schema):
    name: str
    role: str
    group: str


class ForumDetailOut(ForumOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj, context) -> list:  # type: ignore[no-untyped-def]
        request = context["request"]
        return list(selectors.forum_members(user=request.auth, forum=obj))


@router.get("", response={200: list[ForumOut], **READ_ERRORS}, summary="FKPM forums in my scope",
            description="Forums whose village lies in your scope." + SCOPE_NOTE)
@paginate(Page)
def forum_list(request: HttpRequest, status: Forum.Status | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.forum_list(user=request.auth)
    if status:
        qs = qs.filter(status=status)
    return stable(qs, "village_id", "name")


@router.get("/{forum_id}", response={200: ForumDetailOut, **DETAIL_ERRORS},
            summary="One forum with its active members (names, roles, groups; no contacts)",
            description=SCOPE_NOTE.strip())
def forum_detail(request: HttpRequest, forum_id: RecordId):  # type: ignore[no-untyped-def]
    forum = selectors.forum_get(user=request.auth, forum_id=forum_id)
    if forum is None:
        raise not_found()
    return forum
