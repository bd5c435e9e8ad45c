"""The reporter closes the loop: their answer on the status page (by tracking code) or on
their own report's page (logged in), and the list of the reports they sent."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from polmas.portal.forms import FeedbackForm, StatusForm
from polmas.portal.views import error_list, public_facts
from polmas.portal.zones import shown
from polmas.reports.feedback import report_feedback_give
from polmas.reports.selectors import public_status, reports_mine, status_mine

MINE_PER_PAGE = 20


def _give(form: FeedbackForm, **who: object) -> bool:
    """Pass a valid answer to the service; its refusals become the form's errors."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        report_feedback_give(fixed=data["fixed"], rating=data["rating"], reopen=data["reopen"], **who)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return False
    return True


def _thanks(reopened: bool) -> str:
    if reopened:
        return _("Thank you. The report is open again and its officer has been told.")
    return _("Thank you for your answer.")


@never_cache
@require_POST
def feedback_by_code(request: HttpRequest) -> HttpResponse:
    """The answer of a reporter who holds the tracking code (sent back in a hidden field)."""
    form = FeedbackForm(request.POST)
    code = (request.POST.get("code") or "")[:40]
    found = public_status(code=code) if code else None
    if found is None:
        status_form = StatusForm({"code": code})
        status_form.is_valid()
        status_form.add_error("code", _("No report has this tracking code. Check it letter by letter."))
        return render(request, "portal/status.html", {"form": status_form, "errors": error_list(status_form)},
                      status=404)
    done = _give(form, code=code)
    context = {"form": StatusForm(), "errors": [], "feedback_errors": error_list(form),
               "result": public_facts(public_status(code=code) or found),
               "feedback_form": FeedbackForm(initial={"code": code}) if done else form}
    if done:
        context["thanks"] = _thanks(form.cleaned_data["reopen"])
    return render(request, "portal/status.html", context, status=200 if done else 400)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def mine(request: HttpRequest) -> HttpResponse:
    """The reports I sent while logged in, newest first, with their status."""
    page = Paginator(reports_mine(user=request.user), MINE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"report": r, "received": shown(r.created_at, r.village)} for r in page]
    return render(request, "portal/mine.html", {"page": page, "rows": rows})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mine_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """One of my reports, as the status page shows it, with the answer form once it is closed."""
    found = status_mine(user=request.user, report_id=report_id)
    if found is None:
        raise Http404
    form, status, context = FeedbackForm(), 200, {}
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if _give(form, user=request.user, report_id=report_id):
            context["thanks"] = _thanks(form.cleaned_data["reopen"])
            found, form = status_mine(user=request.user, report_id=report_id) or found, FeedbackForm()
        else:
            status = 400
    context.update(result=public_facts(found), feedback_form=form, feedback_errors=error_list(form),
                   mine=True)
    return render(request, "portal/mine_detail.html", context, status=status)
