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
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.core.scope import covers, prefix_q
from polmas.partners import links, selectors, services
from polmas.partners.forms import (
    AgreementForm,
    ContactForm,
    LinkForm,
    OrganisationForm,
    PartnerActivityForm,
    PartnerReportForm,
    ProgrammeForm,
    ServiceForm,
    codes,
)
from polmas.partners.indicators import programme_indicators
from polmas.partners.models import PartnerActivity, ProgrammeLink, Service
from polmas.partners.reporting import partner_report_file, partner_report_statuses
from polmas.regions.codes import is_valid as codes_valid
from polmas.regions.models import Region

PAGE = 50
MAX_VILLAGES = 3000
PICK = 20  # records the link picker lists (the newest: a phone scrolls no further)


def _villages(prefixes) -> list[Region]:
    """The villages under `prefixes`, for the village field's suggestions."""
    if not prefixes:
        return []
    return list(Region.objects.filter(prefix_q("code", prefixes), level=Region.Level.VILLAGE)
                .only("code", "name")[:MAX_VILLAGES])


def _errors_into(form, exc: ValidationError, renames: dict[str, str] | None = None) -> None:
    for name, msgs in exc.message_dict.items():
        name = (renames or {}).get(name, name)
        form.add_error(name if name in form.fields else None, msgs)


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE).get_page(request.GET.get("halaman"))


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    org = selectors.organisation_of(request.user)
    return render(request, "partners/list.html", {
        "page": _page(request, selectors.organisation_list(user=request.user).prefetch_related("places")),
        "mine": org,
        "can_manage": scope_for(request.user).has(*selectors.MANAGERS),
        "can_list_service": scope_for(request.user).has(*selectors.SERVICE_MANAGERS),
        "programmes": selectors.programme_list(user=request.user)[:20],
        "agreements": selectors.agreement_list(user=request.user).prefetch_related("alerts")[:20],
    })


