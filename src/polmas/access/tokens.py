"""Bearer tokens for the API: issued for a password, stored as a hash, expiring."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from polmas.access.audit import audit_record
from polmas.access.models import ApiToken

TOKEN_PREFIX = "pm_"  # noqa: S105  (marks our tokens in logs and scanners)


class TokenError(Exception):
    """The token is unknown, revoked, expired or malformed."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "api", ttl_days: int | None = None) -> str:
    """Create a token for `user` and return the only copy of its key. Requires: the user."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    days = ttl_days or settings.API_TOKEN_TTL_DAYS
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=_hash(key), key_prefix=key[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(actor=user, action="token.issue", obj=token, detail={"name": token.name})
    return key


def token_user(key: str) -> User:
    """The active user owning `key`; raises TokenError with the reason otherwise."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        raise TokenError("malformed")
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        raise TokenError("unknown")
    if token.revoked_at is not None:
        raise TokenError("revoked")
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenError("expired")
    if not token.user.is_active:
        raise TokenError("inactive")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
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
