"""Units are edited here; officers, their village postings, training and equipment are only
shown (read-only). Those are written on the officer pages (/petugas/) and through the API,
by the policing services, which check the unit's jurisdiction and the manager's scope and
write the audit log: an edit here would post an officer to a village outside his Polsek,
unaudited."""

from django.contrib import admin
from django.http import HttpRequest

from polmas.policing.models import Assignment, Equipment, Jurisdiction, Officer, PoliceUnit, Training


class JurisdictionInline(admin.TabularInline):
    model = Jurisdiction
    extra = 1


@admin.register(PoliceUnit)
class PoliceUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "region__code"]
    raw_id_fields = ["parent", "region"]
    inlines = [JurisdictionInline]
    show_full_result_count = False


class ReadOnly:
    """Shown, never added, changed or deleted here (see the module's docstring)."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AssignmentInline(ReadOnly, admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["village", "start", "end"]


class TrainingInline(ReadOnly, admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Officer)
class OfficerAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["nrp", "name", "rank", "unit", "active"]
    list_filter = ["rank", "active", "unit__kind"]
    search_fields = ["nrp", "name"]
    exclude = ["phone", "email"]
    inlines = [AssignmentInline, TrainingInline]
    show_full_result_count = False


@admin.register(Equipment)
class EquipmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["kind", "condition", "unit", "officer", "acquired_on"]
    list_filter = ["kind", "condition"]
