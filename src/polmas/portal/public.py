"""The public map and list of reports (never sensitive, held, hidden or spam ones; placed at
their village, never at a house), "me too" on an open one, and the village nearest to a
point for the report form's "use my location"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polmas.core.http import client_address
from polmas.core.scrub import scrub
from polmas.portal.forms import PublicListForm
from polmas.portal.zones import shown
from polmas.regions.selectors import in_indonesia, nearest_village
from polmas.reports.feedback import OPEN, me_too_given, me_too_key, report_me_too
from polmas.reports.published import PublicFilter, me_too_counts, reports_public_list, reports_public_places

PER_PAGE = 20


def _who(request: HttpRequest) -> str:
    return me_too_key(user=request.user, client_address=client_address(request))


@require_http_methods(["GET", "HEAD"])
def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicListForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/public.html", {"form": form, "bad": True}, status=400)
    data = form.cleaned_data
    qs = reports_public_list(filters=PublicFilter(category=data["category"], status=data["status"],
                                                  search=data["q"].strip()))
    page = Paginator(qs, PER_PAGE).get_page(data["page"] or 1)
    reports = list(page)
    ids = [r.pk for r in reports]
    given, counts = me_too_given(who=_who(request), report_ids=ids), me_too_counts(ids)
    rows = [{"report": r, "received": shown(r.created_at, r.village), "summary": scrub(r.public_summary),
             "open": r.status in OPEN, "given": r.pk in given, "me_too": counts.get(r.pk, 0)}
            for r in reports]
    return render(request, "portal/public.html", {
        "form": form, "page": page, "rows": rows, "count": page.paginator.count,
        "places": reports_public_places(qs), "query": urlencode(
            {k: data[k] for k in ("q", "category", "status") if data.get(k)}),
    })


@require_POST
def me_too(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        count, added = report_me_too(report_id=report_id, who=_who(request))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        if added:
            messages.success(request, _("Counted: %(n)s people are affected by this.") % {"n": count})
        else:
            messages.info(request, _("You had already said so; you are counted once."))
    back = request.POST.get("next", "")
    url = reverse("portal:public")
    if back.startswith("?") and len(back) < 400 and "\n" not in back and "\r" not in back:
        url += back
    return redirect(f"{url}#r-{report_id}")


def _coordinate(request: HttpRequest, name: str, low: float, high: float) -> tuple[float | None, str]:
    text = request.GET.get(name, "")
    if not text:
        return None, _("This parameter is required.")
    try:
        value = float(text)
    except ValueError:
        return None, _("Not a number.")
    if not low <= value <= high:
        return None, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
    return value, ""


@require_http_methods(["GET", "HEAD"])
def locate(request: HttpRequest) -> JsonResponse:
    """The village nearest to (lat, lon): what "use my location" will file the report under.
    Reads only; the form sends the coordinates and intake decides again."""
    lat, lat_error = _coordinate(request, "lat", -90, 90)
    lon, lon_error = _coordinate(request, "lon", -180, 180)
    errors = {k: v for k, v in (("lat", lat_error), ("lon", lon_error)) if v}
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    assert lat is not None and lon is not None
    village = nearest_village(lat=lat, lon=lon) if in_indonesia(lat, lon) else None
    if village is None:
        return JsonResponse({"errors": {"lat": _("No village of Indonesia is near this point.")}},
                            status=404)
    names = [village.name]
    node = village.parent
    while node is not None:
        names.append(node.name)
        node = node.parent
    label = _("%(village)s, %(district)s district") % {"village": names[0], "district": names[1]} \
        if len(names) > 1 else names[0]
    if len(names) > 2:
        label = ", ".join([label, *names[2:]])
    return JsonResponse({"code": village.code, "name": village.name, "label": label})
