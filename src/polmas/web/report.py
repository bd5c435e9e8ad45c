"""The officer's page of one report from the queue: what the resident wrote, their photo and
the contact they chose to give, the report's history, and what to do with it: open a case (or
the case it is already part of), reply on the resident's channel, dismiss it or mark it as a
duplicate, each with a reason the resident reads. Police only (the reporter's identity is
theirs to see); outside scope 404; a sealed report as reports.selectors allows, audited."""

import mimetypes

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from polmas.access.audit import audit_record
from polmas.cases import selectors as case_selectors
from polmas.reports import services as report_services
from polmas.reports import triage
from polmas.reports.models import Event, Feedback, Report
from polmas.reports.selectors import ReasonRequired, can_see_reporter, report_get

REPLY_LABELS = {"sms": gettext_lazy("SMS"), "whatsapp": gettext_lazy("WhatsApp"),
                "email": gettext_lazy("e-mail")}


class ReplyForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your answer"), max_length=triage.REPLY_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DismissForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why no action is needed (the resident reads this)"),
                             max_length=triage.REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class DuplicateForm(forms.Form):
    into = forms.IntegerField(label=gettext_lazy("Number of the earlier report"), min_value=1)
    reason = forms.CharField(label=gettext_lazy("Reason (the resident reads this)"),
                             max_length=triage.REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))


def _report(request: HttpRequest, report_id: int) -> Report:
    """The report for a police reader; 404 outside scope or for others; 403 for a sealed one
    a supervisor would need to give a reason for (they open it from its case)."""
    if not can_see_reporter(request.user):
        raise Http404
    try:
        report = report_get(user=request.user, report_id=report_id)
    except ReasonRequired:
        raise PermissionDenied(
            _("This report is sealed: open it from its case and give your reason.")) from None
    if report is None:
        raise Http404
    return report


def person_name(user: User | None) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


EVENT_SENTENCES = {
    "received": gettext_lazy("The report was received and routed."),
    "status": gettext_lazy("%(who)s set the status to “%(status)s”."),
    "merged": gettext_lazy("%(who)s merged it into an earlier report of the same matter."),
    "duplicate": gettext_lazy("%(who)s marked it as a duplicate: %(note)s"),
    "dismissed": gettext_lazy("%(who)s closed it without action: %(note)s"),
    "reply": gettext_lazy("%(who)s answered the resident: “%(note)s”"),
    "moderation": gettext_lazy("%(who)s moderated it: %(note)s"),
    "reopened": gettext_lazy("The resident reopened it: the problem is not fixed."),
}


def history(report: Report) -> list[dict]:
    """The report's events as sentences, newest last."""
    out = []
    for e in Event.objects.filter(report=report).select_related("actor").order_by("at", "pk"):
        status = Report.Status(e.status).label if e.status in Report.Status.values else e.status
        sentence = EVENT_SENTENCES.get(e.kind)
        text = (str(sentence) % {"who": person_name(e.actor), "status": status, "note": e.note}
                if sentence else e.kind)
        out.append({"at": e.at, "kind": e.kind, "text": text})
    for f in Feedback.objects.filter(report=report).order_by("at", "pk"):
        said = (_("The resident said the problem is fixed.") if f.fixed
                else _("The resident said the problem is not fixed."))
        if f.rating:
            said = f"{said} " + _("They rated the response %(rating)s of 5.") % {"rating": f.rating}
        out.append({"at": f.at, "kind": "feedback", "text": said})
    return sorted(out, key=lambda h: h["at"])


def _context(request: HttpRequest, report: Report, **forms_: forms.Form) -> dict:
    case = case_selectors.case_of_report(report_id=report.pk)
    case_readable = case is not None and case_selectors.case_list(
        user=request.user, sealed_listed=True).filter(pk=case.pk).exists()
    target = triage.reply_target(report)
    is_open = report.status in (Report.Status.RECEIVED, Report.Status.IN_PROGRESS)
    return {
        "report": report, "case": case, "case_readable": case_readable,
        "reply_label": REPLY_LABELS.get(report.reply_channel, ""), "can_reply": target is not None,
        "history": history(report), "is_open": is_open and report.duplicate_of_id is None,
        "reply_form": forms_.get("reply") or ReplyForm(),
        "dismiss_form": forms_.get("dismiss") or DismissForm(auto_id="id_dismiss_%s"),
        "duplicate_form": forms_.get("duplicate") or DuplicateForm(
            auto_id="id_duplicate_%s", initial={"into": report.likely_duplicate_of_id}),
    }


@login_required
@require_GET
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    return render(request, "web/report.html", _context(request, report))


@login_required
@require_GET
def report_photo(request: HttpRequest, report_id: int) -> FileResponse:
    """The resident's photo, never from a public media URL: the same check as the report,
    and every read of a sealed report's photo audited."""
    report = _report(request, report_id)
    if not report.photo:
        raise Http404
    if report.sensitive:
        audit_record(actor=request.user, action="report.read_photo", obj=report,
                     region_code=report.village_id)
    try:
        handle = report.photo.open("rb")
    except OSError:
        raise Http404 from None
    content_type = mimetypes.guess_type(report.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _errors_onto(form: forms.Form, exc: ValidationError) -> None:
    for field, msgs in getattr(exc, "message_dict", {"": exc.messages}).items():
        form.add_error(field if field in form.fields else None, msgs)


def _write(request: HttpRequest, report_id: int, key: str, form: forms.Form, write,
           done: str) -> HttpResponse:
    report = _report(request, report_id)
    if form.is_valid():
        try:
            write(report, form.cleaned_data)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, done)
            return redirect("report-page", report_id)
    report.refresh_from_db()
    return render(request, "web/report.html", _context(request, report, **{key: form}), status=400)


@login_required
@require_POST
def report_reply_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _write(request, report_id, "reply", ReplyForm(request.POST),
                  lambda r, c: triage.report_reply(actor=request.user, report_id=r.pk, text=c["text"]),
                  _("Your answer is on its way to the resident."))


@login_required
@require_POST
def report_dismiss_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _write(request, report_id, "dismiss", DismissForm(request.POST, auto_id="id_dismiss_%s"),
                  lambda r, c: triage.report_dismiss(actor=request.user, report_id=r.pk, reason=c["reason"]),
                  _("The report is closed; the resident sees your reason."))


@login_required
@require_POST
def report_duplicate_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _write(request, report_id, "duplicate", DuplicateForm(request.POST, auto_id="id_duplicate_%s"),
                  lambda r, c: triage.report_mark_duplicate(actor=request.user, report_id=r.pk,
                                                            into_id=c["into"], reason=c["reason"]),
                  _("The report is marked as a duplicate; the resident sees your reason."))


@login_required
@require_POST
def inbox_seen_view(request: HttpRequest) -> HttpResponse:
    """"Mark all as seen" on the work queue: the listed reports (`ids`), for the caller's own
    inbox entries only; ids not in their inbox are ignored (reports.services.inbox_mark_seen)."""
    raw = request.POST.getlist("ids")
    if not raw or not all(x.isascii() and x.isdigit() and len(x) <= 18 for x in raw):
        return HttpResponseBadRequest(_("ids: give the numbers of the reports to mark as seen."),
                                      content_type="text/plain; charset=utf-8")
    try:
        report_services.inbox_mark_seen(user=request.user, report_ids=[int(x) for x in raw])
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(f"{f}: {' '.join(m)}" for f, m in exc.message_dict.items()),
                                      content_type="text/plain; charset=utf-8")
    # The queue shows no flash messages: the badges gone and the button with them say it.
    return redirect(reverse("queue"))
