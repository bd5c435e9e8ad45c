import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from polmas.forums import selectors

router = Router(tags=["forums"])


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


@router.get("", response=list[ForumOut], summary="FKPM forums in my scope")
@paginate(LimitOffsetPagination)
def forum_list(request: HttpRequest, status: str | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.forum_list(user=request.auth)
    return qs.filter(status=status) if status else qs


@router.get("/{forum_id}", response=ForumDetailOut, summary="One forum with its members")
def forum_detail(request: HttpRequest, forum_id: int):  # type: ignore[no-untyped-def]
    forum = selectors.forum_get(user=request.auth, forum_id=forum_id)
    if forum is None:
        raise HttpError(404, _("Not found."))
    return forum
