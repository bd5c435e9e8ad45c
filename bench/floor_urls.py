"""The served floor: the figures of a board as JSON, read with the benchmark's hand-written
statements (dashboards.floor_statements) on the app's own database connection, behind the
same login, middleware and server as the dashboards. What a dashboard costs beyond this is
the dashboard's own work: its queries, its Python and its HTML."""

import json

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from polmas.urls import urlpatterns as project_urlpatterns

_counters: list[str] = []


def _rows(code: str) -> list[list]:
    from dashboards import counter_columns, floor_statements

    connection.ensure_connection()
    raw = connection.connection
    kind = "postgres" if connection.vendor == "postgresql" else "sqlite"
    if not _counters:
        _counters.extend(counter_columns(raw, kind))
    out = []
    for sql, params in floor_statements(kind, _counters, code):
        out.extend(list(r) for r in raw.execute(sql, params).fetchall())
    return out


@require_GET
@login_required
def floor(request: HttpRequest, code: str = "") -> HttpResponse:
    return HttpResponse(json.dumps({"rows": _rows(code)}, default=str), content_type="application/json")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/<str:code>/", floor),
    *project_urlpatterns,
]
