"""Back-office views. Activities, rosters and disaster modes are written through the services
(scope, audit, idempotent UUIDs), so here they are read-only."""

from django.contrib import admin
from django.http import HttpRequest

from polmas.activities.models import Activity, DisasterMode, Roster


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnly):
    list_display = ["id", "kind", "village", "officer", "occurred_at"]
    list_filter = ["kind"]
    raw_id_fields = ["village", "officer"]
    show_full_result_count = False  # a national table holds millions of rows

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("officer")


@admin.register(Roster)
class RosterAdmin(ReadOnly):
    list_display = ["id", "name", "kind", "village", "start", "nights", "cover", "raised"]
    list_filter = ["kind", "raised"]
    raw_id_fields = ["village"]


@admin.register(DisasterMode)
class DisasterModeAdmin(ReadOnly):
    list_display = ["prefix", "kind", "started_at", "ended_at"]
    list_filter = ["kind"]
