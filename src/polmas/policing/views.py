"""Officer and posting management for supervisors, outside the Django admin: the officers of
their units, and on each officer's page, post to a village, transfer, end a posting, record a
training course or an item of equipment. Thin: reads through the scoped selectors, writes
through the services (jurisdiction check, scope, audit log); others get 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polmas.access.scope import scope_for
from polmas.core.scope import prefix_q
from polmas.policing import selectors, services
from polmas.policing.forms import FORMS
from polmas.policing.models import Assignment, Officer
from polmas.regions import codes
from polmas.regions.models import Region

PAGE = 25
MANAGERS = ("supervisor", "admin")


def _manager(request: HttpRequest) -> None:
    if not scope_for(request.user).has(*MANAGERS):
        raise Http404


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    qs = selectors.officer_list(user=request.user).prefetch_related("assignments__village")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(nrp__startswith=q))
    page = Paginator(qs.order_by("unit__name", "name", "pk"), PAGE).get_page(request.GET.get("page"))
    rows = [{"officer": o, "villages": [a.village for a in o.assignments.all() if a.end is None]}
            for o in page]
    return render(request, "policing/officers.html", {"page": page, "rows": rows, "q": q})


def _villages(request: HttpRequest, officer: Officer) -> list[tuple[str, str]]:
    """The villages of the officer's unit's jurisdiction inside the caller's scope."""
    qs = Region.objects.filter(prefix_q("code", officer.unit.prefixes()),
                               scope_for(request.user).q("code"), level=codes.VILLAGE)
    return [("", "–")] + [(r.code, f"{r.name} ({r.code})") for r in qs.order_by("name")[:1000]]


def _write(request: HttpRequest, officer: Officer, action: str, form: forms.Form) -> None:
    c = form.cleaned_data
    actor = request.user
    if action in ("transfer", "end"):
        assignment = Assignment.objects.filter(officer=officer, pk=c["assignment"]).first()
        if assignment is None:
            raise ValidationError({"assignment": _("No such posting of this officer.")})
    if action in ("post", "transfer"):
        village = Region.objects.filter(code=c["village"], level=codes.VILLAGE).first()
        if village is None:
            raise ValidationError({"village": _("No village has code %(code)s.")
                                   % {"code": c["village"][:20]}})
    if action == "post":
        services.assignment_start(actor=actor, officer=officer, village=village, start=c["start"],
                                  replace=c["replace"])
    elif action == "transfer":
        services.assignment_transfer(actor=actor, assignment=assignment, village=village, start=c["start"])
    elif action == "end":
        services.assignment_end(actor=actor, assignment=assignment, end=c["end"])
    elif action == "training":
        services.training_record_add(actor=actor, officer=officer, course=c["course"],
                                     completed_on=c["completed_on"], provider=c["provider"],
                                     certificate=c["certificate"])
    else:
        services.equipment_add(actor=actor, unit=officer.unit, officer=officer, kind=c["kind"],
                               condition=c["condition"], description=c["description"],
                               acquired_on=c["acquired_on"])


DONE = {"post": gettext_lazy("Posted."), "transfer": gettext_lazy("Transferred."),
        "end": gettext_lazy("Posting ended."), "training": gettext_lazy("Training recorded."),
        "equipment": gettext_lazy("Equipment recorded.")}


def _form(action: str, villages: list, data=None, prefix: str = "",
          initial: dict | None = None) -> forms.Form:
    form = FORMS[action](data, auto_id=f"id_{prefix}{action}_%s", initial=initial)
    if "village" in form.fields:
        form.fields["village"].widget.choices = villages
    return form


@login_required
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    _manager(request)
    officer = selectors.officer_get(user=request.user, officer_id=officer_id)
    if officer is None or not services.can_manage(request.user, officer):
        raise Http404
    villages = _villages(request, officer)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in FORMS:
            raise Http404
        posting = request.POST.get("assignment", "")
        prefix = f"a{posting}_" if action in ("transfer", "end") and posting.isdigit() else ""
        form = _form(action, villages, request.POST, prefix=prefix)
        if form.is_valid():
            try:
                _write(request, officer, action, form)
            except ValidationError as exc:
                _errors(form, exc)
            except PermissionDenied as exc:  # the village lies outside the caller's area
                form.add_error("village" if "village" in form.fields else None, str(exc))
            else:
                messages.success(request, str(DONE[action]))
                return redirect("policing:officer", officer.pk)
        bound[action] = form
    postings = list(officer.assignments.select_related("village__parent").order_by("-start", "-pk"))
    forms_ = {a: bound.get(a) or _form(a, villages) for a in ("post", "training", "equipment")}
    active = []
    for a in postings:
        if a.end is None:
            mine = request.POST.get("assignment") == str(a.pk)
            fresh = {act: _form(act, villages, prefix=f"a{a.pk}_", initial={"assignment": a.pk})
                     for act in ("transfer", "end")}
            active.append({"obj": a, **{act: (bound.get(act) if mine and act in bound else f)
                                        for act, f in fresh.items()}})
    return render(request, "policing/officer.html", {
        "officer": officer, "postings": postings, "active": active, "forms": forms_,
        "trainings": list(officer.trainings.all()), "equipment": list(officer.equipment.all()),
    }, status=400 if bound else 200)


def _errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, msgs in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, msgs)
