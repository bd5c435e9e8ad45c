from django.contrib import admin
from django.http import HttpRequest

from polmas.access.sealed_admin import sealed_read
from polmas.reports.models import Block, Category, Event, OutboundMessage, Recipient, Report
from polmas.reports.personal_data import identity_read_audit


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "sensitive", "mediable", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["sensitive", "mediable", "active", "group"]
    search_fields = ["code", "name_id", "name_en", "keywords"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the Open311 service_code that clients store: fixed once made.
        return ["code"] if obj else []


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    can_delete = False
    readonly_fields = ["why", "officer", "forum", "unit", "seen_at"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "status", "public", "note", "actor"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Back-office view. Reports are changed through the services (status, merge,
    moderation), so here everything is read-only; a sealed report opens once the admin says why,
    and each read of it is audited with the reason."""

    list_display = ["id", "category", "village", "channel", "status", "sensitive", "created_at"]
    list_filter = ["status", "channel", "sensitive", "held", "spam", "hidden", "category"]
    search_fields = ["id", "village__code", "village__name"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [RecipientInline, EventInline]
    exclude = ["photo"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields if f.name != "photo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = Report.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if report is not None and report.sensitive:
            ask = sealed_read(request, report, action="report.read_sealed", region_code=report.village_id)
            if ask is not None:
                return ask
        elif report is not None and request.method == "GET":
            identity_read_audit(user=request.user, report=report, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["kind", "reason", "by", "at", "until"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "value_hash", "by", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # blocks are made from a report, where the value is known


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "status", "attempts", "report", "created_at", "sent_at"]
    list_filter = ["channel", "status"]
    readonly_fields = ["channel", "to", "body", "report", "status", "attempts", "last_error",
                       "created_at", "sent_at"]
    exclude = ["secret"]  # a tracking code, never shown again (messaging.py)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
