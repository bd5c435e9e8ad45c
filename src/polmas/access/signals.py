"""Receivers for Django's own account events: logins in the audit log, tokens revoked when
the password changes or the account is disabled."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from polmas.access.audit import audit_record
from polmas.access.models import ApiToken
from polmas.core.http import client_address


def _where(request: HttpRequest | None) -> dict:
    if request is None:
        return {}
    return {"client": client_address(request), "path": request.path[:200]}


def audit_login(sender, request, user, **kwargs):
    """A login on any path: the login page, the API's token exchange, the admin."""
    audit_record(actor=user, action="login", obj=user, detail=_where(request))


def audit_login_failed(sender, credentials, request=None, **kwargs):
    """A refused login: the username tried and the client, never the password."""
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:150]
    detail = {"username": username, **_where(request)}
    if request is not None and getattr(request, "axes_locked_out", False):
        detail["locked_out"] = True
    audit_record(actor=None, action="login.failed", object_type="auth.user", detail=detail)


def note_account_change(sender, instance, update_fields=None, **kwargs):
    """Before a user is saved: will the password change, or the account be disabled?"""
    instance._polmas_revoke = ""
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login at each login: no need to read the row
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._polmas_revoke = ApiToken.Revoked.DEACTIVATED
    elif before["password"] != instance.password and not _hash_upgrade(instance, update_fields):
        instance._polmas_revoke = ApiToken.Revoked.PASSWORD


def _hash_upgrade(instance, update_fields) -> bool:
    """Django re-hashing the same password at a login (a new hasher or more iterations): it
    saves only the password, having forgotten the raw one (AbstractBaseUser.check_password),
    whereas set_password keeps it until the save. Not a new password: the tokens stay."""
    return (update_fields is not None and set(update_fields) == {"password"}
            and getattr(instance, "_password", None) is None)


def revoke_tokens_on_account_change(sender, instance, created, **kwargs):
    """A new password or a disabled account ends every API login of the account."""
    reason = getattr(instance, "_polmas_revoke", "")
    if reason:
        from polmas.access.tokens import tokens_revoke_all

        instance._polmas_revoke = ""
        tokens_revoke_all(user=instance, reason=reason)
