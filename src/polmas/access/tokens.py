"""Bearer tokens for the API: issued for a password, stored as a hash, expiring."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from polmas.access.audit import audit_record
from polmas.access.models import ApiToken

TOKEN_PREFIX = "pm_"  # noqa: S105  (marks our tokens in logs and scanners)


class TokenError(Exception):
    """The token is unknown, revoked, expired or malformed."""


# last_used_at is a hint for administrators, not a log: write it at most this often.
TOUCH_EVERY = timedelta(minutes=5)


def secret_new(prefix: str) -> tuple[str, str]:
    """A fresh secret starting with `prefix` (32 random bytes) and the SHA-256 to store."""
    secret = prefix + secrets.token_urlsafe(32)
    return secret, secret_hash(secret)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def touch_last_used(obj: models.Model) -> None:
    """Record use of a token or key, at most every TOUCH_EVERY, without a full save."""
    now = timezone.now()
    last = obj.last_used_at  # type: ignore[attr-defined]
    if last is None or now - last > TOUCH_EVERY:
        type(obj).objects.filter(pk=obj.pk).update(last_used_at=now)  # type: ignore[attr-defined]


@transaction.atomic
def token_issue(*, user: User, name: str = "api", ttl_days: int | None = None) -> str:
    """Create a token for `user` and return the only copy of its key. Requires: the user."""
    key, digest = secret_new(TOKEN_PREFIX)
    days = ttl_days or settings.API_TOKEN_TTL_DAYS
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=digest, key_prefix=key[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(actor=user, action="token.issue", obj=token, detail={"name": token.name})
    return key


def token_user(key: str) -> User:
    """The active user owning `key`; raises TokenError with the reason otherwise."""
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
    touch_last_used(token)
    return token.user


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the caller's own tokens. Requires: owning the token."""
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit_record(actor=user, action="token.revoke", object_type="access.apitoken",
                     object_id=token_id)
    return bool(updated)
