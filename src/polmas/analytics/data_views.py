"""Bulk data for analysts: a year's reports, cases, activities or meetings, anonymised
(analytics/bulk.py), as CSV or Parquet, streamed. Planners, supervisors and administrators,
within their scope; every download audited."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.analytics.bulk import TABLES, bulk_rows, csv_stream, parquet_stream
from polmas.analytics.params import BadParam
from polmas.analytics.views import bad_request
from polmas.regions import codes

BULK_ROLES = ("planner", "supervisor", "admin")
FORMATS = {"csv": ("text/csv; charset=utf-8", csv_stream),
           "parquet": ("application/vnd.apache.parquet", parquet_stream)}
FIRST_YEAR = 2000
DISTRICT = 8


@login_required
@require_GET
def bulk_export(request: HttpRequest, kind: str, year: int, fmt: str) -> HttpResponse:
    """GET /dashboard/data/<kind>/<year>.<csv|parquet>[?region=CODE]: 403 for other roles,
    404 for a region outside scope, 400 for a bad year or region."""
    scope = scope_for(request.user)
    if not scope.has(*BULK_ROLES):
        raise PermissionDenied
    if kind not in TABLES or fmt not in FORMATS:
        raise Http404
    try:
        if not FIRST_YEAR <= year <= dt.date.today().year:
            raise BadParam("year", _("Give a year from %(first)d to this year.") % {"first": FIRST_YEAR})
        region = request.GET.get("region", "").strip()
        # No finer than a district: a village's file would tell which sealed records lie there.
        if region and (not codes.is_valid(region) or len(region) > DISTRICT):
            raise BadParam("region", _("Give a province, regency or district code, like 51.08.09."))
    except BadParam as exc:
        return bad_request(request, exc)
    if region and not scope.covers(region):
        raise Http404
    prefixes = (region,) if region else scope.prefixes
    audit_record(actor=request.user, action="analytics.bulk_export", object_type="analytics.bulk",
                 object_id=kind, region_code=region,
                 detail={"kind": kind, "year": year, "format": fmt, "prefixes": list(prefixes)[:50]})
    content_type, stream = FORMATS[fmt]
    response = StreamingHttpResponse(stream(kind, bulk_rows(kind=kind, year=year, prefixes=prefixes)),
                                     content_type=content_type)
    name = f"polmas-{kind}-{year}-{region or 'scope'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
