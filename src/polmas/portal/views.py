"""The public pages: the report form, the one-time confirmation, the status page.

Nothing here needs JavaScript. The tracking code never appears in a URL: it is shown once
after a POST-redirect-GET (held in the session until then) and looked up by POST.
"""

import uuid

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from polmas.forums.selectors import public_forum_of_village
from polmas.portal.forms import (
    REPLY_CHOICES,
    FeedbackForm,
    ReportForm,
    StatusForm,
    category_get,
    sensitive_codes,
)
from polmas.portal.loop import loop_facts
from polmas.portal.notices import disaster_notices, disaster_of_village
from polmas.portal.submission import Outcome, PhotoSizeLimit, report_from_form
from polmas.portal.zones import shown
from polmas.regions.models import Region
from polmas.reports.intake import Submitted
from polmas.reports.models import Report
from polmas.reports.selectors import public_status
from polmas.reports.tracking import normalize

SENT = "portal_sent"
# In the error summary, the place and the time are named as the form's questions are.
SUMMARY_LABELS = {"place": gettext_lazy("Where"), "village_choice": gettext_lazy("Where"),
                  "date": gettext_lazy("When"), "time": gettext_lazy("When")}


def error_list(form: Form) -> list[dict]:
    """Every error with the label of its field, for the summary at the top of the form."""
    out = [{"label": "", "anchor": "", "text": e} for e in form.non_field_errors()]
    for name in form.fields:  # in the order of the form, not of the checks
        errors = form.errors.get(name)
        if not errors:
            continue
        bound = form[name]
        label = SUMMARY_LABELS.get(name, bound.label)
        out += [{"label": label, "anchor": bound.id_for_label, "text": e} for e in errors]
    return out


def _with_parents(code: str) -> Region | None:
    return Region.objects.select_related("parent__parent__parent").filter(code=code).first()


def _form_page(request: HttpRequest, form: ReportForm, outcome: Outcome) -> HttpResponse:
    village = outcome.place.village
    return render(request, "portal/form.html", {
        "form": form, "outcome": outcome, "errors": error_list(form),
        "sensitive_codes": sorted(sensitive_codes()),
        "disasters": disaster_notices(),
        "village_disaster": disaster_of_village(code=village.code) if village is not None else None,
    }, status=outcome.status)


@csrf_exempt  # checked below, once the photo size limit is in place
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers.insert(0, PhotoSizeLimit(request))
    return _report_form(request)


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def _report_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, ReportForm(initial={"client_uuid": uuid.uuid4()}), Outcome())
    form = ReportForm(request.POST, request.FILES)
    outcome = report_from_form(form=form, request=request)
    if outcome.submitted is None:
        return _form_page(request, form, outcome)
    _remember(request, outcome.submitted)
    return redirect("portal:sent")


def _remember(request: HttpRequest, submitted: Submitted) -> None:
    """Hold what the confirmation shows, once. A resent form (same client UUID) from the same
    address with the same content gets a fresh code, which replaces the first (ADR 16); from
    elsewhere, the first sending's code if still unshown, or a plain "already received"."""
    if submitted.tracking_code is None:
        request.session.setdefault(SENT, {"resent": True})
        return
    report = submitted.report
    request.session[SENT] = {
        "code": submitted.tracking_code, "number": report.pk, "category": report.category.code,
        "sensitive": report.sensitive, "village": report.village_id, "anonymous": report.anonymous,
        "reply_channel": report.reply_channel,
    }


@never_cache
@require_http_methods(["GET", "HEAD"])
def report_sent(request: HttpRequest) -> HttpResponse:
    sent = request.session.pop(SENT, None) if request.method == "GET" else None
    context: dict = {"sent": sent}
    if sent and sent.get("code"):
        # A sensitive matter is not named, not even here: the screen may be shared.
        category = None if sent["sensitive"] else category_get(sent["category"])
        context.update(category=category, village=_with_parents(sent["village"]),
                       village_disaster=disaster_of_village(code=sent["village"]),
                       sensitive=sent["sensitive"],
                       reply_label=dict(REPLY_CHOICES).get(sent["reply_channel"], ""))
    return render(request, "portal/sent.html", context)


def _timeline_label(kind: str, status: str, note: str = "") -> str:
    if kind == "dismissed":
        return (_("Closed without action: %(reason)s") % {"reason": note} if note
                else _("Closed without action"))
    if kind == "duplicate":
        return (_("The same matter as an earlier report: %(reason)s") % {"reason": note} if note
                else _("The same matter as an earlier report"))
    if kind == "received":
        return _("Report received")
    if kind == "merged":
        return _("Taken together with an earlier report of the same matter")
    if kind == "reopened":
        return _("Reopened by the reporter: not fixed")
    label = Report.Status(status).label if status in Report.Status.values else status
    return _("Status: %(status)s") % {"status": label}


def public_facts(found: dict) -> dict:
    """Only what the status page may show: no text, no identity, no coordinates."""
    village = _with_parents(found["village"].code)
    category = found["category"]
    return {
        "number": found["number"], "sensitive": found["sensitive"],
        "category": category.name if category is not None else None,
        "village": village, "status": found["status"], "status_label": found["status_label"],
        "summary": found["summary"], "merged": found["merged"],
        # The village forum's public page, where the outcome is published (never for a
        # sensitive matter, which is published nowhere).
        "forum": None if found["sensitive"] else public_forum_of_village(village_code=found["village"].code),
        "received": shown(found["received_at"], village),
        "events": [{"when": shown(e["at"], village), "label": _timeline_label(
        e["kind"], e["status"], e.get("note", ""))}
                   for e in found["events"]],
        **loop_facts(found["report"], village),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/status.html", {"form": StatusForm(), "errors": []})
    form = StatusForm(request.POST)
    result, status, context = None, 400, {}
    if form.is_valid():
        code = form.cleaned_data["code"]
        found = public_status(code=code) if normalize(code) else None
        if normalize(code) is None:
            form.add_error("code", _("A tracking code has 12 letters and digits, like ABCD-EFGH-JKMN."))
        elif found is None:
            form.add_error("code", _("No report has this tracking code. Check it letter by letter."))
            status = 404
        else:
            result, status, form = public_facts(found), 200, StatusForm()
            context["feedback_form"] = FeedbackForm(initial={"code": code})
    context.update(form=form, errors=error_list(form), result=result)
    return render(request, "portal/status.html", context, status=status)
