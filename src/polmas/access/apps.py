from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "polmas.access"
    label = "access"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth import get_user_model, user_logged_in, user_login_failed

        from polmas.access import signals

        post_save.connect(_audit_admin_write, sender=LogEntry, dispatch_uid="polmas-audit-admin")
        user_logged_in.connect(signals.audit_login, dispatch_uid="polmas-audit-login")
        user_login_failed.connect(signals.audit_login_failed, dispatch_uid="polmas-audit-login-failed")
        user = get_user_model()
        pre_save.connect(signals.note_account_change, sender=user, dispatch_uid="polmas-account-change")
        post_save.connect(signals.revoke_tokens_on_account_change, sender=user,
                          dispatch_uid="polmas-account-revoke")


def _audit_admin_write(sender, instance, created, **kwargs):
    """Back-office edits bypass the services; record them in our audit log as well."""
    if not created:
        return
    from polmas.access.audit import audit_record

    verb = {1: "add", 2: "change", 3: "delete"}.get(instance.action_flag, "edit")
    model = instance.content_type.model_class() if instance.content_type_id else None
    audit_record(
        actor=instance.user,
        action=f"admin.{verb}",
        object_type=model._meta.label_lower if model else "",
        object_id=instance.object_id or "",
        detail={"repr": instance.object_repr[:200], "change": instance.get_change_message()[:500]},
    )
