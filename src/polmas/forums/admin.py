from django.contrib import admin

from polmas.forums.models import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    MeetingActionItem,
    MeetingIssue,
    Member,
)
from polmas.forums.selectors import members_read_audit


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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The inline shows every member with phone and e-mail: a read of the member list.
        forum = Forum.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if forum is not None and request.method == "GET":
            members_read_audit(user=request.user, forum=forum, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["member"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = MeetingActionItem
    extra = 0


class IssueInline(admin.StackedInline):
    model = MeetingIssue
    extra = 0
    readonly_fields = ["case_id", "outcome_status", "outcome_public", "outcome_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["forum", "held_at", "status", "village", "version"]
    list_filter = ["status"]
    search_fields = ["forum__name", "village__code", "agenda"]
    raw_id_fields = ["forum", "village"]
    date_hierarchy = "held_at"
    readonly_fields = ["version", "client_uuid", "created_by", "created_at", "updated_at"]
    inlines = [AttendanceInline, DecisionInline, ActionItemInline, IssueInline]
    show_full_result_count = False
