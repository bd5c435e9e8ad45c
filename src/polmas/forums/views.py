"""Meeting pages of a forum, and its public "you said, we did" page. Thin: reads go through the
scope-filtered selectors, writes through the services; a meeting outside scope is 404."""

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polmas.forums import selectors, services
from polmas.forums.forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    DecisionForm,
    IssueForm,
    MeetingEditForm,
    MeetingForm,
    Versioned,
)
from polmas.forums.models import Forum, Meeting, MeetingActionItem, Member
from polmas.regions.models import Region
from polmas.regions.zones import zone_of

PAGE = 25
# Where the page opens again after each part is written.
ANCHORS = {"edit": "minutes", "held": "top", "attendance": "attendance", "decision": "decisions",
           "action": "actions", "issue": "issues"}


def shown(moment: dt.datetime, village: Region | None, *, with_time: bool = True) -> str:
    """"5 Maret 2025, 19.30 WITA": a moment in the village's own zone, in the active language."""
    zone = zone_of(village)
    local = moment.astimezone(zone)
    day = date_format(local, "j F Y")
    return f"{day}, {local:%H:%M} {zone.tzname(None)}" if with_time else day


def _forum(request: HttpRequest, forum_id: int) -> Forum:
    forum = selectors.meeting_forum_get(user=request.user, forum_id=forum_id)
    if forum is None:
        raise Http404
    return forum


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404
    return meeting


def case_link(issue_id: int) -> str | None:
    """The cases app's "make it a case" page for an issue, if that page exists yet."""
    for kwargs in ({"args": [issue_id]}, {"kwargs": {"issue_id": issue_id}}):
        try:
            return reverse("cases:from-meeting-issue", **kwargs)
        except NoReverseMatch:
            continue
    return None


def case_detail_link(case_id: int) -> str | None:
    for name in ("cases:detail", "cases:case"):
        try:
            return reverse(name, args=[case_id])
        except NoReverseMatch:
            continue
    return None


# --- lists -----------------------------------------------------------------------------------

@login_required
def forum_index(request: HttpRequest) -> HttpResponse:
    """The forums whose meetings I may read: my own forums first, then by village."""
    if not selectors.reads_meetings(request.user):
        raise Http404
    mine = Member.objects.filter(forum=OuterRef("pk"), user=request.user, active=True)
    forums = (selectors.forum_list(user=request.user).exclude(status=Forum.Status.DISSOLVED)
              .annotate(mine=Exists(mine)).order_by("-mine", "village_id", "name"))
    page = Paginator(forums, 50).get_page(request.GET.get("page"))
    # Counted for the forums of this page only: a national scope holds tens of thousands.
    figures = {row["forum_id"]: row for row in Meeting.objects.filter(forum__in=list(page))
               .values("forum_id").annotate(n=Count("pk"), last=Max("held_at"))}
    for forum in page:
        row = figures.get(forum.pk, {"n": 0, "last": None})
        forum.meeting_count = row["n"]
        forum.last_shown = shown(row["last"], forum.village, with_time=False) if row["last"] else ""
    return render(request, "forums/index.html", {"page": page})


