from django.contrib import admin

from polmas.forums.models import Forum, Member


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "model", "local_name", "village", "status", "founded_on"]
    list_filter = ["model", "status", "zone_kind"]
    search_fields = ["name", "local_name", "village__code", "village__name"]
    raw_id_fields = ["village", "unit"]
    inlines = [MemberInline]
    show_full_result_count = False
