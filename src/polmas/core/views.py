import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from prometheus_client import CONTENT_TYPE_LATEST


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the process answers (liveness: asks nothing else, so that a database outage
    does not get every app server restarted). /readyz says whether it can serve."""
    return JsonResponse({"status": "ok"})


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


# The parts without which this server cannot serve. The others (the replica, the shared
# cache, the task worker) are shared by every app server and each has a fallback (reads go to
# the primary, pages are drawn afresh, reports wait stored): their outage is "degraded", 200,
# so that a load balancer checking /readyz does not take every app server out at once.
NEEDED = ("database",)


def readyz(request: HttpRequest) -> JsonResponse:
    """Whether this server can serve, naming every configured part that does not answer (the
    database; the replica and the shared cache if configured; a task worker's heartbeat):
    503 when a part it cannot serve without fails, else 200, "degraded" while another does."""
    from polmas.core.health import readiness

    parts = readiness()
    failing = sorted(name for name, state in parts.items() if state != "ok")
    down = any(name in NEEDED for name in failing)
    state = "unavailable" if down else "degraded" if failing else "ok"
    return JsonResponse({"status": state, "failing": failing, **parts}, status=503 if down else 200)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus text, for a request with `Authorization: Bearer <POLMAS_METRICS_TOKEN>`;
    404 otherwise, and always when no token is set (nothing says metrics exist)."""
    from polmas.core import health  # noqa: F401  (registers the database metrics)
    from polmas.core.metrics import exposition

    token = settings.POLMAS_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
