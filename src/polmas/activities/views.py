"""Pages: record an activity, my week, the scoped list, rosters (edit, generate, view, print,
swap, check in) and the disaster-mode switch. Thin: reads through selectors, writes through
services; a record outside scope is 404."""

import datetime as dt
import mimetypes
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.activities import disaster, rosters, selectors, services
from polmas.activities.forms import ActivityForm, DisasterForm, RosterForm, SwapForm
from polmas.activities.models import Activity, Roster, ShiftVolunteer
from polmas.policing.models import Assignment
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.zones import zone_of

PAGE = 50
MAX_CHOICES = 2000


def _villages(request: HttpRequest) -> list[Region]:
    """Villages the caller works in: their postings, else every village in their scope."""
    posted = list(Region.objects.filter(code__in=Assignment.objects.filter(
        officer__user=request.user, end__isnull=True).values("village_id")))
    if posted:
        return posted
    scope = scope_for(request.user)
    return list(Region.objects.filter(scope.q("code"), level=codes.VILLAGE)[:MAX_CHOICES])


def _field_errors(form, exc: ValidationError) -> None:
    for name, msgs in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, msgs)


# --- activities ----------------------------------------------------------------------------

@login_required
def activity_mine(request: HttpRequest) -> HttpResponse:
    items = selectors.activities_mine_this_week(user=request.user)
    counts = {k: 0 for k, _l in Activity.Kind.choices}
    households = 0
    for a in items:
        counts[a.kind] += 1
        households += a.households or 0
    return render(request, "activities/mine.html", {
        "items": items, "counts": [(label, counts[k]) for k, label in Activity.Kind.choices],
        "households": households, "is_officer": services.officer_of(request.user) is not None})


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    if services.officer_of(request.user) is None:
        raise PermissionDenied
    villages = _villages(request)
    # The form's time is read in the village's zone (WIB, WITA, WIT); offer now in that zone.
    now = timezone.now().astimezone(zone_of(villages[0] if villages else None))
    form = ActivityForm(request.POST or None, request.FILES or None, villages=villages,
                        initial={"date": now.date(), "time": now.time().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        data = services.ActivityInput(
            client_uuid=c["client_uuid"], kind=c["kind"], village=c["village"],
            occurred_at=form.occurred_at(),
            households=c["households"], issues_heard=c["issues_heard"], topic=c["topic"],
            audience=c["audience"], summary=c["summary"], latitude=c["latitude"], longitude=c["longitude"])
        try:
            _activity, created = services.activity_record(actor=request.user, data=data,
                                                          photo=c["photo"])
        except ValidationError as exc:
            _field_errors(form, exc)
        except services.Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Activity recorded.") if created else
                             _("This activity was already recorded; it was not added twice."))
            return redirect("activities:mine")
    return render(request, "activities/new.html", {"form": form})


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.activity_list(user=request.user).order_by("-occurred_at", "-pk")
    kind = request.GET.get("kind", "")
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "activities/list.html", {"page": page, "kind": kind,
                                                    "kinds": Activity.Kind.choices})


