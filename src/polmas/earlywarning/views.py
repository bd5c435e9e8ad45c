"""The alarm pages: the list in scope (/peringatan/), one alarm with what can be done with it,
and the three writes. Thin: scope in selectors, rules in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polmas.earlywarning import selectors, services
from polmas.earlywarning.groups import DISTRICT_ONLY
from polmas.earlywarning.models import Alarm
from polmas.earlywarning.text import alarm_sentence
from polmas.regions.models import Region

LIMIT = 200


def _row(alarm: Alarm) -> dict:
    return {"alarm": alarm, "sentence": alarm_sentence(alarm)}


@login_required
def alarm_list(request: HttpRequest) -> HttpResponse:
    """Alarms in scope, newest first; ?status= narrows them (a wrong value answers 400)."""
    if not selectors.reads_alarms(request.user):
        raise Http404
    qs = selectors.alarm_list(user=request.user)
    status = request.GET.get("status", "")
    error = ""
    if status and status not in Alarm.Status.values:
        error = _("Choose one of the statuses listed.")
    elif status:
        qs = qs.filter(status=status)
    return render(request, "earlywarning/list.html", {
        "rows": [_row(a) for a in qs[:LIMIT]], "status": status, "error": error,
        "statuses": Alarm.Status.choices}, status=400 if error else 200)


def _get(request: HttpRequest, alarm_id: int) -> Alarm:
    alarm = selectors.alarm_get(user=request.user, alarm_id=alarm_id)
    if alarm is None:
        raise Http404
    return alarm


def _villages(alarm: Alarm) -> list[Region]:
    if alarm.group in DISTRICT_ONLY or alarm.region.level != 4:
        return list(Region.objects.under(alarm.region_id).filter(level=4).order_by("name"))
    return list(Region.objects.filter(code__in=alarm.villages).order_by("name"))


def _detail(request: HttpRequest, alarm: Alarm, *, errors: dict | None = None, status: int = 200,
            form: dict | None = None) -> HttpResponse:
    return render(request, "earlywarning/detail.html", {
        "alarm": alarm, "sentence": alarm_sentence(alarm), "villages": _villages(alarm),
        "errors": errors or {}, "form": form or {}, "acts": services.may_act(request.user)}, status=status)


@login_required
def alarm_detail(request: HttpRequest, alarm_id: int) -> HttpResponse:
    return _detail(request, _get(request, alarm_id))


@login_required
@require_POST
def alarm_act(request: HttpRequest, alarm_id: int, action: str) -> HttpResponse:
    """acknowledge / dismiss (reason) / case (village): 404 outside scope, 400 with the field
    named on bad input, 409 when someone already acted."""
    alarm = _get(request, alarm_id)
    try:
        if action == "acknowledge":
            services.alarm_acknowledge(actor=request.user, alarm_id=alarm.pk)
            messages.success(request, _("Alarm acknowledged."))
        elif action == "dismiss":
            reason = request.POST.get("reason", "")
            services.alarm_dismiss(actor=request.user, alarm_id=alarm.pk, reason=reason)
            messages.success(request, _("Alarm dismissed."))
        elif action == "case":
            case = services.alarm_to_case(actor=request.user, alarm_id=alarm.pk,
                                          village=request.POST.get("village", ""))
            messages.success(request, _("Case opened from the alarm: scanning starts."))
            return redirect("cases:detail", case.pk)
        else:
            raise Http404
    except ValidationError as exc:
        errors = {f: " ".join(m) for f, m in exc.message_dict.items()}
        return _detail(request, _get(request, alarm_id), errors=errors, status=400, form=request.POST)
    except services.AlarmConflict as exc:
        return _detail(request, _get(request, alarm_id), errors={"status": str(exc)}, status=409)
    return redirect("earlywarning:detail", alarm.pk)
