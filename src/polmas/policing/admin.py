from django.contrib import admin

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


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["village"]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["nrp", "name", "rank", "unit", "active"]
    list_filter = ["rank", "active", "unit__kind"]
    search_fields = ["nrp", "name"]
    raw_id_fields = ["unit", "user"]
    inlines = [AssignmentInline, TrainingInline]
    show_full_result_count = False


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["kind", "condition", "unit", "officer", "acquired_on"]
    list_filter = ["kind", "condition"]
    raw_id_fields = ["unit", "officer"]
