import json

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ping(request: HttpRequest) -> JsonResponse:
    """A bare JSON endpoint: parses the body (if any) and answers {"pong": true}, touching no
    database. The benchmark (bench/intake.py) measures report intake against it: same server,
    same middleware, same body, nothing else."""
    if request.body:
        try:
            json.loads(request.body)
        except ValueError:  # malformed JSON, or bytes that are not UTF-8
            reason = _("is not valid JSON")
            return JsonResponse({"detail": f"body: {reason}",
                                 "errors": [{"field": "body", "reason": reason}]}, status=400)
    return JsonResponse({"pong": True})
