"""The HTTP API under /api/v1/: one NinjaAPI, one error shape, routers from each app.

Every failure answers `{"detail": str, "errors": [{"field", "reason"}]}` in the caller's
language (Indonesian unless Accept-Language asks for English), never an HTML page.
"""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from polmas.access.api import BearerAuth
from polmas.access.api import router as access_router
from polmas.activities.api import router as activities_router
from polmas.cases.api import router as cases_router
from polmas.core.api import ApiError, error_body, field_errors
from polmas.earlywarning.api import router as earlywarning_router
from polmas.evaluation.api import router as evaluation_router
from polmas.field.api import router as field_router
from polmas.forums.api import router as forums_router
from polmas.partners.api import router as partners_router
from polmas.planning.api import router as planning_router
from polmas.policing.api import router as policing_router
from polmas.regions.api import router as regions_router
from polmas.reports.api import router as reports_router
from polmas.surveys.api import router as surveys_router

log = logging.getLogger(__name__)

DESCRIPTION = """\
Community policing partnership platform: regions, police units, officers, FKPM forums,
community reports.

**Authentication.** Exchange a username and password for a token with `POST /auth/token`,
then send `Authorization: Bearer <token>` on every other call. The token lasts 24 hours (by default); the
refresh token answered beside it gets a new pair from `POST /auth/refresh`, and
`POST /auth/revoke` logs out. Only `/auth/token`, `/auth/refresh`,
`POST /reports` (residents report without an account; a token, if sent, must be valid),
`POST /reports/status` (the tracking code in the body, never in the URL), this page and
`/openapi.json` answer without a token.
Five wrong passwords in a row lock the account out from that client for a while (answer 429).

**Scope.** Every list holds only the records inside the caller's scope (see `GET /me`);
a record outside it answers 404, exactly like one that does not exist.

**Errors.** Every error answers `{"detail": "...", "errors": [{"field": "...", "reason": "..."}]}`
in Indonesian, or in English with `Accept-Language: en`.

**Lists** are paginated with `limit` (1-500, default 100) and `offset`, and answer
`{"items": [...], "count": N}`.
"""


class BodyNotObject(ValueError):
    """The request body is JSON, but not the JSON object every endpoint expects."""


class BodyNotJson(ValueError):
    """The request body is not declared as JSON (Content-Type application/json)."""


class ObjectParser(Parser):
    def parse_body(self, request: HttpRequest):
        # A body of another declared type is refused, not read as JSON all the same: a web
        # page can send text/plain across sites without asking (no CORS preflight), and
        # would make its visitors file reports.
        kind = request.content_type or ""
        if kind != "application/json" and not kind.endswith("+json"):
            raise BodyNotJson
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotObject
        return data


api = NinjaAPI(
    title="Polmas API",
    version="1",
    description=DESCRIPTION,
    auth=BearerAuth(),
    parser=ObjectParser(),
    urls_namespace="api",
)
api.add_router("/", access_router)
api.add_router("/regions", regions_router)
api.add_router("/", policing_router)
api.add_router("/forums", forums_router)
api.add_router("/reports", reports_router)
api.add_router("/", cases_router)
api.add_router("/", activities_router)
api.add_router("/", field_router)
api.add_router("/", surveys_router)
api.add_router("/", earlywarning_router)
api.add_router("/", partners_router)
api.add_router("/", evaluation_router)
api.add_router("/", planning_router)

# Last, so it only sees paths no other route took: an unknown path answers JSON, not HTML.
fallback = Router()
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _no_such_path() -> ApiError:
    return ApiError(404, _("There is no such API path."))


@fallback.api_operation(ANY_METHOD, "/", auth=None, include_in_schema=False)
def api_root(request: HttpRequest):
    raise _no_such_path()


@fallback.api_operation(ANY_METHOD, "/{path:rest}", auth=None, include_in_schema=False)
def unknown_path(request: HttpRequest, rest: str):
    raise _no_such_path()


api.add_router("/", fallback)


def _render(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = api.create_response(request, error_body(exc), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _render(request, exc)


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = field_errors(exc.errors)
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return _render(request, ApiError(422, detail, errors=errors))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    reason = getattr(request, "auth_failure", None) or _(
        "Authentication required: send the header Authorization: Bearer <token>."
    )
    return _render(request, ApiError(401, str(reason), headers={"WWW-Authenticate": "Bearer"}))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _render(request, ApiError(404, _("Not found.")))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises these itself for a body it cannot parse; ours are ApiError.
    if str(exc).startswith("Cannot parse request body") and isinstance(exc.__cause__, BodyNotJson):
        return _render(request, ApiError.for_field(415, "body", _("must be sent as application/json")))
    if str(exc).startswith("Cannot parse request body"):
        reason = (_("must be a JSON object") if isinstance(exc.__cause__, BodyNotObject)
                  else _("is not valid JSON"))
        return _render(request, ApiError.for_field(400, "body", reason))
    return _render(request, ApiError(exc.status_code, str(exc)))


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django answers these with 400 itself, but our catch-all below would make them 500s.
    if isinstance(exc, RequestDataTooBig):
        return _render(request, ApiError(413, _("The request body is too large.")))
    return _render(request, ApiError(400, _("The request is not valid.")))


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A multipart Content-Type without a boundary, read by whatever touches request.POST.
    return _render(request, ApiError.for_field(400, "body", _("is not valid multipart form data")))


@api.exception_handler(Exception)
def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug: log it with its traceback, and still answer in the API's shape.
    log.exception("API error on %s %s", request.method, request.path)
    return _render(request, ApiError(500, _("Internal error; it has been logged.")))
