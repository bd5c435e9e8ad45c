"""Open311 API keys: made by `polmas create_api_key`, shown once, stored as SHA-256 only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.models import Open311Key
from polmas.access.tokens import secret_hash, secret_new, touch_last_used

KEY_PREFIX = "o311_"
MAX_KEY_LENGTH = 100


class ApiKeyError(Exception):
    """The key is missing, malformed, unknown or revoked (the reason is the message)."""


@transaction.atomic
def api_key_create(*, name: str) -> tuple[Open311Key, str]:
    """Make a key for the client `name`; return it with the only copy of its secret.
    Requires: shell access to the server (called by the management command)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the client a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name is longer than 100 characters.")})
    if any(not c.isprintable() for c in name):
        raise ValidationError({"name": _("The name contains control characters.")})
    secret, digest = secret_new(KEY_PREFIX)
    key = Open311Key.objects.create(name=name, key_hash=digest, key_prefix=secret[:10])
    audit_record(actor=None, action="open311_key.create", obj=key, detail={"name": name})
    return key, secret


def api_key_check(secret: str) -> Open311Key:
    """The active key matching `secret`; raises ApiKeyError otherwise. Requires: nothing."""
    if not secret:
        raise ApiKeyError(_("api_key: an API key is required to post a request."))
    if not secret.startswith(KEY_PREFIX) or len(secret) > MAX_KEY_LENGTH:
        raise ApiKeyError(_("api_key: this is not a valid API key."))
    key = Open311Key.objects.filter(key_hash=secret_hash(secret)).first()
    if key is None:
        raise ApiKeyError(_("api_key: this is not a valid API key."))
    if key.revoked_at is not None:
        raise ApiKeyError(_("api_key: this API key has been revoked."))
    touch_last_used(key)
    return key
