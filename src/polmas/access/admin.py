from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.access.audit import audit_record
from polmas.access.models import ApiToken, AuditEntry, Open311Key, RoleGrant


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "region", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation"]
    raw_id_fields = ["user", "unit", "region"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_id", "region_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "region_code"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "expires_at", "revoked_at",
                    "revoked_reason"]
    list_filter = ["revoked_reason"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at", "refresh_expires_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        return False  # keys are issued through the API, shown once

    def has_change_permission(self, request, obj=None):
        # Read-only: a token ends through access.tokens (its owner's page, a new password, a
        # disabled account), which ends its whole login and audits it; an edit here did neither.
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are made with `polmas create_api_key`, shown once

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        now = timezone.now()
        for key in queryset.filter(revoked_at__isnull=True):
            key.revoked_at = now
            key.save(update_fields=["revoked_at"])
            audit_record(actor=request.user, action="open311_key.revoke", obj=key,
                         detail={"name": key.name})
