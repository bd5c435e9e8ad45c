"""Dashboards: thin views over dashboard.region_board, limited to the viewer's scope."""

import importlib.util
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from polmas.access.audit import audit_record
from polmas.access.scope import Scope, scope_for
from polmas.analytics import charts
from polmas.analytics.dashboard import (
    BOARD_CACHE_SECONDS,
    Board,
    Child,
    region_board,
    rollups_stamp,
)
from polmas.analytics.exports import csv_response, table_rows, xlsx_response
from polmas.analytics.params import (
    FORMATS,
    INDICATORS,
    SORTS,
    TABLES,
    BadParam,
    BoardParams,
    board_params,
    table_format,
)
from polmas.core.db.replica import replica_view
from polmas.core.text import rounded
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys.selectors import estimates_stamp

# Who gets the overdue cases' numbers as links (the case pages answer them; planners get 404).
CASE_READERS = ("bhabinkamtibmas", "supervisor", "ppa_officer", "admin")


def bad_request(request: HttpRequest, exc: BadParam) -> HttpResponse:
    return render(request, "analytics/bad_request.html", {"name": exc.name, "reason": exc.reason}, status=400)


def _readable(scope: Scope, code: str) -> bool:
    """In scope; the country only for a national scope. Malformed codes never are."""
    if not code:
        return scope.national
    return codes.is_valid(code) and scope.covers(code)


def board_url(code: str) -> str:
    return reverse("analytics:region", args=[code]) if code else reverse("analytics:national")


def _sorted(children: list[Child], params: BoardParams) -> list[Child]:
    def key(c: Child):
        if params.sort in ("name", "code"):
            return (0, getattr(c, params.sort))
        value = getattr(c.figures, params.sort)
        return (0, value) if value is not None else (1, 0)

    present = [c for c in children if key(c)[0] == 0]
    missing = [c for c in children if key(c)[0] == 1]
    return sorted(present, key=key, reverse=params.descending) + missing


def fmt(value: float) -> str:
    """A map value in the active language: "88,9" (id), "88.9" (en), "1.234" (id)."""
    whole = float(value).is_integer()
    return rounded(value, 0 if whole else 1, grouping=True)


def _map(board: Board, indicator: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """Points of the children coloured by `indicator`, and the legend (colour, range), its
    numbers in the active language's format."""
    values = [getattr(c.figures, indicator) for c in board.children]
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0, 0)
    points = []
    for child, value in zip(board.children, values, strict=True):
        if child.latitude is None or child.longitude is None:
            continue
        shown = "–" if value is None else fmt(round(value, 1))
        points.append({"lat": child.latitude, "lon": child.longitude, "url": board_url(child.code),
                       "code": child.code, "name": child.name,
                       "value": None if value is None else round(float(value), 1),
                       "colour": charts.colour_for(value, low, high), "label": f"{child.name}: {shown}"})
    step = (high - low) / len(charts.SCALE)
    def one(v: float) -> str:
        return rounded(v, 1, grouping=True)

    legend = [(colour, f"{one(low + i * step)} – {one(low + (i + 1) * step)}")
              for i, colour in enumerate(charts.SCALE)] if high > low else []
    if known and high == low:  # one value everywhere: one colour
        legend = [(charts.SCALE[-1], one(high))]
    return points, legend


