from django.contrib import admin

from polmas.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "latitude", "longitude", "population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "parent"]
    show_full_result_count = False

    def has_add_permission(self, request):
        # The list comes from the official code list (load_regions), never typed in.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
