"""Case pages: the list in scope, one case with its SARA stage and a form for each step,
opening a case from a report or a meeting issue, and the agreement PDF. Thin: reads through
the scoped selectors, writes through the services; a case outside scope is 404. A sealed case
asks a supervisor for a reason first (kept for the session, audited with every read)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.cases import selectors, services
from polmas.cases.forms import CaseOpenForm, ReasonForm
from polmas.cases.models import Case
from polmas.cases.pages import STEPS, auto_id, detail_context, form_errors
from polmas.cases.pdf import agreement_pdf
from polmas.cases.selectors import ReasonRequired
from polmas.forums import selectors as forum_selectors
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.selectors import categories_active, report_get

PAGE = 25
MAX_VILLAGES = 2000
_SESSION_KEY = "sealed_case_reasons"


# --- reading -------------------------------------------------------------------------------

def _reason(request: HttpRequest, case_id: int) -> str:
    return request.session.get(_SESSION_KEY, {}).get(str(case_id), "")


def _case(request: HttpRequest, case_id: int) -> Case | None:
    """The case, None when it is sealed and a reason is needed first; 404 outside scope."""
    try:
        case = selectors.case_get(user=request.user, case_id=case_id, reason=_reason(request, case_id))
    except ReasonRequired:
        return None
    if case is None:
        raise Http404
    return case


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).has(*selectors.READER_ROLES):
        raise Http404
    qs = selectors.case_list(user=request.user, sealed_listed=True).select_related("assigned_officer")
    stage, category = request.GET.get("stage", ""), request.GET.get("category", "")
    overdue = request.GET.get("overdue", "") == "1"
    if stage in Case.Stage.values:
        qs = qs.filter(stage=stage)
    if category:
        qs = qs.filter(category__code=category)
    if overdue:
        qs = qs.filter(pk__in=Case.objects.filter(selectors.overdue_q()).values("pk"))
    page = Paginator(qs.order_by("-last_activity_at", "-pk"), PAGE).get_page(request.GET.get("page"))
    rows = [{"case": c, "sealed": not selectors.can_read_sealed(request.user, c)} for c in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/list.html", {
        "page": page, "rows": rows, "stage": stage, "category": category, "overdue": overdue,
        "stages": Case.Stage.choices, "categories": [(c.code, c.name) for c in categories_active()],
        "query": query.urlencode(), "can_open": selectors.is_police(request.user)})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    if request.method == "POST":
        return _reason_given(request, case_id)
    case = _case(request, case_id)
    if case is None:
        return render(request, "cases/reason.html", {"case_id": case_id, "form": ReasonForm()})
    return render(request, "cases/detail.html", detail_context(request, case, _reason(request, case_id)))


def _reason_given(request: HttpRequest, case_id: int) -> HttpResponse:
    """A supervisor states why they open a sealed case; the selector audits the read."""
    form = ReasonForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"].strip()
        try:
            case = selectors.case_get(user=request.user, case_id=case_id, reason=reason, audit=False)
        except ReasonRequired:
            case = None
            form.add_error("reason", _("This is required."))
        if case is not None:
            reasons = request.session.get(_SESSION_KEY, {})
            reasons[str(case_id)] = reason
            request.session[_SESSION_KEY] = reasons
            return redirect("cases:detail", case_id)
        if not form.errors:
            raise Http404
    return render(request, "cases/reason.html", {"case_id": case_id, "form": form}, status=400)


@login_required
def case_agreement(request: HttpRequest, case_id: int, mediation_id: int) -> HttpResponse:
    case = _case(request, case_id)
    if case is None:
        return redirect("cases:detail", case_id)
    found = (case.mediations.select_related("case__village", "mediator_officer")
             .filter(pk=mediation_id).first())
    if found is None:
        raise Http404
    response = HttpResponse(agreement_pdf(found), content_type="application/pdf")
    # The agreement names the parties: a download of personal data, audited (UU 27/2022).
    audit_record(actor=request.user, action="case.export_agreement", obj=case,
                 region_code=case.village_id, detail={"mediation": found.pk})
    response["Content-Disposition"] = f'attachment; filename="kesepakatan-{case.pk}-{found.pk}.pdf"'
    return response


# --- writing a step ------------------------------------------------------------------------

@login_required
@require_POST
def case_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    form_class, write = STEPS[step]
    form = form_class(request.POST, auto_id=auto_id(step))
    reason = _reason(request, case_id)
    stale = False
    if form.is_valid():
        try:
            write(actor=request.user, case_id=case_id, version=form.cleaned_data["version"],
                  reason=reason, form=form)
        except ValidationError as exc:
            form_errors(form, exc)
        except services.Conflict:
            stale = True
        except PermissionDenied as exc:
            if not selectors.is_police(request.user):
                raise Http404 from None
            # A supervisor writing a sealed case must first say why they open it.
            messages.error(request, str(exc))
            return redirect("cases:detail", case_id)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("cases:detail", args=[case_id]) + f"#{step}")
    case = _case(request, case_id)
    if case is None:
        return redirect("cases:detail", case_id)
    context = detail_context(request, case, reason, bound=(step, form))
    if stale:
        context["stale"] = True
    return render(request, "cases/detail.html", context, status=409 if stale else 400)


# --- opening a case ------------------------------------------------------------------------

def _villages(request: HttpRequest) -> list[tuple[str, str]]:
    qs = Region.objects.filter(scope_for(request.user).q("code"), level=codes.VILLAGE).order_by("code")
    return [(r.code, f"{r.name} ({r.code})") for r in qs[:MAX_VILLAGES]]


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case in the scanning stage: from a report (?report=ID) or an early detection."""
    if not selectors.is_police(request.user):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    report_id = data.get("report", "")
    report = None
    if report_id:
        try:
            report = report_get(user=request.user, report_id=int(report_id)) if report_id.isdigit() else None
        except ReasonRequired:
            report = None
        if report is None:
            raise Http404
        existing = selectors.case_of_report(report_id=report.pk)
        if existing is not None:
            return _existing_case(request, report, existing)
    villages = ([(report.village_id, f"{report.village.name} ({report.village_id})")] if report
                else _villages(request))
    categories = [(c.code, c.name) for c in categories_active()]
    initial = {"client_uuid": uuid.uuid4()}
    if report is not None:
        initial.update(report=report.pk, village=report.village_id, category=report.category.code,
                       statement=report.shown_description)
    form = CaseOpenForm(request.POST or None, initial=initial, villages=villages, categories=categories)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            case = services.case_open(
                actor=request.user, source=Case.Source.REPORT if report else Case.Source.DETECTION,
                village=c["village"], category=c["category"], title=c["title"], statement=c["statement"],
                incidents_note=c["incidents_note"], recurring=c["recurring"],
                report_ids=[report.pk] if report else None, client_uuid=c["client_uuid"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:detail", case.pk)
    return render(request, "cases/new.html", {"form": form, "report": report},
                  status=400 if form.errors else 200)


def _existing_case(request: HttpRequest, report, case: Case) -> HttpResponse:
    """A report already in a case: a second is refused; the page offers the one there is."""
    readable = selectors.case_list(user=request.user, sealed_listed=True).filter(pk=case.pk).exists()
    return render(request, "cases/new.html",
                  {"report": report, "existing": case, "existing_readable": readable},
                  status=409 if request.method == "POST" else 200)


@login_required
def from_meeting_issue(request: HttpRequest, issue_id: int) -> HttpResponse:
    """Turn an issue raised at an FKPM meeting into a case in one step (GET: confirm)."""
    issue = forum_selectors.meeting_issue_get(user=request.user, issue_id=issue_id)
    if issue is None:
        raise Http404
    meeting_url = reverse("forums:meeting", args=[issue.meeting_id]) + f"#issue-{issue.pk}"
    if issue.case_id is not None:
        return _to_case(request, issue.case_id, meeting_url, created=False)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("client_uuid", "")
        try:
            client_uuid = uuid.UUID(raw) if raw else None
        except ValueError:
            client_uuid = None
        try:
            case = services.case_open(actor=request.user, source=Case.Source.MEETING,
                                      meeting_issue_id=issue.pk, client_uuid=client_uuid)
        except ValidationError as exc:
            issue.refresh_from_db()
            if issue.case_id is not None:  # the other click won
                return _to_case(request, issue.case_id, meeting_url, created=False)
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            return _to_case(request, case.pk, meeting_url, created=True)
    hidden = issue.sensitive and not forum_selectors.sensitive_text_visible(request.user)
    category = forum_selectors.category_names().get(issue.category_code, {}).get("name", "")
    return render(request, "cases/from_issue.html", {
        "issue": issue, "text": "" if hidden else issue.text, "hidden": hidden, "category": category,
        "meeting_url": meeting_url, "client_uuid": uuid.uuid4(), "error": error},
        status=400 if error else 200)


def _to_case(request: HttpRequest, case_id: int, meeting_url: str, *, created: bool) -> HttpResponse:
    case = Case.objects.filter(pk=case_id).select_related("assigned_officer").first()
    readable = case is not None and selectors.case_list(user=request.user, sealed_listed=True).filter(
        pk=case_id).exists()
    number = case.number if case else f"#{case_id}"
    if created:
        messages.success(request, _("Case %(number)s opened from the issue.") % {"number": number})
    else:
        messages.info(request, _("This issue is already tracked as case %(number)s.") % {"number": number})
    if readable:
        return redirect("cases:detail", case_id)
    messages.info(request, _("It is a sensitive matter: its officer handles it."))
    return redirect(meeting_url)

