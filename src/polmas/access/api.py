"""Tokens and the caller's identity: POST /auth/token, /auth/refresh, /auth/revoke, GET /me;
a record's audit log: GET /audit."""

import datetime as dt
import math
import re

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from polmas.access.body import body_read, request_body
from polmas.access.models import ApiToken, AuditEntry, Role
from polmas.access.scope import scope_for
from polmas.access.tokens import TokenError, session_issue, token_lookup, token_refresh, token_revoke
from polmas.core.api import PRINTABLE, READ_ERRORS, ApiError, ErrorOut, Page, not_found

router = Router(tags=["access"])

TOKEN_REASONS = {
    "malformed": gettext_lazy("The token is malformed."),
    "unknown": gettext_lazy("The token is not recognised."),
    "revoked": gettext_lazy("The token has been revoked."),
    "expired": gettext_lazy("The token has expired: get a new one with POST /auth/refresh, "
                            "or log in again with POST /auth/token."),
    "inactive": gettext_lazy("The account is disabled."),
}
REFRESH_REASONS = {
    "malformed": gettext_lazy("The refresh token is malformed."),
    "unknown": gettext_lazy("The refresh token is not recognised."),
    "revoked": gettext_lazy("The refresh token has been revoked: log in again."),
    "reused": gettext_lazy("The refresh token was already used: every token of this login is "
                           "now revoked. Log in again."),
    "expired": gettext_lazy("The refresh token has expired: log in again."),
    "inactive": gettext_lazy("The account is disabled."),
}


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the reason for a refusal is kept for the 401 answer."""

    def __call__(self, request: HttpRequest):
        # ninja's own version logs the whole header (a credential) when the scheme is wrong.
        scheme, _sep, token = request.headers.get(self.header, "").strip().partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        try:
            # A read never writes, not even the token's last use (ADR 13).
            found = token_lookup(token, touch=request.method not in SAFE_METHODS)
        except TokenError as exc:
            request.auth_failure = TOKEN_REASONS[str(exc)]
            return None
        request.api_token = found  # (for POST /auth/revoke)
        request.user = found.user
        return found.user


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=PRINTABLE)
    password: str = Field(min_length=1, max_length=1024)
    name: str = Field("api", min_length=1, max_length=100, pattern=PRINTABLE,
                      description="a label to tell your tokens apart")


class RefreshIn(Schema):
    refresh_token: str = Field(min_length=1, max_length=100, pattern=PRINTABLE)


class TokenOut(Schema):
    token: str = Field(description="the access token, for Authorization: Bearer")
    token_type: str = "Bearer"  # noqa: S105  (a scheme name, not a secret)
    expires_at: dt.datetime = Field(description="when the access token stops working")
    refresh_token: str = Field(description="for POST /auth/refresh; keep it safe, use it once")
    refresh_expires_at: dt.datetime = Field(description="use the refresh token before this")


class MeOut(Schema):
    username: str
    roles: list[str]
    scope: list[str] = Field(description='region-code prefixes you may read; "" is all of Indonesia')


def _locked_out(request: HttpRequest) -> ApiError:
    # AxesMiddleware would swap this JSON answer for the HTML lockout page: we answer here.
    request.axes_locked_out = False
    cool_off = get_cool_off(request)
    if not cool_off:
        return ApiError(429, _("Too many failed logins: this account is locked until an "
                               "administrator unlocks it."))
    minutes = math.ceil(cool_off.total_seconds() / 60)
    return ApiError(
        429,
        _("Too many failed logins: this account is locked for %(minutes)d minutes.")
        % {"minutes": minutes},
        headers={"Retry-After": str(minutes * 60)},
    )


def _tokens_out(issued) -> dict:
    return {"token": issued.access, "expires_at": issued.expires_at,
            "refresh_token": issued.refresh, "refresh_expires_at": issued.refresh_expires_at}


@router.post("/auth/token", auth=None, summary="Exchange a password for a token",
             response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 415: ErrorOut, 422: ErrorOut,
                       429: ErrorOut},
             openapi_extra=request_body(TokenIn),
             description="The body is JSON, a URL-encoded form or a multipart form. Answers 401 "
             "for a wrong username or password, and 429 once the account is locked after repeated "
             "failures from the same client (even for the right password, until the lock ends). "
             "The access token lasts POLMAS_API_TOKEN_TTL_HOURS hours (24 by default); the refresh "
             "token gets a new pair from POST /auth/refresh for POLMAS_API_REFRESH_TTL_DAYS days "
             "(30) after its last use. Both end with POST /auth/revoke, a password change or a "
             "disabled account.")
def auth_token(request: HttpRequest):
    payload = body_read(request, TokenIn)
    # Credentials go to authenticate() explicitly: axes reads the username from them,
    # as request.POST is empty for a JSON body.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise _locked_out(request)
    if user is None:
        raise ApiError(401, _("Wrong username or password."))
    # A successful exchange is a login: axes clears the failures, Django notes last_login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return _tokens_out(session_issue(user=user, name=payload.name))


@router.post("/auth/refresh", auth=None, summary="Exchange a refresh token for new tokens",
             response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 415: ErrorOut, 422: ErrorOut},
             openapi_extra=request_body(RefreshIn),
             description="Answers a new access token and a new refresh token; the one sent is used "
             "up. Sending a used refresh token again revokes every token of that login (401): "
             "keep only the newest.")
def auth_refresh(request: HttpRequest):
    payload = body_read(request, RefreshIn)
    try:
        issued = token_refresh(key=payload.refresh_token)
    except TokenError as exc:
        raise ApiError(401, str(REFRESH_REASONS[str(exc)])) from None
    return _tokens_out(issued)


@router.post("/auth/revoke", response={204: None, **READ_ERRORS},
             summary="Log out: revoke the token sent, and its refresh token",
             description="Revokes the bearer token of this call and every token of the same login "
             "(its refresh token among them). Other logins of the account stay.")
def auth_revoke(request: HttpRequest):
    token = request.api_token
    token_revoke(user=request.auth, token_id=token.pk, reason=ApiToken.Revoked.LOGOUT)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **READ_ERRORS}, summary="Who am I, and what may I see")
def me(request: HttpRequest):
    scope = scope_for(request.auth)
    return {"username": request.auth.get_username(), "roles": sorted(scope.roles),
            "scope": list(scope.prefixes)}


# --- the audit log --------------------------------------------------------------------------

AUDITED = {"case": "cases.case", "report": "reports.report"}
AUDIT_OBJECT = r"(case|report):[1-9][0-9]{0,17}"


class AuditFilter(Schema):
    # The view checks the form, answering 400 naming `object`.
    object: str = Field(max_length=40, description="case:<id> or report:<id>",
                        json_schema_extra={"pattern": f"^{AUDIT_OBJECT}$"})


class AuditOut(Schema):
    who: str
    when: dt.datetime
    action: str
    reason: str


@router.get("/audit", response={200: list[AuditOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                **READ_ERRORS},
            summary="The audit log of one record (supervisors)",
            description="`object` is `case:<id>` or `report:<id>`. Newest first: who, when, what, and "
            "the reason given (for reads of sealed records). Only supervisors and administrators; a "
            "record outside your scope answers 404.")
@paginate(Page)
def audit_list(request: HttpRequest, filters: Query[AuditFilter]):
    object = filters.object  # noqa: A001
    if re.fullmatch(AUDIT_OBJECT, object) is None:
        raise ApiError.for_field(400, "object", _("must look like case:123 or report:123"))
    scope = scope_for(request.auth)
    if not scope.has(Role.SUPERVISOR, Role.ADMIN):
        raise ApiError(403, _("Only supervisors read the audit log."))
    kind, _sep, pk = object.partition(":")
    # The log keeps each entry's region code, so scope is checked without reaching the record.
    entries = AuditEntry.objects.filter(scope.q("region_code"), object_type=AUDITED[kind], object_id=pk)
    if not entries.exists():
        raise not_found()
    return (entries.order_by("-at", "-pk").annotate(who=F("actor_name"), when=F("at"))
            .values("who", "when", "action", "reason"))
