"""Bearer tokens for the API: issued for a password, stored as a hash, short-lived, refreshed
with a rotating refresh token, revoked by their owner, a password change or a disabled
account (ADR 13)."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from polmas.access.audit import audit_entry, audit_record
from polmas.access.models import ApiToken, AuditEntry

TOKEN_PREFIX = "pm_"  # noqa: S105  (marks our tokens in logs and scanners)
REFRESH_PREFIX = "pmr_"  # noqa: S105


class TokenError(Exception):
    """The token is unknown, revoked, expired, malformed or (a refresh token) used twice."""


# last_used_at is a hint for administrators, not a log: write it at most this often, and only
# when the token is used for a request that may write (a GET never writes; ADR 13).
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedTokens:
    access: str
    refresh: str
    expires_at: datetime
    refresh_expires_at: datetime


def secret_new(prefix: str) -> tuple[str, str]:
    """A fresh secret starting with `prefix` (32 random bytes) and the SHA-256 to store."""
    secret = prefix + secrets.token_urlsafe(32)
    return secret, secret_hash(secret)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def touch_last_used(obj: models.Model) -> None:
    """Record use of a token or key, at most every TOUCH_EVERY, without a full save."""
    now = timezone.now()
    last = obj.last_used_at
    if last is None or now - last > TOUCH_EVERY:
        type(obj).objects.filter(pk=obj.pk).update(last_used_at=now)


def _create(*, user: User, name: str, family: uuid.UUID | None = None) -> tuple[ApiToken, IssuedTokens]:
    key, digest = secret_new(TOKEN_PREFIX)
    refresh, refresh_digest = secret_new(REFRESH_PREFIX)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=digest, key_prefix=key[:10],
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        refresh_hash=refresh_digest,
        refresh_expires_at=now + timedelta(days=settings.API_REFRESH_TTL_DAYS),
        family=family or uuid.uuid4(),
    )
    return token, IssuedTokens(key, refresh, token.expires_at, token.refresh_expires_at)


@transaction.atomic
def session_issue(*, user: User, name: str = "api") -> IssuedTokens:
    """A new access token and refresh token for `user`: the only copies. Requires: the user
    (their password was checked by the caller)."""
    token, issued = _create(user=user, name=name)
    audit_record(actor=user, action="token.issue", obj=token, detail={"name": token.name})
    return issued


def token_issue(*, user: User, name: str = "api") -> str:
    """The access token of a new session (for callers that never refresh). Requires: the user."""
    return session_issue(user=user, name=name).access


def token_lookup(key: str, *, touch: bool = True) -> ApiToken:
    """The live token for `key`, its user loaded; raises TokenError with the reason otherwise.
    `touch`: record the use in last_used_at (False for a request that must not write)."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        raise TokenError("malformed")
    token = ApiToken.objects.select_related("user").filter(key_hash=secret_hash(key)).first()
    if token is None:
        raise TokenError("unknown")
    if token.revoked_at is not None:
        raise TokenError("revoked")
    if token.expires_at <= timezone.now():
        raise TokenError("expired")
    if not token.user.is_active:
        raise TokenError("inactive")
    if touch:
        touch_last_used(token)
    return token


def token_refresh(*, key: str) -> IssuedTokens:
    """A new access and refresh token for a live refresh token, which is used up. A refresh
    token presented again revokes every token of its login (it was stolen, or the client lost
    the answer: either way the owner logs in again). Requires: the refresh token."""
    if not key.startswith(REFRESH_PREFIX) or len(key) > 100:
        raise TokenError("malformed")
    with transaction.atomic():
        # Locked, so two refreshes racing with the same token cannot both succeed.
        old = (ApiToken.objects.select_for_update().select_related("user")
               .filter(refresh_hash=secret_hash(key)).first())
        if old is None:
            raise TokenError("unknown")
        if old.revoked_at is not None:
            reused = old.revoked_reason == ApiToken.Revoked.REFRESHED
            if reused:
                _revoke(ApiToken.objects.filter(family=old.family), reason=ApiToken.Revoked.REUSE,
                        actor=old.user)
            error = "reused" if reused else "revoked"
        elif old.refresh_expires_at is None or old.refresh_expires_at <= timezone.now():
            error = "expired"
        elif not old.user.is_active:
            error = "inactive"
        else:
            error = ""
            _revoke(ApiToken.objects.filter(pk=old.pk), reason=ApiToken.Revoked.REFRESHED, actor=None)
            token, issued = _create(user=old.user, name=old.name, family=old.family)
            audit_record(actor=old.user, action="token.refresh", obj=token,
                         detail={"name": token.name, "replaces": old.pk})
    # Outside the transaction, so that revoking a reused token's family is kept.
    if error:
        raise TokenError(error)
    return issued


def _revoke(tokens: QuerySet, *, reason: str, actor: User | None) -> int:
    """Revoke the live ones among `tokens`, and log each login whose tokens were revoked."""
    live = tokens.filter(revoked_at__isnull=True)
    if reason == ApiToken.Revoked.REFRESHED:  # the refresh itself is audited, as token.refresh
        return live.update(revoked_at=timezone.now(), revoked_reason=reason)
    # One entry per login; order_by() so that the model's ordering adds no column to DISTINCT.
    families = list(live.order_by().values_list("family", "user_id").distinct())
    count = live.update(revoked_at=timezone.now(), revoked_reason=reason)
    AuditEntry.objects.bulk_create([
        audit_entry(actor=actor, action="token.revoke", object_type="access.apitoken",
                    object_id=str(family), detail={"reason": reason, "user_id": user_id})
        for family, user_id in families])
    return count


@transaction.atomic
def token_revoke(*, user: User, token_id: int, reason: str = ApiToken.Revoked.USER) -> bool:
    """Revoke one of the caller's own tokens, and the others of its login. Requires: owning
    the token."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        return False
    return bool(_revoke(ApiToken.objects.filter(user=user, family=token.family), reason=reason,
                        actor=user))


@transaction.atomic
def tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every token of `user` (password changed, account disabled). Requires: called by
    the account's own change."""
    return _revoke(ApiToken.objects.filter(user=user), reason=reason, actor=None)


def token_list(*, user: User) -> QuerySet:
    """The caller's logins that can still be used or refreshed, newest first, each with the
    time of its first login as `started_at`. Requires: the user (their own tokens only)."""
    now = timezone.now()
    first = (ApiToken.objects.filter(family=OuterRef("family")).order_by("created_at")
             .values("created_at")[:1])
    return (ApiToken.objects.filter(user=user, revoked_at__isnull=True)
            .filter(Q(expires_at__gt=now) | Q(refresh_expires_at__gt=now))
            .annotate(started_at=Subquery(first)).order_by("-created_at"))
