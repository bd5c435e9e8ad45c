"""The pages. Thin: every read goes through a scope-filtered selector."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.analytics.selectors import (
    coverage_children,
    coverage_home_code,
    coverage_summary,
    coverage_visible,
)
from polmas.earlywarning import selectors as alarm_selectors
from polmas.earlywarning.text import alarm_sentence
from polmas.forums.models import Member
from polmas.forums.selectors import forum_list, forum_members
from polmas.policing.selectors import officer_list, officer_villages, unit_list
from polmas.portal.notices import disaster_notices
from polmas.portal.resident import resident_home
from polmas.regions import codes
from polmas.regions.selectors import region_get
from polmas.web import queue as work
from polmas.web import supervision


def _bhabinkamtibmas(request: HttpRequest) -> dict:
    """My villages (active assignments) and the forums standing in them."""
    officer = officer_list(user=request.user).filter(user=request.user).first()
    if officer is None:
        return {"assignments": [], "forums": []}
    assignments = list(officer_villages(officer=officer).select_related("village__parent")
                       .order_by("village_id"))
    forums = (forum_list(user=request.user)
              .filter(village_id__in=[a.village_id for a in assignments])
              .annotate(member_count=Count("members", filter=Q(members__active=True)))
              .order_by("village_id", "name"))
    return {"officer": officer, "assignments": assignments, "forums": list(forums)}


# The board first, then advisers and members, as a forum lists itself.
_ROLE_RANK = {role: i for i, role in enumerate([
    Member.Role.CHAIR, Member.Role.VICE_CHAIR, Member.Role.SECRETARY, Member.Role.TREASURER,
    Member.Role.ADVISER, Member.Role.MEMBER,
])}


def _fkpm_member(request: HttpRequest) -> list[dict]:
    """The forums I am an active member of, with their members' names and roles only."""
    forums = (forum_list(user=request.user)
              .filter(members__user=request.user, members__active=True)
              .select_related("village__parent").distinct().order_by("name"))
    out = []
    for forum in forums:
        members = forum_members(user=request.user, forum=forum).only("name", "role")
        ranked = sorted(members, key=lambda m: (_ROLE_RANK.get(m.role, len(_ROLE_RANK)), m.name))
        out.append({"forum": forum, "members": [(m.name, m.get_role_display()) for m in ranked]})
    return out


def _coverage_link(code: str | None) -> str | None:
    if code is None:
        return None
    return reverse("coverage-region", args=[code]) if code else reverse("coverage")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    context: dict = {"roles": scope.roles}
    if Role.BHABINKAMTIBMAS in scope.roles:
        context["bhabin"] = _bhabinkamtibmas(request)
    if Role.FKPM_MEMBER in scope.roles:
        context["fkpm_forums"] = _fkpm_member(request)
    if scope.has(Role.SUPERVISOR, Role.PPA_OFFICER):
        context["units"] = list(unit_list(user=request.user).filter(pk__in=scope.unit_ids)
                                .order_by("name"))
    if scope.has(Role.SUPERVISOR, Role.PPA_OFFICER, Role.PLANNER, Role.ADMIN, Role.PARTNER):
        home_code = coverage_home_code(user=request.user)
        context["summary"] = coverage_summary(user=request.user)
        context["national"] = home_code == ""
        context["coverage_url"] = _coverage_link(home_code)
    if Role.RESIDENT in scope.roles:
        context["resident"] = resident_home(user=request.user)
    # Disaster mode, to those it affects: the area of their role, a resident's own village.
    places = list(scope.prefixes)
    if context.get("resident") and context["resident"].village is not None:
        places.append(context["resident"].village.code)
    if places:
        context["disasters"] = disaster_notices(prefixes=places)
    return render(request, "web/home.html", context)


@login_required
def coverage(request: HttpRequest, code: str = "") -> HttpResponse:
    if code and not codes.is_valid(code):
        raise Http404
    if code and codes.level_of(code) == codes.VILLAGE:
        # Villages are rows of their district's table.
        if not coverage_visible(user=request.user, code=code) or region_get(code=code) is None:
            raise Http404
        return redirect(reverse("coverage-region", args=[codes.parent_of(code)]) + f"#v-{code}")
    if not code and "top" not in request.GET:
        # Start where the user's area is (a kapolsek at their district); the breadcrumbs
        # still lead up to the country (?top=1), shown restricted to their area.
        home_code = coverage_home_code(user=request.user)
        if home_code:
            return redirect("coverage-region", home_code)
    table = coverage_children(user=request.user, code=code)
    if table is None:
        raise Http404
    return render(request, "web/coverage.html", {
        "table": table,
        "level_name": codes.LEVEL_NAMES.get(table.level, ""),
        "child_level_name": codes.LEVEL_NAMES[table.child_level],
    })


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue: what each role does next (404 for roles without one)."""
    if not work.has_queue(request.user):
        raise Http404
    scope = scope_for(request.user)
    context: dict = {}
    status = 200
    if scope.has(Role.BHABINKAMTIBMAS):
        context["officer"] = work.officer_queue(request.user)
    if scope.has(Role.SUPERVISOR, Role.ADMIN):
        filters, errors = supervision.filters_parse(request.user, request.GET)
        context["supervisor"] = work.supervisor_queue(request.user, request.GET, filters)
        context["filter_errors"] = errors
        status = 400 if errors else 200
    if scope.has(Role.PPA_OFFICER):
        context["ppa"] = supervision.ppa_queue(request.user, request.GET)
    if scope.has(Role.FKPM_MEMBER):
        context["member"] = work.member_queue(request.user)
    if alarm_selectors.reads_alarms(request.user):
        context["alarms"] = [{"alarm": a, "sentence": alarm_sentence(a)}
                             for a in alarm_selectors.alarms_active(user=request.user)[:20]]
    return render(request, "web/queue.html", context, status=status)
