"""The HTTP API under /api/v1/: one NinjaAPI, one error shape, routers from each app."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from polmas.access.api import BearerAuth
from polmas.access.api import router as access_router
from polmas.forums.api import router as forums_router
from polmas.policing.api import router as policing_router
from polmas.regions.api import router as regions_router

api = NinjaAPI(
    title="Polmas API",
    version="1",
    description="Community policing partnership platform: regions, police units, officers, "
    "FKPM forums. Authenticate with POST /auth/token, then send `Authorization: Bearer <token>`.",
    auth=BearerAuth(),
    urls_namespace="api",
)
api.add_router("/", access_router)
api.add_router("/regions", regions_router)
api.add_router("/", policing_router)
api.add_router("/forums", forums_router)


def _error(request: HttpRequest, status: int, detail: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or str(e.get("loc", [""])[0]),
         "reason": e.get("msg", "")}
        for e in exc.errors
    ]
    return _error(request, 422, errors)


@api.exception_handler(ValidationError)
def on_model_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "reason": " ".join(m)} for f, m in exc.message_dict.items()]
    else:
        errors = [{"field": "", "reason": m} for m in exc.messages]
    return _error(request, 400, errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    reason = getattr(request, "auth_failure", None) or "missing or invalid token"
    return _error(request, 401, reason)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))
