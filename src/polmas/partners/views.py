"""Pages of the partners room: organisations (public profile), agreements (with the signed
document behind a permission check), programmes, partner activities, a business partner's
sealed reports and the public service directory. Thin: selectors read, services write; a
record outside the caller's reach is 404."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.core.scope import prefix_q
from polmas.partners import selectors, services
from polmas.partners.forms import AgreementForm, PartnerActivityForm, PartnerReportForm, codes
from polmas.partners.indicators import programme_indicators
from polmas.partners.models import Service
from polmas.partners.reporting import partner_report_file, partner_report_statuses
from polmas.regions.codes import is_valid as codes_valid
from polmas.regions.models import Region

PAGE = 50
MAX_VILLAGES = 3000


def _villages(prefixes) -> list[Region]:
    """The villages under `prefixes`, for the village field's suggestions."""
    if not prefixes:
        return []
    return list(Region.objects.filter(prefix_q("code", prefixes), level=Region.Level.VILLAGE)
                .only("code", "name")[:MAX_VILLAGES])


def _errors_into(form, exc: ValidationError) -> None:
    for name, msgs in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, msgs)


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE).get_page(request.GET.get("halaman"))


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    org = selectors.organisation_of(request.user)
    return render(request, "partners/list.html", {
        "page": _page(request, selectors.organisation_list(user=request.user).prefetch_related("places")),
        "mine": org,
        "programmes": selectors.programme_list(user=request.user)[:20],
        "agreements": selectors.agreement_list(user=request.user).prefetch_related("alerts")[:20],
    })


def organisation_profile(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The public profile: name, type, places, programmes; never contact people's details."""
    org = selectors.organisation_public(organisation_id=organisation_id)
    if org is None:
        raise Http404
    return render(request, "partners/profile.html", {
        "org": org, "places": org.places.all()[:100],
        "programmes": org.programmes.prefetch_related("places")[:20],
        "services": org.services.filter(active=True, public=True)[:50],
    })


@login_required
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, agreement_id=agreement_id)
    if agreement is None:
        raise Http404
    return render(request, "partners/agreement.html", {
        "agreement": agreement, "history": selectors.agreement_history(agreement)[1:],
        "places": agreement.places.all()[:100],
        "can_renew": scope_for(request.user).has(*selectors.MANAGERS),
    })


@login_required
def agreement_document(request: HttpRequest, agreement_id: int) -> FileResponse:
    """The signed PDF, only to those who may read the agreement."""
    agreement = selectors.agreement_get(user=request.user, agreement_id=agreement_id)
    if agreement is None or not agreement.document:
        raise Http404
    try:
        handle = agreement.document.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_new(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Record an agreement (or renew one: ?renews=<id>) with its signed PDF."""
    if not scope_for(request.user).has(*selectors.MANAGERS):
        raise PermissionDenied
    org = selectors.organisation_get(user=request.user, organisation_id=organisation_id)
    if org is None:
        raise Http404
    initial = {"organisation": org.pk, "renews": request.GET.get("renews", "")}
    form = AgreementForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=request.user, organisation_id=org.pk, kind=d["kind"], title=d["title"],
                number=d["number"], police_party=d["police_party"], other_parties=d["other_parties"],
                signed_on=d["signed_on"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                places=codes(d["places"]), police_commitments=d["police_commitments"],
                partner_commitments=d["partner_commitments"], document=d["document"],
                renews_id=d["renews"])
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The agreement was recorded."))
            return redirect("partners:agreement", agreement.pk)
    return render(request, "partners/agreement_new.html", {"form": form, "org": org},
                  status=400 if form.errors else 200)


@login_required
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    return render(request, "partners/programme.html", {
        "programme": programme, "places": programme.places.all()[:100],
        "comparison": programme.comparison.all()[:100],
        "indicators": programme_indicators(programme),
        "links": {"activity": 0, "meeting": 0, "case": 0, "referral": 0} | dict(
            programme.links.values("kind").annotate(n=Count("id")).values_list("kind", "n")),
        "activities": selectors.partner_activity_list(user=request.user).filter(programme=programme)[:50],
        # Planners and supervisors may register it as an intervention at /evaluasi/ (issue 18).
        "may_evaluate": scope_for(request.user).has(Role.PLANNER, Role.SUPERVISOR, Role.ADMIN),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_activities(request: HttpRequest) -> HttpResponse:
    """A partner's staff record their activities in their programmes' villages, and see them."""
    org = selectors.organisation_of(request.user)
    if org is None:
        raise Http404
    programmes = list(org.programmes.all())
    form = PartnerActivityForm(request.POST or None, initial={"client_uuid": uuid.uuid4()})
    form.fields["programme"].choices = [(p.pk, p.name) for p in programmes]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.partner_activity_record(
                actor=request.user, programme_id=d["programme"], village=d["village"], kind=d["kind"],
                occurred_on=d["occurred_on"], participants=d["participants"], summary=d["summary"],
                client_uuid=d["client_uuid"])
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("partners:activities")
    places = [c for p in programmes for c in p.places.values_list("code", flat=True)]
    return render(request, "partners/activities.html", {
        "form": form, "org": org, "villages": _villages(places),
        "page": _page(request, selectors.partner_activity_list(user=request.user))},
        status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_reports(request: HttpRequest) -> HttpResponse:
    """A business partner reports suspected trafficking or exploitation (sealed) and follows
    the status of what it reported."""
    org = selectors.organisation_of(request.user)
    if org is None or org.kind != org.Kind.BUSINESS:
        raise Http404
    form = PartnerReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner_report_file(actor=request.user, village=form.cleaned_data["village"],
                                description=form.cleaned_data["description"])
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Your report was sent, sealed, to the PPA unit."))
            return redirect("partners:reports")
    return render(request, "partners/reports.html", {
        "form": form, "org": org, "places": org.places.all()[:50],
        "villages": _villages(selectors.partner_prefixes(request.user)),
        "statuses": partner_report_statuses(user=request.user)},
        status=400 if form.errors else 200)


def service_directory(request: HttpRequest) -> HttpResponse:
    """The public part of the service directory, for a place when ?wilayah=<code> is given."""
    place = (request.GET.get("wilayah") or "").strip()[:13]
    place = place if codes_valid(place) else ""
    kinds = tuple(k for k in request.GET.getlist("jenis") if k in Service.Kind.values)
    qs = selectors.services_public(village=place, kinds=kinds)
    return render(request, "partners/services.html", {
        "page": _page(request, qs), "place": place, "kinds": Service.Kind.choices, "chosen": kinds})