@login_required
def meeting_list(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = _forum(request, forum_id)
    meetings = (selectors.meeting_list(user=request.user, forum_id=forum.pk)
                .annotate(issue_count=Count("issues", distinct=True),
                          action_count=Count("action_items", distinct=True))
                .order_by("-held_at", "-pk"))
    page = Paginator(meetings, PAGE).get_page(request.GET.get("page"))
    for meeting in page:
        meeting.when = shown(meeting.held_at, forum.village)
    return render(request, "forums/meeting_list.html", {
        "forum": forum, "page": page, "can_write": services.can_write_meetings(request.user, forum),
    })


@login_required
def meeting_new(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = _forum(request, forum_id)
    if not services.can_write_meetings(request.user, forum):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting, _created = services.meeting_create(
                actor=request.user, forum=forum, held_at=form.held_at(forum.village),
                agenda=data["agenda"], place=data["place"], status=data["status"],
                client_uuid=data["client_uuid"])
        except ValidationError as exc:
            _errors_to(form, exc)
        except services.Conflict as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("forums:meeting", meeting_id=meeting.pk)
    status = 400 if form.is_bound else 200
    return render(request, "forums/meeting_new.html", {"forum": forum, "form": form}, status=status)


# --- one meeting -----------------------------------------------------------------------------

def _errors_to(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: on the field it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        field = "date" if field == "held_at" else field
        form.add_error(field if field in form.fields else None, messages)


def _page_forms(meeting: Meeting, members: list, categories: list) -> dict:
    local = meeting.held_at.astimezone(zone_of(meeting.village))
    v = {"version": meeting.version}
    attended = {a.member_id for a in meeting.attendance.all() if a.present}
    return {
        "edit": MeetingEditForm(initial={**v, "date": local.date(), "time": local.time(),
                                         "place": meeting.place, "agenda": meeting.agenda,
                                         "minutes": meeting.minutes}, prefix="edit"),
        "attendance": AttendanceForm(initial={**v, "present": sorted(attended),
                                              "others_men": meeting.others_men,
                                              "others_women": meeting.others_women,
                                              "others_unspecified": meeting.others_unspecified},
                                     members=members, prefix="attendance"),
        "decision": DecisionForm(initial=v, prefix="decision"),
        "action": ActionForm(initial=v, prefix="action"),
        "issue": IssueForm(initial=v, categories=categories, prefix="issue"),
        "held": Versioned(initial=v, prefix="held"),
    }


def _render_meeting(request: HttpRequest, meeting: Meeting, *, bound: tuple[str, object] | None = None,
                    status: int = 200) -> HttpResponse:
    forum = meeting.forum
    can_write = services.can_write_meetings(request.user, forum)
    sees_sensitive = selectors.sensitive_text_visible(request.user)
    names = selectors.category_names()
    categories = [(code, c["name"]) for code, c in names.items()]
    attendance = list(meeting.attendance.select_related("member").order_by("member__name"))
    recorded = {a.member_id for a in attendance}
    members = [a.member for a in attendance] + [m for m in forum.members.filter(active=True)
                                                if m.pk not in recorded]
    members.sort(key=lambda m: m.name)
    if members:
        selectors.members_read_audit(user=request.user, forum=forum, via="meeting page")
    forms = _page_forms(meeting, members, categories) if can_write else {}
    if bound:
        forms[bound[0]] = bound[1]
    issues = []
    for issue in meeting.issues.all():
        hide = issue.sensitive and not sees_sensitive
        category = names.get(issue.category_code)
        issues.append({
            "obj": issue, "hidden": hide, "text": "" if hide else issue.text,
            "raised_by": "" if hide else issue.raised_by,
            "category": category["name"] if category else issue.category_code,
            "case_url": case_link(issue.pk) if can_write and issue.case_id is None else None,
            "case_uuid": uuid.uuid4(),  # a resent click is recognised by the cases app
            "case_detail_url": case_detail_link(issue.case_id) if issue.case_id else None,
        })
    actions = []
    for item in meeting.action_items.all():
        overdue = (item.due_on is not None and item.due_on < timezone.localdate()
                   and item.status in (MeetingActionItem.Status.OPEN, MeetingActionItem.Status.IN_PROGRESS))
        form = ActionStatusForm(initial={"version": meeting.version, "status": item.status},
                                prefix=f"a{item.pk}") if can_write else None
        if bound and bound[0] == f"a{item.pk}":
            form = bound[1]
        actions.append({"obj": item, "overdue": overdue, "form": form})
    present = [a.member.name for a in attendance if a.present]
    return render(request, "forums/meeting.html", {
        "forum": forum, "meeting": meeting, "when": shown(meeting.held_at, meeting.village),
        "can_write": can_write, "forms": forms, "issues": issues, "actions": actions,
        "present": present, "absent": [a.member.name for a in attendance if not a.present],
        "attendance_recorded": bool(attendance), "in_future": meeting.held_at > timezone.now(),
        "public_url": reverse("forums:public", args=[forum.pk]),
    }, status=status)


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _render_meeting(request, _meeting(request, meeting_id))


def _write(request: HttpRequest, meeting: Meeting, name: str, form, call) -> HttpResponse:
    """Validate `form`, run `call(cleaned_data)`; on success back to the page (at the part
    written), otherwise the page again with the errors on that form."""
    status = 400
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            _errors_to(form, exc)
        except services.Conflict as exc:
            form.add_error(None, str(exc) + " " + _("Your entry is shown below; the page now "
                                                    "shows the latest version."))
            status = 409
        else:
            anchor = ANCHORS.get(name, "actions")
            return redirect(reverse("forums:meeting", args=[meeting.pk]) + f"#{anchor}")
    meeting = Meeting.objects.select_related("forum", "village").get(pk=meeting.pk)
    if status == 409 and "version" in form.fields:
        data = form.data.copy()
        data[form.add_prefix("version")] = str(meeting.version)
        form.data = data
    return _render_meeting(request, meeting, bound=(name, form), status=status)


def _writable(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = _meeting(request, meeting_id)
    if not services.can_write_meetings(request.user, meeting.forum):
        raise PermissionDenied
    return meeting


@login_required
@require_POST
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    form = MeetingEditForm(request.POST, prefix="edit")
    return _write(request, meeting, "edit", form, lambda d: services.meeting_update(
        actor=request.user, meeting_id=meeting.pk, version=d["version"],
        held_at=form.held_at(meeting.village), agenda=d["agenda"], place=d["place"],
        minutes=d["minutes"]))


@login_required
@require_POST
def meeting_held(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    form = Versioned(request.POST, prefix="held")
    return _write(request, meeting, "held", form, lambda d: services.meeting_mark_held(
        actor=request.user, meeting_id=meeting.pk, version=d["version"]))


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    members = list(meeting.forum.members.all())
    form = AttendanceForm(request.POST, members=members, prefix="attendance")
    return _write(request, meeting, "attendance", form, lambda d: services.meeting_attendance_set(
        actor=request.user, meeting_id=meeting.pk, version=d["version"], present=d["present"],
        others_men=d["others_men"], others_women=d["others_women"],
        others_unspecified=d["others_unspecified"]))


@login_required
@require_POST
def meeting_decision(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    form = DecisionForm(request.POST, prefix="decision")
    return _write(request, meeting, "decision", form, lambda d: services.meeting_decision_add(
        actor=request.user, meeting_id=meeting.pk, version=d["version"], text=d["text"]))


@login_required
@require_POST
def meeting_action(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    form = ActionForm(request.POST, prefix="action")
    return _write(request, meeting, "action", form, lambda d: services.meeting_action_add(
        actor=request.user, meeting_id=meeting.pk, version=d["version"], description=d["description"],
        owner_name=d["owner_name"], due_on=d["due_on"]))


@login_required
@require_POST
def meeting_action_status(request: HttpRequest, meeting_id: int, action_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    if not meeting.action_items.filter(pk=action_id).exists():
        raise Http404
    name = f"a{action_id}"
    form = ActionStatusForm(request.POST, prefix=name)
    return _write(request, meeting, name, form, lambda d: services.meeting_action_status_set(
        actor=request.user, action_id=action_id, version=d["version"], status=d["status"]))


@login_required
@require_POST
def meeting_issue(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _writable(request, meeting_id)
    categories = [(code, c["name"]) for code, c in selectors.category_names().items()]
    form = IssueForm(request.POST, categories=categories, prefix="issue")
    return _write(request, meeting, "issue", form, lambda d: services.meeting_issue_add(
        actor=request.user, meeting_id=meeting.pk, version=d["version"], text=d["text"],
        category_code=d["category_code"], raised_by=d["raised_by"], sensitive=d["sensitive"]))


# --- the public page -------------------------------------------------------------------------

def public_page(request: HttpRequest, forum_id: int) -> HttpResponse:
    """"Kami mendengar, kami bertindak": what residents raised at the forum's meetings and what
    came of it. No login; nothing sensitive, no residents' names."""
    forum = selectors.public_forum(forum_id=forum_id)
    if forum is None or forum.status == Forum.Status.DISSOLVED:
        raise Http404
    items = selectors.public_outcomes(forum=forum)
    counts = {s: sum(1 for i in items if i["status"] == s) for s in ("open", "in_progress", "resolved",
                                                                     "referred")}
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    for item in page:
        item["when"] = shown(item["date"], forum.village, with_time=False)
    held = forum.meetings.filter(status=Meeting.Status.HELD, held_at__lte=timezone.now())
    first = held.order_by("held_at").values_list("held_at", flat=True).first()
    return render(request, "forums/public.html", {
        "forum": forum, "page": page, "counts": counts, "held": held.count(),
        "since": shown(first, forum.village, with_time=False) if first else "",
        "village": forum.village, "district": forum.village.parent,
    })