@login_required
@require_GET
def activity_photo(request: HttpRequest, activity_id: int) -> FileResponse:
    """The activity's photo, never from a public media URL: only to those who may read the
    activity (the list's scope and confidentiality check); 404 to everyone else."""
    activity = selectors.activity_get(user=request.user, activity_id=activity_id)
    if activity is None or not activity.photo:
        raise Http404
    try:
        handle = activity.photo.open("rb")
    except OSError:
        raise Http404 from None
    content_type = mimetypes.guess_type(activity.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- rosters -------------------------------------------------------------------------------

def _roster(request: HttpRequest, roster_id: int) -> Roster:
    roster = selectors.roster_get(user=request.user, roster_id=roster_id)
    if roster is None:
        raise Http404
    return roster


@login_required
def roster_list(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).has(*selectors.ROSTER_ROLES):
        raise Http404
    items = selectors.roster_list(user=request.user).order_by("-start", "-pk")[:200]
    return render(request, "activities/rosters.html", {"items": items})


def _roster_input(form: RosterForm) -> rosters.RosterInput:
    c = form.cleaned_data
    return rosters.RosterInput(village=c["village"], name=c["name"], kind=c["kind"], start=c["start"],
                               nights=c["nights"], weekdays="".join(c["weekdays"]), per_post=c["per_post"],
                               max_per_week=c["max_per_week"], posts=c["posts"], volunteers=c["volunteers"])


@login_required
def roster_edit(request: HttpRequest, roster_id: int | None = None) -> HttpResponse:
    roster = _roster(request, roster_id) if roster_id else None
    if roster is None and not scope_for(request.user).has(*selectors.ROSTER_ROLES):
        raise Http404
    initial = {"start": timezone.localdate()}
    if roster is not None:
        initial = {"version": roster.version, "village": roster.village_id, "name": roster.name,
                   "kind": roster.kind,
                   "start": roster.start, "nights": roster.nights, "weekdays": list(roster.weekdays),
                   "per_post": roster.per_post, "max_per_week": roster.max_per_week,
                   **RosterForm.lines(roster)}
    form = RosterForm(request.POST or None, villages=_villages(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = rosters.roster_save(actor=request.user, data=_roster_input(form),
                                        roster_id=roster.pk if roster else None,
                                        version=form.cleaned_data["version"] if roster else None)
        except ValidationError as exc:
            _field_errors(form, exc)
        except services.Conflict as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("activities:roster", saved.pk)
    return render(request, "activities/roster_edit.html", {"form": form, "roster": roster})


def _places(roster: Roster) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.night:%d-%m} · {p.shift.post.name} · {p.volunteer.name}")
            for p in ShiftVolunteer.objects.filter(shift__roster=roster, checked_in_at__isnull=True)
            .select_related("shift__post", "volunteer").order_by("night", "shift__post__order", "pk")]


@login_required
def roster_detail(request: HttpRequest, roster_id: int, print_view: bool = False) -> HttpResponse:
    roster = _roster(request, roster_id)
    shortages = [{**s, "night": dt.date.fromisoformat(s["night"])} for s in roster.shortages]
    context = {"roster": roster, "table": selectors.roster_table(roster), "shortages": shortages,
               "mode": disaster.disaster_for_village(code=roster.village_id),
               "today": timezone.localdate(), "undo_since": timezone.now() - rosters.UNDO_WINDOW}
    if print_view:
        return render(request, "activities/roster_print.html", context)
    context["swap"] = SwapForm(places=_places(roster), initial={"version": roster.version})
    return render(request, "activities/roster.html", context)


def _roster_write(request: HttpRequest, roster_id: int, write) -> HttpResponse:
    try:
        write()
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            messages.error(request, " ".join(msgs))
    except services.Conflict as exc:
        messages.error(request, str(exc))
    return redirect("activities:roster", roster_id)


@login_required
@require_POST
def roster_generate(request: HttpRequest, roster_id: int) -> HttpResponse:
    roster = _roster(request, roster_id)
    version = request.POST.get("version", "")
    return _roster_write(request, roster.pk, lambda: rosters.roster_generate(
        actor=request.user, roster_id=roster.pk, version=int(version) if version.isdigit() else None))


@login_required
@require_POST
def roster_swap(request: HttpRequest, roster_id: int) -> HttpResponse:
    roster = _roster(request, roster_id)
    form = SwapForm(request.POST, places=_places(roster))
    if not form.is_valid():
        messages.error(request, _("Pick two shifts to swap."))
        return redirect("activities:roster", roster.pk)
    c = form.cleaned_data
    return _roster_write(request, roster.pk, lambda: rosters.roster_swap(
        actor=request.user, roster_id=roster.pk, first=c["first"], second=c["second"], version=c["version"]))


@login_required
@require_POST
def roster_check_in(request: HttpRequest, roster_id: int) -> HttpResponse:
    return _place_write(request, roster_id, rosters.roster_check_in)


@login_required
@require_POST
def roster_check_in_undo(request: HttpRequest, roster_id: int) -> HttpResponse:
    return _place_write(request, roster_id, rosters.roster_check_in_undo)


def _place_write(request: HttpRequest, roster_id: int, write: Callable[..., object]) -> HttpResponse:
    """A check-in or its undoing for the volunteer place posted. A place that is no number
    (ASCII digits only: "²" passes str.isdigit and then breaks int) is refused by name."""
    roster = _roster(request, roster_id)
    place = request.POST.get("place", "")
    if not (place.isascii() and place.isdigit() and len(place) <= 18):
        messages.error(request, _("Pick a volunteer to check in."))
        return redirect("activities:roster", roster.pk)
    return _roster_write(request, roster.pk, lambda: write(
        actor=request.user, roster_id=roster.pk, place=int(place)))


# --- disaster mode -------------------------------------------------------------------------

@login_required
def disaster_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has(Role.SUPERVISOR, Role.ADMIN):
        raise Http404
    places = list(Region.objects.filter(scope.q("code"), level__in=[codes.DISTRICT, codes.VILLAGE])
                  .order_by("code")[:MAX_CHOICES])
    form = DisasterForm(request.POST or None, places=places)
    if request.method == "POST":
        if "end" in request.POST:
            try:
                disaster.disaster_end(actor=request.user, prefix=request.POST["end"])
                messages.success(request, _("Disaster mode switched off."))
            except ValidationError as exc:
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            return redirect("activities:disaster")
        if form.is_valid():
            try:
                disaster.disaster_start(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Disaster mode switched on."))
                return redirect("activities:disaster")
    active = disaster.disaster_active(prefixes=scope.prefixes)
    regions = Region.objects.in_bulk([m.prefix for m in active])
    return render(request, "activities/disaster.html", {
        "form": form, "active": [(m, regions.get(m.prefix)) for m in active]})