def organisation_profile(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The public profile: name, type, places, programmes; never contact people's details.
    Those who read the organisation (police in scope, its own staff) also see its agreements,
    every service it runs and how many records each programme counts: one grouped query per
    kind of figure."""
    org = selectors.organisation_public(organisation_id=organisation_id)
    if org is None:
        raise Http404
    reader = (request.user.is_authenticated
              and selectors.organisation_get(user=request.user, organisation_id=org.pk) is not None)
    programmes = list(org.programmes.all()[:50])
    context = {"org": org, "places": org.places.all()[:100], "programmes": programmes, "reader": reader,
               "can_edit": reader and scope_for(request.user).has(*selectors.MANAGERS)}
    if reader:
        ids = [p.pk for p in programmes]
        counts: dict[int, dict[str, int]] = {pk: {k: 0 for k in ProgrammeLink.Kind.values} for pk in ids}
        for pk, kind, n in (ProgrammeLink.objects.filter(programme_id__in=ids).values("programme_id", "kind")
                            .annotate(n=Count("id")).values_list("programme_id", "kind", "n")):
            counts[pk][kind] = n
        own = dict(PartnerActivity.objects.filter(programme_id__in=ids).values("programme_id")
                   .annotate(n=Count("id")).values_list("programme_id", "n"))
        for p in programmes:
            p.counts = counts[p.pk] | {"partner": own.get(p.pk, 0)}
        context["agreements"] = selectors.agreement_list(user=request.user).filter(organisation=org)[:50]
        context["services"] = org.services.filter(active=True).select_related("region")[:50]
        context["totals"] = {k: sum(p.counts[k] for p in programmes) for k in
                             (*ProgrammeLink.Kind.values, "partner")}
    else:
        context["services"] = org.services.filter(active=True, public=True)[:50]
    return render(request, "partners/profile.html", context)


def _mine(places, prefixes) -> str:
    """The codes of `places` inside the caller's scope: what their edit form shows."""
    return ", ".join(c for c in places.values_list("code", flat=True) if any(covers(p, c) for p in prefixes))


def _manager_or_403(request: HttpRequest, roles=selectors.MANAGERS) -> None:
    if not scope_for(request.user).has(*roles):
        raise PermissionDenied


def _render_form(request, template: str, context: dict, form) -> HttpResponse:
    return render(request, template, context | {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Register a partner organisation (supervisors and admins, places in their scope)."""
    _manager_or_403(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        contact = {k: d[f"contact_{k}"] for k in ("name", "position", "phone", "email")}
        try:
            org = services.organisation_create(
                actor=request.user, name=d["name"], kind=d["kind"], places=codes(d["places"]),
                description=d["description"], website=d["website"],
                contacts=[contact] if any(contact.values()) else [])
        except ValidationError as exc:
            _errors_into(form, exc, {f"contacts.0.{k}": f"contact_{k}" for k in contact})
        else:
            messages.success(request, _("The partner organisation was registered."))
            return redirect("partners:profile", org.pk)
    return _render_form(request, "partners/edit.html", {"title": _("Register a partner organisation")}, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    _manager_or_403(request)
    org = selectors.organisation_get(user=request.user, organisation_id=organisation_id)
    if org is None:
        raise Http404
    prefixes = scope_for(request.user).prefixes
    initial = {"name": org.name, "kind": org.kind, "places": _mine(org.places, prefixes),
               "description": org.description, "website": org.website, "active": org.active}
    form = OrganisationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            org = services.organisation_update(
                actor=request.user, organisation_id=org.pk, name=d["name"], kind=d["kind"],
                places=codes(d["places"]), description=d["description"], website=d["website"],
                active=d["active"])
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            # An inactive organisation has no public profile: back to the list.
            return redirect("partners:profile", org.pk) if org.active else redirect("partners:list")
    return _render_form(request, "partners/edit.html", {"title": _("Change a partner organisation"),
                                                        "org": org}, form)


def _contact_values(contact) -> dict:
    return {k: getattr(contact, k) for k in services.CONTACT_FIELDS}


def _contacts_page(request: HttpRequest, organisation_id: int, *, add_form=None, failed=None,
                   status: int = 200) -> HttpResponse:
    """The organisation's contact people (decrypted for its managers only), each with its own
    form to change or remove it, and a form to add one. `failed`: (contact id, its bound form)."""
    try:
        contacts = services.contacts_of(actor=request.user, organisation_id=organisation_id)
    except services.NotFound:
        raise Http404 from None
    org = selectors.organisation_get(user=request.user, organisation_id=organisation_id)
    rows = []
    for c in contacts:
        if failed is not None and failed[0] == c.pk:
            rows.append((c, failed[1]))
        else:
            rows.append((c, ContactForm(initial=_contact_values(c), prefix=f"c{c.pk}")))
    return render(request, "partners/contacts.html", {
        "org": org, "rows": rows, "add_form": add_form or ContactForm(prefix="new"),
        "max_contacts": services.MAX_CONTACTS}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_contacts(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """List an organisation's contact people; POST adds one (supervisors and admins, the
    organisation in their scope)."""
    _manager_or_403(request)
    if request.method != "POST":
        return _contacts_page(request, organisation_id)
    form = ContactForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.contact_add(actor=request.user, organisation_id=organisation_id, **form.cleaned_data)
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect("partners:contacts", organisation_id)
    return _contacts_page(request, organisation_id, add_form=form, status=400)


@never_cache
@login_required
@require_http_methods(["POST"])
def contact_edit(request: HttpRequest, organisation_id: int, contact_id: int) -> HttpResponse:
    _manager_or_403(request)
    try:
        known = {c.pk for c in services.contacts_of(actor=request.user, organisation_id=organisation_id)}
    except services.NotFound:
        raise Http404 from None
    if contact_id not in known:
        raise Http404
    form = ContactForm(request.POST, prefix=f"c{contact_id}")
    if form.is_valid():
        try:
            services.contact_update(actor=request.user, organisation_id=organisation_id,
                                    contact_id=contact_id, **form.cleaned_data)
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:contacts", organisation_id)
    return _contacts_page(request, organisation_id, failed=(contact_id, form), status=400)


@login_required
@require_http_methods(["POST"])
def contact_remove(request: HttpRequest, organisation_id: int, contact_id: int) -> HttpResponse:
    _manager_or_403(request)
    try:
        services.contact_remove(actor=request.user, organisation_id=organisation_id, contact_id=contact_id)
    except services.NotFound:
        raise Http404 from None
    messages.success(request, _("The contact person was removed."))
    return redirect("partners:contacts", organisation_id)


def _agreement_choices(request: HttpRequest, org_id: int) -> list:
    return [("", "–"), *((a.pk, a.title) for a in
                         selectors.agreement_list(user=request.user).filter(organisation_id=org_id)[:100])]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def programme_new(request: HttpRequest, organisation_id: int) -> HttpResponse:
    _manager_or_403(request)
    org = selectors.organisation_get(user=request.user, organisation_id=organisation_id)
    if org is None:
        raise Http404
    form = ProgrammeForm(request.POST or None)
    form.fields["agreement"].choices = _agreement_choices(request, org.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            programme = services.programme_create(
                actor=request.user, organisation_id=org.pk, name=d["name"], objectives=d["objectives"],
                places=codes(d["places"]), comparison=codes(d["comparison"]), starts_on=d["starts_on"],
                ends_on=d["ends_on"], agreement_id=d["agreement"])
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The programme was recorded."))
            return redirect("partners:programme", programme.pk)
    return _render_form(request, "partners/edit.html", {"title": _("Start a joint programme"), "org": org},
                        form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    _manager_or_403(request)
    programme = selectors.programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    prefixes = scope_for(request.user).prefixes
    initial = {"name": programme.name, "objectives": programme.objectives,
               "places": _mine(programme.places, prefixes),
               "comparison": _mine(programme.comparison, prefixes), "starts_on": programme.starts_on,
               "ends_on": programme.ends_on, "agreement": programme.agreement_id or ""}
    form = ProgrammeForm(request.POST or None, initial=initial)
    form.fields["agreement"].choices = _agreement_choices(request, programme.organisation_id)
    form.fields["places"].help_text = _("Places outside your area stay as they are.")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.programme_update(
                actor=request.user, programme_id=programme.pk, name=d["name"], objectives=d["objectives"],
                places=codes(d["places"]), comparison=codes(d["comparison"]), starts_on=d["starts_on"],
                ends_on=d["ends_on"], agreement_id=d["agreement"], clear_agreement=d["agreement"] is None)
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:programme", programme.pk)
    return _render_form(request, "partners/edit.html", {"title": _("Change a joint programme"),
                                                        "org": programme.organisation}, form)


@login_required
@require_http_methods(["POST"])
def programme_link(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Count an activity, meeting, case or referral in the programme (from its page)."""
    _manager_or_403(request, services.LINKERS)
    programme = selectors.programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.programme_link(actor=request.user, programme_id=programme.pk,
                                    kind=form.cleaned_data["kind"], object_id=form.cleaned_data["object_id"])
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The record is now counted in the programme."))
            return redirect("partners:programme", programme.pk)
    return programme_detail(request, programme.pk, link_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def programme_unlink(request: HttpRequest, programme_id: int, link_id: int) -> HttpResponse:
    _manager_or_403(request, services.LINKERS)
    try:
        services.programme_unlink(actor=request.user, programme_id=programme_id, link_id=link_id)
    except services.NotFound:
        raise Http404 from None
    messages.success(request, _("The record is no longer counted in the programme."))
    return redirect("partners:programme", programme_id)


def _organisation_choices(request: HttpRequest) -> list:
    return [("", "–"), *((o.pk, o.name) for o in selectors.organisation_list(user=request.user)[:200])]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    _manager_or_403(request, selectors.SERVICE_MANAGERS)
    form = ServiceForm(request.POST or None)
    del form.fields["active"]
    form.fields["organisation"].choices = _organisation_choices(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.service_create(
                actor=request.user, name=d["name"], kind=d["kind"], region=d["region"], address=d["address"],
                hours=d["hours"], phone=d["phone"], whatsapp=d["whatsapp"], public=d["public"],
                organisation_id=d["organisation"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The service was listed."))
            return redirect("partners:services")
    return _render_form(request, "partners/edit.html", {"title": _("List a service")}, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    _manager_or_403(request, selectors.SERVICE_MANAGERS)
    service = services.service_for_edit(actor=request.user, service_id=service_id)
    if service is None:
        raise Http404
    initial = {k: getattr(service, k) for k in ("name", "kind", "address", "hours", "phone", "whatsapp",
                                                 "public", "active")}
    initial |= {"region": service.region_id, "organisation": service.organisation_id or ""}
    form = ServiceForm(request.POST or None, initial=initial)
    form.fields["organisation"].choices = _organisation_choices(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.service_update(
                actor=request.user, service_id=service.pk, name=d["name"], kind=d["kind"], region=d["region"],
                address=d["address"], hours=d["hours"], phone=d["phone"], whatsapp=d["whatsapp"],
                public=d["public"], active=d["active"], organisation_id=d["organisation"],
                clear_organisation=d["organisation"] is None)
        except services.NotFound:
            raise Http404 from None
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:services")
    return _render_form(request, "partners/edit.html", {"title": _("Change a service")}, form)


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
def programme_detail(request: HttpRequest, programme_id: int, *, link_form=None,
                     status: int = 200) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    can_link = scope_for(request.user).has(*services.LINKERS)
    # The picker (no JavaScript): ?pilih=<kind> lists the caller's records of that kind in the
    # programme's places and period that it does not count yet, to choose one and link it.
    pick = request.GET.get("pilih", "")
    candidates = None
    if can_link and pick in ProgrammeLink.Kind.values:
        counted = set(programme.links.filter(kind=pick).values_list("object_id", flat=True))
        places = tuple(programme.places.values_list("code", flat=True))
        candidates = [c for c in links.candidates(pick, user=request.user, places=places,
                                                  first=programme.starts_on, last=programme.ends_on,
                                                  limit=PICK + len(counted))
                      if c.id not in counted][:PICK]
    return render(request, "partners/programme.html", {
        "pick": pick if candidates is not None else "", "candidates": candidates,
        "pick_kinds": ProgrammeLink.Kind.choices, "pick_label": ProgrammeLink.Kind(pick).label if candidates
        is not None else "",
        "programme": programme, "places": programme.places.all()[:100],
        "comparison": programme.comparison.all()[:100],
        "indicators": programme_indicators(programme),
        "links": {"activity": 0, "meeting": 0, "case": 0, "referral": 0} | dict(
            programme.links.values("kind").annotate(n=Count("id")).values_list("kind", "n")),
        "linked": programme.links.order_by("kind", "object_id")[:200] if can_link else [],
        "can_link": can_link, "link_form": link_form or LinkForm(),
        "activities": selectors.partner_activity_list(user=request.user).filter(programme=programme)[:50],
        # Planners and supervisors may register it as an intervention at /evaluasi/ (issue 18).
        "may_evaluate": scope_for(request.user).has(Role.PLANNER, Role.SUPERVISOR, Role.ADMIN),
    }, status=status)


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
    page = _page(request, qs)
    scope = scope_for(request.user)
    manager = scope.has(*selectors.SERVICE_MANAGERS)
    editable = {s.pk for s in page if manager and any(covers(p, s.region_id) for p in scope.prefixes)}
    return render(request, "partners/services.html", {
        "page": page, "place": place, "kinds": Service.Kind.choices, "chosen": kinds,
        "manager": manager, "editable": editable})
