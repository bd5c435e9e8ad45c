"""A request id on every request and every log line, and the request metrics per view.

The id is the proxy's `X-Request-ID` when POLMAS_BEHIND_PROXY is on and the header is a
plain token (nginx sets it from `$request_id`, deploy/nginx/polmas.conf), else a new one; it
is sent back in the answer's `X-Request-ID` so that a user's complaint can be found in the
logs of every app server.
"""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from polmas.core import metrics

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("polmas_request_id", default="")
_TOKEN = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or "-") on every log record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


def _incoming_id(request: HttpRequest) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.POLMAS_BEHIND_PROXY and _TOKEN.fullmatch(given):
        return given
    return uuid.uuid4().hex


def view_label(request: HttpRequest) -> str:
    """The URL pattern's name (or route) that answered: a bounded set, unlike paths."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    if match.view_name:
        return match.view_name
    return match.route or "<unnamed>"


def _forget(**kwargs: object) -> None:
    request_id.set("")


request_finished.connect(_forget, dispatch_uid="polmas.core.observe.forget")


class ObserveMiddleware:
    """Outermost: sets the request id, times the request, counts it per view and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = _incoming_id(request)
        # Kept until the answer is sent (request_finished): Django logs a 4xx or 5xx after
        # the middleware returned.
        request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]  # for views and error pages
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.request_done(view=view_label(request), method=request.method or "",
                             status=response.status_code, seconds=time.perf_counter() - started)
        response.headers["X-Request-ID"] = rid
        return response
