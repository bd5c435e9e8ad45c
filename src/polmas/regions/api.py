from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from polmas.regions import codes, selectors

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None = Field(None, alias="parent_id")
    latitude: float | None
    longitude: float | None


class RegionFilter(Schema):
    q: str | None = Field(None, max_length=100, description="name, tolerant of spelling")
    parent: str | None = Field(None, description="list the children of this code")
    level: int | None = Field(None, ge=1, le=4)


def _valid_code(code: str, field: str) -> str:
    if not codes.is_valid(code):
        raise HttpError(400, _("%(field)s: %(code)r is not a region code like 51.08.09.2007")
                        % {"field": field, "code": code[:20]})
    return code


@router.get("", response=list[RegionOut], summary="List or search regions")
@paginate(LimitOffsetPagination)
def region_list(request: HttpRequest, filters: Query[RegionFilter]):  # type: ignore[no-untyped-def]
    if filters.q:
        within = _valid_code(filters.parent, "parent") if filters.parent else None
        return selectors.region_search(query=filters.q, level=filters.level, within=within,
                                       limit=50)
    parent = _valid_code(filters.parent, "parent") if filters.parent else None
    qs = selectors.region_children(code=parent)
    return qs.filter(level=filters.level) if filters.level else qs


@router.get("/nearest", response=RegionOut, summary="The village nearest to a coordinate")
def region_nearest(request: HttpRequest, lat: float, lon: float):  # type: ignore[no-untyped-def]
    if not selectors.in_indonesia(lat, lon):
        raise HttpError(400, _("lat/lon: the coordinate lies outside Indonesia"))
    village = selectors.nearest_village(lat=lat, lon=lon)
    if village is None:
        raise HttpError(404, _("No village within 50 km of that coordinate."))
    return village


@router.get("/{code}", response=RegionOut, summary="One region by code")
def region_detail(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    region = selectors.region_get(code=_valid_code(code, "code"))
    if region is None:
        raise HttpError(404, _("No region has code %(code)s.") % {"code": code})
    return region
