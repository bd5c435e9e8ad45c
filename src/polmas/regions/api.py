"""Regions: provinces, regencies/cities, districts and villages by Kemendagri code.

Regions are public reference data and no scope applies: every caller sees every region.
They still need a token, like the rest of the API: the API keeps one rule (only
/auth/token and the docs answer without a token), and anonymous readers are served by the
public pages and open data instead.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from polmas.core.api import DETAIL_ERRORS, ApiError, ErrorOut, Page
from polmas.regions import codes, selectors

router = Router(tags=["regions"])

PUBLIC_NOTE = (" Regions are public reference data: no scope applies, but a token is needed "
               "as for every call of this API.")
LAT_RANGE, LON_RANGE = selectors.LAT_RANGE, selectors.LON_RANGE


class RegionOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 province, 2 regency/city, 3 district, 4 village")
    parent: str | None = Field(None, alias="parent_id")
    latitude: float | None
    longitude: float | None


class RegionFilter(Schema):
    q: str | None = Field(None, max_length=100, description="name, tolerant of spelling")
    parent: str | None = Field(None, description="list the children of this code",
                               json_schema_extra={"pattern": codes.CODE_PATTERN})
    level: int | None = Field(None, ge=1, le=4, description="with q: only regions of this level")


class RegionCode(Schema):
    # The view checks the form, answering 400 rather than ninja's 422.
    code: str = Field(json_schema_extra={"pattern": codes.CODE_PATTERN})


class Coordinate(Schema):
    # The range is checked by the view, which names Indonesia in its answer (400).
    lat: float = Field(allow_inf_nan=False, description=f"latitude, {LAT_RANGE[0]} to {LAT_RANGE[1]}",
                       json_schema_extra={"minimum": LAT_RANGE[0], "maximum": LAT_RANGE[1]})
    lon: float = Field(allow_inf_nan=False, description=f"longitude, {LON_RANGE[0]} to {LON_RANGE[1]}",
                       json_schema_extra={"minimum": LON_RANGE[0], "maximum": LON_RANGE[1]})


def _valid_code(code: str, field: str) -> str:
    """`code` if well-formed, else a 400 naming `field`."""
    if not codes.is_valid(code):
        raise ApiError.for_field(400, field, _("is not a region code like 51 or 51.08.09.2007"))
    return code


def _unknown(code: str, field: str) -> ApiError:
    return ApiError.for_field(404, field, _("no region has code %(code)s") % {"code": code})


@router.get("", response={200: list[RegionOut], 400: ErrorOut, **DETAIL_ERRORS},
            summary="List or search regions",
            description="Without `q`: the provinces, or the children of `parent`. With `q`: up to "
            "50 regions whose name matches, best first, optionally within `parent` and of `level`. "
            "A malformed `parent` answers 400, an unknown one 404." + PUBLIC_NOTE)
@paginate(Page)
def region_list(request: HttpRequest, filters: Query[RegionFilter]):
    parent = _valid_code(filters.parent, "parent") if filters.parent else None
    if parent and selectors.region_get(code=parent) is None:
        raise _unknown(parent, "parent")
    if filters.q:
        return selectors.region_search(query=filters.q, level=filters.level, within=parent, limit=50)
    qs = selectors.region_children(code=parent)
    return qs.filter(level=filters.level) if filters.level else qs


@router.get("/nearest", response={200: RegionOut, 400: ErrorOut, **DETAIL_ERRORS},
            summary="The village nearest to a coordinate",
            description="A coordinate outside Indonesia's extent answers 400 naming `lat` or `lon`; "
            "one with no village within about 50 km (open sea) answers 404." + PUBLIC_NOTE)
def region_nearest(request: HttpRequest, point: Query[Coordinate]):
    for field, value, (low, high) in (("lat", point.lat, LAT_RANGE), ("lon", point.lon, LON_RANGE)):
        if not low <= value <= high:
            raise ApiError.for_field(
                400, field, _("lies outside Indonesia: it must be between %(low)s and %(high)s")
                % {"low": low, "high": high})
    village = selectors.nearest_village(lat=point.lat, lon=point.lon)
    if village is None:
        raise ApiError(404, _("No village within 50 km of that coordinate."))
    return village


@router.get("/{code}", response={200: RegionOut, 400: ErrorOut, **DETAIL_ERRORS},
            summary="One region by code",
            description="A malformed code answers 400, an unknown one 404." + PUBLIC_NOTE)
def region_detail(request: HttpRequest, path: Path[RegionCode]):
    code = path.code
    region = selectors.region_get(code=_valid_code(code, "code"))
    if region is None:
        raise _unknown(code, "code")
    return region
