"""Public statistics and open data: no login, small counts suppressed (see analytics.public)."""

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from polmas.analytics.params import BadParam, board_params
from polmas.analytics.public import (
    FIELDS,
    LICENCE,
    LICENCE_URL,
    as_numbers,
    open_data,
    public_board,
    published,
    updated_at,
)
from polmas.core.db.replica import replica_view
from polmas.regions import codes


def _bad(request: HttpRequest, exc: BadParam) -> HttpResponse:
    return render(request, "statistik/bad_request.html", {"name": exc.name, "reason": exc.reason}, status=400)


def _url(code: str) -> str:
    return reverse("statistik:region", args=[code]) if code else reverse("statistik:national")


@require_GET
@replica_view
def page(request: HttpRequest, code: str = "") -> HttpResponse:
    try:
        params = board_params(request.GET)
    except BadParam as exc:
        return _bad(request, exc)
    board = public_board(code=code, year=params.year)
    if board is None:
        raise Http404
    return render(request, "statistik/page.html", {
        "board": board, "year": params.year, "values": published(board.figures),
        "children": [(c, published(c.figures), _url(c.code)) for c in board.children],
        "categories": [(c, published(c.figures)) for c in board.categories],
        "level_name": codes.LEVEL_NAMES.get(board.level, ""),
        "child_level_name": codes.LEVEL_NAMES.get(board.level + 1, ""),
        "crumbs": [(_url(c), n) for c, n in board.crumbs],
        "licence": LICENCE, "licence_url": LICENCE_URL, "updated_at": updated_at(),
        "csv_url": f"{reverse('statistik:csv')}?year={params.year}",
        "geojson_url": f"{reverse('statistik:geojson')}?year={params.year}",
    })


def _year(request: HttpRequest) -> int:
    return board_params(request.GET).year


@require_GET
@replica_view
def data_csv(request: HttpRequest) -> HttpResponse:
    try:
        year = _year(request)
    except BadParam as exc:
        return _bad(request, exc)
    stamp = updated_at()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "level", "year", *FIELDS, "licence", "updated_at"])
    for row in open_data(year=year):
        writer.writerow([row.code, row.name, row.level, year, *[row.values[f] for f in FIELDS], LICENCE,
                         stamp.isoformat() if stamp else ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="polmas-statistik-{year}.csv"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@require_GET
@replica_view
def data_geojson(request: HttpRequest) -> HttpResponse:
    try:
        year = _year(request)
    except BadParam as exc:
        return _bad(request, exc)
    stamp = updated_at()
    features = []
    for row in open_data(year=year):
        if row.latitude is None or row.longitude is None:
            continue
        numbers, suppressed = as_numbers(row.values)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
            # Numbers as JSON numbers; a count under 5 is null and named in "suppressed_under_5".
            "properties": {"code": row.code, "name": row.name, "level": row.level, "year": year,
                           **numbers, "suppressed_under_5": suppressed},
        })
    body = {"type": "FeatureCollection", "license": LICENCE, "license_url": LICENCE_URL,
            "updated": stamp.isoformat() if stamp else None, "year": year, "features": features}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    response["Content-Disposition"] = f'attachment; filename="polmas-statistik-{year}.geojson"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response

