"""The back office asks for a reason before it shows a sealed record, as the pages ask a
supervisor (cases.views): the reason is kept for the session and audited with every read."""

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from polmas.access.audit import audit_record

SESSION_KEY = "admin_sealed_reasons"
BACK_OFFICE = _("back office (admin)")  # the audit entry's reason: this, then the admin's own


class AdminReasonForm(forms.Form):
    sealed_reason = forms.CharField(
        label=_("Why do you need to open this sealed record?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Your reason is recorded in the audit log with your name."))

    def clean_sealed_reason(self) -> str:
        reason = self.cleaned_data["sealed_reason"].strip()
        if not reason:
            raise forms.ValidationError(_("This is required."))
        return reason


def _key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def sealed_read(request: HttpRequest, obj, *, action: str, region_code: str) -> HttpResponse | None:
    """For an admin page of the sealed record `obj`: None once the reason is given in this
    session, the read then audited as `action` with it; otherwise the answer to send instead:
    the form asking why (400 when a sent one is invalid), or after a valid one a redirect back
    to the page."""
    reasons = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and "sealed_reason" in request.POST:
        form = AdminReasonForm(request.POST)
        if not form.is_valid():
            return _ask(request, obj, form, status=400)
        reasons[_key(obj)] = form.cleaned_data["sealed_reason"]
        request.session[SESSION_KEY] = reasons
        return HttpResponseRedirect(request.get_full_path())
    given = reasons.get(_key(obj), "")
    if not given:
        return _ask(request, obj, AdminReasonForm(), status=200)
    audit_record(actor=request.user, action=action, obj=obj, region_code=region_code,
                 reason=f"{BACK_OFFICE}: {given}")
    return None


def _ask(request: HttpRequest, obj, form: AdminReasonForm, *, status: int) -> HttpResponse:
    return render(request, "access/admin_sealed_reason.html", {
        "form": form, "opts": obj._meta, "title": _("Sealed record"), "has_view_permission": True,
        "original": obj}, status=status)
