from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from polmas.access.scope import scope_for
from polmas.access.tokens import TokenError, token_issue, token_user

router = Router(tags=["access"])

TOKEN_REASONS = {
    "malformed": "token is malformed",
    "unknown": "token is not recognised",
    "revoked": "token has been revoked",
    "expired": "token has expired",
    "inactive": "account is disabled",
}


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        try:
            user = token_user(token)
        except TokenError as exc:
            request.auth_failure = _(TOKEN_REASONS[str(exc)])  # type: ignore[attr-defined]
            return None
        request.user = user
        return user


class TokenIn(Schema):
    username: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105  (a scheme name, not a secret)


class MeOut(Schema):
    username: str
    roles: list[str]
    scope: list[str]


@router.post("/auth/token", auth=None, response=TokenOut, summary="Exchange a password for a token")
def auth_token(request: HttpRequest, payload: TokenIn):  # type: ignore[no-untyped-def]
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, _("Too many failed logins: this account is locked for a while."))
    if user is None:
        raise HttpError(401, _("Wrong username or password."))
    return {"token": token_issue(user=user, name=payload.name)}


@router.get("/me", response=MeOut, summary="Who am I, and what may I see")
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    scope = scope_for(request.auth)
    return {"username": request.auth.get_username(), "roles": sorted(scope.roles),
            "scope": list(scope.prefixes)}
