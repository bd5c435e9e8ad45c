"""The served floors of the benchmarks.

/bench/floor/report (bench/intake.py): the ORM floor of report intake. It parses the same JSON
with the same schema as POST /api/v1/reports (reports.api_schemas.ReportIn) and stores the same
row with one `Report.objects.create()`, through the public ORM, behind the same server and
middleware: no checks, no duplicate search, no limits, no routing (the row is stored as routed,
marked client_key=FLOOR_KEY so the intake bench can tell it apart). What intake costs beyond
it is our own logic.

/bench/floor/<code>/ (bench/dashboards.py): the figures of a board as JSON, read with the
benchmark's hand-written
statements (dashboards.floor_statements) on the app's own database connection, behind the
same login, middleware and server as the dashboards. What a dashboard costs beyond this is
the dashboard's own work: its queries, its Python and its HTML."""

import json
import secrets

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

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


FLOOR_KEY = "bench-floor"
_categories: dict[str, tuple[int, bool]] = {}


@csrf_exempt
@require_POST
def report_floor(request: HttpRequest) -> HttpResponse:
    import pydantic

    from polmas.analytics.receivers import paused
    from polmas.reports.api_schemas import ReportIn
    from polmas.reports.models import Category, Report

    try:
        payload = ReportIn.model_validate_json(request.body)
    except pydantic.ValidationError as exc:
        return HttpResponse(exc.json(), status=422, content_type="application/json")
    if not _categories:  # as intake keeps the catalogue per process
        rows = Category.objects.values_list("code", "pk", "sensitive")
        _categories.update({c: (pk, s) for c, pk, s in rows})
    category, sensitive = _categories[payload.category]
    # The row intake stores, without the rollups' post_save receiver (intake stores its row
    # without signals too; routing recounts in batches).
    with paused():
        report = Report.objects.create(
            category_id=category, description=payload.description, village_id=payload.village,
            latitude=payload.latitude, longitude=payload.longitude, occurred_at=payload.occurred_at,
            channel=Report.Channel.API, sensitive=sensitive, tracking_hash=secrets.token_hex(32),
            anonymous=payload.anonymous, reporter_name=payload.name, reporter_phone=payload.phone,
            reporter_email=payload.email, reply_channel=payload.reply_channel, client_key=FLOOR_KEY,
            client_uuid=payload.client_uuid, routed_at=timezone.now())
    return HttpResponse(json.dumps({"id": report.pk}), status=201, content_type="application/json")


urlpatterns = [
    path("bench/floor/report", report_floor),
    path("bench/floor/", floor),
    path("bench/floor/<str:code>/", floor),
    *project_urlpatterns,
]
