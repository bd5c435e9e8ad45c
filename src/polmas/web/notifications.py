"""/akun/notifikasi/: what a user wants to be told (new reports, escalations, follow-ups
due) and how (web push on their devices, SMS, WhatsApp), and the devices that receive push.
The service worker that shows a push is the field app's, at /sw.js, so that it covers the
whole site."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from polmas.access import notify
from polmas.access.models import PushSubscription


class SettingForm(forms.Form):
    events = forms.MultipleChoiceField(label=gettext_lazy("Tell me when"), required=False,
                                       choices=list(notify.EVENTS.items()),
                                       widget=forms.CheckboxSelectMultiple)
    channels = forms.MultipleChoiceField(label=gettext_lazy("How"), required=False,
                                         choices=list(notify.CHANNELS.items()),
                                         widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=gettext_lazy("Phone for SMS and WhatsApp"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


def _page(request: HttpRequest, form: SettingForm, status: int = 200) -> HttpResponse:
    return render(request, "web/notifications.html", {
        "form": form, "devices": PushSubscription.objects.filter(user=request.user).order_by("-created_at"),
        "push_enabled": notify.push_enabled(), "vapid_public_key": settings.POLMAS_VAPID_PUBLIC_KEY,
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        events, channels, phone = notify.setting_for(request.user)
        return _page(request, SettingForm(initial={"events": events, "channels": channels, "phone": phone}))
    form = SettingForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            notify.setting_save(actor=request.user, events=c["events"], channels=c["channels"],
                                phone=c["phone"])
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications")
    return _page(request, form, status=400)


@login_required
@require_POST
def device_add(request: HttpRequest) -> JsonResponse:
    """The browser's PushSubscription as JSON ({endpoint, keys: {p256dh, auth}})."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        return JsonResponse(
            {"errors": {"subscription": [_("Send the browser's push subscription as JSON.")]}}, status=400)
    keys = data["keys"]
    try:
        sub = notify.subscription_add(actor=request.user, endpoint=str(data.get("endpoint") or ""),
                                      p256dh=str(keys.get("p256dh") or ""), auth=str(keys.get("auth") or ""),
                                      device=request.headers.get("User-Agent", "")[:200])
    except ValidationError as exc:
        return JsonResponse({"errors": exc.message_dict}, status=400)
    return JsonResponse({"id": sub.pk}, status=201)


@login_required
@require_POST
def device_remove(request: HttpRequest, device_id: int) -> HttpResponse:
    if not notify.subscription_remove(actor=request.user, subscription_id=device_id):
        raise Http404
    messages.success(request, _("This device no longer receives notifications."))
    return redirect("notifications")