def _charts(board: Board, points: list[dict], indicator: str) -> dict:
    import datetime as dt

    labels = [date_format(dt.date(m // 100, m % 100, 1), "M") for m, _f in board.months]
    trend = charts.bars(
        _("Problems raised and resolved per month, %(year)s") % {"year": board.year}, labels,
        [charts.Series(_("reports"), [f.reports for _m, f in board.months]),
         charts.Series(_("problems raised"), [f.raised for _m, f in board.months]),
         charts.Series(_("problems resolved"), [f.resolved for _m, f in board.months])])
    mix = charts.hbars(_("Reports and problems by category, %(year)s") % {"year": board.year},
                       [(c.name, c.figures.reports + c.figures.raised) for c in board.categories])
    dots = charts.dots(_("Map: %(indicator)s") % {"indicator": INDICATORS[indicator]},
                       [(p["lon"], p["lat"], p["colour"], p["label"]) for p in points],
                       names=[p["name"] for p in points])
    return {"trend_svg": trend, "mix_svg": mix, "dots_svg": dots}


def _export_links(code: str, params: BoardParams) -> dict[str, dict[str, str]]:
    query = f"?year={params.year}&sort={'-' if params.descending else ''}{params.sort}"
    links: dict[str, dict[str, str]] = {}
    for table in TABLES:
        for fmt in FORMATS:
            kwargs = {"table": table, "fmt": fmt, **({"code": code} if code else {})}
            name = "analytics:export" if code else "analytics:export-national"
            links.setdefault(table, {})[fmt] = reverse(name, kwargs=kwargs) + query
    return links


def board_cache_key(*, code: str, params: BoardParams, national_link: bool, language: str,
                    stamp: str, case_links: bool = False) -> str:
    """The key of a rendered board: the region, the checked parameters (year, sort,
    indicator), the language, whether the viewer gets the link to the country and links to
    the cases (those who read case pages), and the rollups' stamp. Nothing else on the page
    depends on who is looking."""
    sort = f"{'-' if params.descending else ''}{params.sort}"
    return (f"analytics:board:3:{code or '-'}:{params.year}:{sort}:{params.indicator}:{language}:"
            f"{int(national_link)}:{int(case_links)}:{stamp}")


def _sort_links(params: BoardParams) -> dict[str, str]:
    """Header links: sort by a column, or reverse it when it is the current one. Built from
    the checked parameters only, so the page depends on nothing else in the query."""
    links = {}
    for column in SORTS:
        descending = not params.descending if column == params.sort else column not in ("name", "code")
        query = urlencode({"year": params.year, "indicator": params.indicator,
                           "sort": f"{'-' if descending else ''}{column}"})
        links[column] = f"?{query}#children"
    return links


def _choose(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Several regions in scope and no country: pick one."""
    names = dict(Region.objects.filter(code__in=scope.prefixes).values_list("code", "name"))
    regions = [(p, names.get(p, p), board_url(p)) for p in scope.prefixes if p in names]
    return render(request, "analytics/choose.html", {"regions": regions})


@require_GET
@login_required
@replica_view
def board(request: HttpRequest, code: str = "") -> HttpResponse:
    scope = scope_for(request.user)
    if not code and not scope.national:
        if len(scope.prefixes) == 1:
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return redirect(board_url(scope.prefixes[0]) + query)
        if not scope.prefixes:
            raise Http404
        return _choose(request, scope)
    if not _readable(scope, code):
        raise Http404
    try:
        params = board_params(request.GET)
    except BadParam as exc:
        return bad_request(request, exc)
    # The page body is the same for every viewer allowed to see the region (only the link to
    # the country depends on the viewer), so it is rendered once per rollup state and kept.
    case_links = scope.has(*CASE_READERS)
    key = board_cache_key(code=code, params=params, national_link=scope.national,
                          language=get_language() or "", stamp=f"{rollups_stamp()}:{estimates_stamp()}",
                          case_links=case_links)
    cached = cache.get(key)
    if cached is None:
        data = region_board(code=code, year=params.year, details=True)
        if data is None:
            raise Http404
        cached = (data.name, *_board_body(request, data, params, scope, case_links))
        cache.set(key, cached, BOARD_CACHE_SECONDS)
    title_name, head, body = cached
    # The early warning's card goes between the two kept halves (board.html asks web's
    # `board_alarms` for it: earlywarning sits above analytics). It is drawn per viewer and
    # never kept: who sees which alarm depends on their roles, and an alarm acted on must
    # leave it at once.
    return render(request, "analytics/board.html", {"title_name": title_name, "head": head, "body": body,
                                                     "code": code})


def _board_body(request: HttpRequest, data: Board, params: BoardParams, scope: Scope,
                case_links: bool = False) -> tuple[str, str]:
    """The board's page in two halves: the head (breadcrumbs, title, filters) and the rest."""
    points, legend = _map(data, params.indicator)
    children = _sorted(data.children, params)
    context = {
        "board": data, "children": children, "params": params, "points": points, "legend": legend,
        "indicators": list(INDICATORS.items()), "level_name": codes.LEVEL_NAMES.get(data.level, ""),
        "child_level_name": codes.LEVEL_NAMES.get(data.level + 1, ""),
        "crumb_links": [(board_url(c), n) for c, n in data.crumbs],
        "national_link": board_url("") if scope.national else "",
        "exports": _export_links(data.code, params), "sort_links": _sort_links(params),
        "case_links": case_links, "tiles_url": settings.POLMAS_MAP_TILES_URL,
        "tiles_attribution": settings.POLMAS_MAP_TILES_ATTRIBUTION,
        **_charts(data, points, params.indicator),
    }
    return (render_to_string("analytics/_board_head.html", context, request=request),
            render_to_string("analytics/_board_body.html", context, request=request))


@require_GET
@login_required
@replica_view
def export(request: HttpRequest, table: str, fmt: str, code: str = "") -> HttpResponse:
    """A board's table as CSV or XLSX; outside scope 404, like the board."""
    if not _readable(scope_for(request.user), code):
        raise Http404
    try:
        table, fmt = table_format(table, fmt)
        params = board_params(request.GET)
    except BadParam as exc:
        return bad_request(request, exc)
    data = region_board(code=code, year=params.year, details=table in ("gaps", "overdue"))
    if data is None:
        raise Http404
    headers, rows = table_rows(data, table, _sorted(data.children, params))
    name = f"polmas-{code or 'indonesia'}-{params.year}-{table}"
    # Downloads are audited (UU 27/2022: who took what out), as sealed reads are on a GET.
    audit_record(actor=request.user, action="analytics.export", object_type="analytics.board",
                 object_id=code or "ID", region_code=code,
                 detail={"table": table, "format": fmt, "year": params.year, "rows": len(rows)})
    return (csv_response if fmt == "csv" else xlsx_response)(name, headers, rows)


LEAFLET_FILES = {"leaflet.js": "text/javascript", "leaflet.css": "text/css"}


@require_GET
def leaflet_asset(request: HttpRequest, name: str) -> FileResponse:
    """Leaflet from the django-leaflet package, served by the app itself (no CDN).

    Not through staticfiles: listing `leaflet` in INSTALLED_APPS imports django.contrib.gis,
    which needs the GDAL library. The map draws circle markers only, so leaflet.css's images
    (marker icons, layer control) are never asked for."""
    if name not in LEAFLET_FILES:
        raise Http404
    spec = importlib.util.find_spec("leaflet")
    if spec is None or spec.origin is None:
        raise Http404
    path = Path(spec.origin).parent / "static" / "leaflet" / name
    response = FileResponse(path.open("rb"), content_type=LEAFLET_FILES[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
