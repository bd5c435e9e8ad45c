from django.contrib import admin
from django.http import HttpRequest

from polmas.access.sealed_admin import sealed_read
from polmas.cases.models import Action, Case, Referral, TimelineEntry


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    can_delete = False
    readonly_fields = ["description", "owner_kind", "owner_name", "due", "status", "done_at"]


class ReferralInline(admin.TabularInline):
    model = Referral
    extra = 0
    can_delete = False
    readonly_fields = ["to", "status", "note", "sent_at", "accepted_at", "declined_at", "answer_note"]


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor_name", "kind", "note"]
    exclude = ["actor"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Back-office view. Cases change through the services (stages, versions, timeline), so
    here everything is read-only; a sealed case opens once the admin says why, and each read of
    it is audited with the reason."""

    list_display = ["id", "category", "village", "stage", "outcome", "sensitive", "opened_at", "closed_at"]
    list_filter = ["stage", "outcome", "sensitive", "source", "category"]
    search_fields = ["id", "village__code", "village__name"]
    date_hierarchy = "opened_at"
    show_full_result_count = False
    inlines = [ActionInline, ReferralInline, TimelineInline]
    exclude = ["reports"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = Case.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if case is not None and case.sensitive:
            ask = sealed_read(request, case, action="case.read_sealed", region_code=case.village_id)
            if ask is not None:
                return ask
        return super().change_view(request, object_id, form_url, extra_context)
