"""Pages of the road map and the planner (/rencana/), for planners and supervisors in scope."""

import datetime as dt
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polmas.access.scope import scope_for
from polmas.analytics import charts
from polmas.planning import document as roadmap
from polmas.planning import planner, progress, selectors, services
from polmas.planning.models import Indicator, Milestone
from polmas.planning.pdf import roadmap_pdf
from polmas.regions import codes
from polmas.regions.models import Region

GAPS_SHOWN = 50


def _code(raw: str) -> str:
    code = "" if raw == "ID" else raw
    if code and (not codes.is_valid(code) or codes.level_of(code) > codes.DISTRICT):
        raise Http404
    return code


def _int(raw: str | None) -> int | str | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return raw


def _float(raw: str | None) -> float | str | None:
    try:
        return float(raw) if raw not in (None, "") else None
    except ValueError:
        return raw


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has(*selectors.READERS):
        raise Http404
    code = "ID" if scope.national else min(scope.prefixes, key=len)[:8]
    return redirect("planning:region", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def region(request: HttpRequest, code: str) -> HttpResponse:
    code = _code(code)
    if not selectors.may_open(request.user, code):
        raise Http404
    name = Region.objects.filter(code=code).values_list("name", flat=True).first() if code else _("Indonesia")
    if code and name is None:
        raise Http404
    errors: dict[str, str] = {}
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "target":
                services.target_set(actor=request.user, region=code,
                                    indicator=request.POST.get("indicator", ""),
                                    year=_int(request.POST.get("year")),
                                    value=_float(request.POST.get("value")))
            elif what == "milestone":
                due = request.POST.get("due", "")
                try:
                    due_date = dt.date.fromisoformat(due)
                except ValueError:
                    due_date = None
                services.milestone_save(actor=request.user, region=code, title=request.POST.get("title", ""),
                                        owner=request.POST.get("owner", ""), due=due_date,
                                        owner_name=request.POST.get("owner_name", ""))
            elif what == "plan":
                proposal = services.proposal_create(
                    actor=request.user, region=code, k=_int(request.POST.get("k")),
                    d_km=_float(request.POST.get("d_km")),
                    move_penalty=_float(request.POST.get("move_penalty")) or 0.0,
                    add_officers=_int(request.POST.get("add_officers")) or 0,
                    name=request.POST.get("name", ""))
                return redirect("planning:proposal", proposal_id=proposal.pk)
            else:
                errors["what"] = _("Unknown action.")
            if not errors:
                return redirect("planning:region", code=code or "ID")
        except ValidationError as exc:
            errors = {f: " ".join(m) for f, m in exc.message_dict.items()}
        except PermissionDenied as exc:
            errors = {"region": str(exc)}
    year = timezone.localdate().year
    target_year = _target_year(request)
    rows = progress.progress(code, target_year)
    mismatch = progress.children_mismatch(code, Indicator.OFFICER_COVERAGE, target_year)
    gaps = []
    if code and codes.level_of(code) >= codes.REGENCY:
        needs = planner.needs_for(code)
        gaps = sorted((n for n in needs.values() if not n.posted), key=lambda n: -n.need)[:GAPS_SHOWN]
    context = {
        "code": code, "code_arg": code or "ID", "name": name, "rows": rows, "target_year": target_year,
        "mismatch": mismatch, "gaps": gaps,
        "milestones": selectors.milestones_for(user=request.user, code=code),
        "proposals": selectors.proposal_list(user=request.user).filter(region_code=code)[:20],
        "indicators": Indicator.choices, "owners": Milestone.Owner.choices, "year": year,
        "errors": errors, "form": form, "can_edit": services.may_set_targets(request.user, code),
        "can_plan": services.may_plan(request.user, code),
    }
    return render(request, "planning/region.html", context, status=400 if errors else 200)


@login_required
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    found = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    if found is None:
        raise Http404
    return render(request, "planning/proposal.html", {
        "p": found, "result": found.result, "can_apply": services.may_apply(request.user, found),
        "code_arg": found.region_code or "ID", **_why(found)})


def _why(found) -> dict:
    """Why the plan covers less than today, when it does: today's postings that break the
    rules (k, d, the Polsek's area), and what keeping only their lawful part covers."""
    breaks = [{**b, "district": d["district"]} for d in found.result.get("districts", [])
              for b in d.get("breaks", [])]
    return {"breaks": breaks, "falls": found.coverage_after < found.coverage_before - 1e-9,
            "coverage_kept": found.result.get("coverage_kept"),
            "over_k": sum(1 for b in breaks if b["over_k"]),
            "over_k_villages": sum(b["over_k"] for b in breaks),
            "too_far": sum(1 for b in breaks if b["too_far"]),
            "outside": sum(1 for b in breaks if b["outside"])}


@login_required
@require_POST
def apply(request: HttpRequest, proposal_id: int) -> HttpResponse:
    found = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    if found is None:
        raise Http404
    error, status = "", 200
    try:
        services.proposal_apply(actor=request.user, proposal=found)
        return redirect("planning:proposal", proposal_id=found.pk)
    except services.Stale as exc:
        error, status = str(exc), 409
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 400
    except PermissionDenied as exc:
        error, status = str(exc), 403
    return render(request, "planning/proposal.html", {
        "p": found, "result": found.result, "can_apply": False, "error": error,
        "code_arg": found.region_code or "ID", **_why(found)}, status=status)


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    # Ids a record can have: ASCII digits ("²".isdigit() too), within a bigint.
    ids = [int(i) for i in request.GET.getlist("id") if re.fullmatch(r"[0-9]{1,18}", i)][:6]
    qs = selectors.proposal_list(user=request.user)
    chosen = list(qs.filter(pk__in=ids)) if ids else list(qs[:6])
    if not selectors.READERS or not scope_for(request.user).has(*selectors.READERS):
        raise Http404
    return render(request, "planning/compare.html", {"proposals": chosen})


@login_required
@require_http_methods(["GET", "POST"])
def milestone(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """Edit a milestone's status, due date and owner. The form carries the values shown
    (seen_*): when someone changed one meanwhile, 409 names it and nothing is saved."""
    found = selectors.milestone_get(user=request.user, milestone_id=milestone_id)
    if found is None:
        raise Http404
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        due_raw = request.POST.get("due", "")
        try:
            due = dt.date.fromisoformat(due_raw) if due_raw else None
        except ValueError:
            due = due_raw  # refused by the service, naming the field
        seen = {f: request.POST[f"seen_{f}"] for f in services.MILESTONE_EDITABLE
                if f"seen_{f}" in request.POST}
        try:
            services.milestone_update(
                actor=request.user, milestone=found, status=request.POST.get("status"), due=due,
                owner=request.POST.get("owner"), owner_name=request.POST.get("owner_name"),
                seen=seen)
            return redirect(reverse("planning:region", kwargs={"code": found.region_code[:8] or "ID"})
                            + "#milestones")
        except services.MilestoneChanged as exc:
            errors, status = {exc.field: str(exc)}, 409
            found.refresh_from_db()
        except ValidationError as exc:
            errors, status = {f: " ".join(m) for f, m in exc.message_dict.items()}, 400
        except PermissionDenied as exc:
            errors, status = {"region": str(exc)}, 403
    return render(request, "planning/milestone.html", {
        "m": found, "errors": errors, "statuses": Milestone.Status.choices,
        "owners": Milestone.Owner.choices,
        "can_edit": services.may_set_targets(request.user, found.region_code),
        "code_arg": found.region_code[:8] or "ID"}, status=status)


def _target_year(request: HttpRequest) -> int:
    year = _int(request.GET.get("year")) or 2030
    return year if isinstance(year, int) and 2000 <= year <= 2100 else 2030


@login_required
def document(request: HttpRequest, code: str) -> HttpResponse:
    """The road-map document of a region (HTML)."""
    doc = roadmap.build(user=request.user, code=_code(code), target_year=_target_year(request))
    if doc is None:
        raise Http404
    return render(request, "planning/document.html", {"doc": doc})


@login_required
def document_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The road-map document of a region as a PDF, in the request's language."""
    doc = roadmap.build(user=request.user, code=_code(code), target_year=_target_year(request))
    if doc is None:
        raise Http404
    response = HttpResponse(roadmap_pdf(doc), content_type="application/pdf")
    name = f"peta-jalan-{doc.code_arg}-{doc.start_year}-{doc.target_year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


MAP_MAX_VILLAGES = 3000
MAP_NAMES_UP_TO = 40
MAP_COLOURS = {"kept": "#2e8540", "lost": "#b3261e", "new": "#123a6b", "none": "#cccccc"}


@login_required
def proposal_map(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Villages covered today against those covered in the plan, on a dot map drawn on the
    server (the dashboards' SVG dot map: no script, no tiles). Today means the postings the
    proposal was computed on; villages held by other units' officers count on both sides."""
    found = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    if found is None:
        raise Http404
    result = found.result
    changed = {c["officer"]: c for c in result.get("changes", [])}
    planned, today = set(), set()
    for posting in result.get("postings", []):
        planned.update(posting["villages"])
        change = changed.get(posting["officer"])
        today.update(change["before"] if change else posting["villages"])
    points, counts, too_many = [], dict.fromkeys(MAP_COLOURS, 0), False
    needs = {}
    if not found.region_code:
        too_many = True  # the whole country: some 80,000 villages
    elif codes.level_of(found.region_code) > codes.PROVINCE or Region.objects.villages().under(
            found.region_code).count() <= MAP_MAX_VILLAGES:
        needs = planner.needs_for(found.region_code)
    else:
        too_many = True
    if needs and not too_many:
        others = {c for c, n in needs.items() if n.posted} - today - planned
        for code, n in sorted(needs.items()):
            was, will = code in today or code in others, code in planned or code in others
            kind = "kept" if was and will else "lost" if was else "new" if will else "none"
            counts[kind] += 1
            label = f"{n.name} ({code})" + (f" — {_('approximate location')}" if n.approximate else "")
            points.append((n.lon, n.lat, MAP_COLOURS[kind], f"{label}: {map_labels()[kind]}", n.name))
    svg = charts.dots(_("Villages covered today and in the plan"), [p[:4] for p in points],
                      names=[p[4] for p in points] if len(points) <= MAP_NAMES_UP_TO else None)
    legend = [(MAP_COLOURS[k], label, counts[k]) for k, label in map_labels().items()]
    return render(request, "planning/map.html", {
        "p": found, "svg": svg if points else None, "legend": legend, "too_many": too_many,
        "code_arg": found.region_code or "ID"})


def map_labels() -> dict[str, str]:
    """The legend's words, translated when called."""
    return {"kept": _("covered today and in the plan"), "lost": _("covered today, not in the plan"),
            "new": _("covered in the plan, not today"), "none": _("covered in neither")}
