"""Scoped reads of partners, agreements, programmes, partner activities and services.
Outside the caller's scope a record does not exist (None, then 404).

Police roles read what touches their scope (a place under it, or a place above it: a
province-wide agreement concerns every village). A partner's staff read their own
organisation's agreements and programmes, and services in its places; never cases."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from polmas.access.models import Role, RoleGrant
from polmas.access.scope import scope_for
from polmas.core.scope import NATIONAL, covers
from polmas.partners.models import Agreement, Organisation, PartnerActivity, PartnerReport, Programme, Service

Caller = User | AnonymousUser
POLICE_READERS = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.PPA_OFFICER, Role.PLANNER, Role.ADMIN)
# Who writes organisations, agreements, programmes and services in their scope.
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
SERVICE_MANAGERS = (Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)


def ancestors(code: str) -> list[str]:
    """"51.08.09" -> ["51", "51.08"]: the regions above a code."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def overlap_q(path: str, prefixes: tuple[str, ...]) -> Q:
    """Rows whose region at `path` lies under a prefix, or above one (it covers it)."""
    if NATIONAL in prefixes:
        return Q()
    above = {a for p in prefixes for a in ancestors(p)} | set(prefixes)
    q = Q(**{f"{path}__in": sorted(above)})
    for p in prefixes:
        q |= Q(**{f"{path}__gte": p, f"{path}__lt": p + "/"})
    return q


def organisation_of(user: Caller) -> Organisation | None:
    """The organisation whose staff the user is (their partner role names it), or None."""
    if not user.is_authenticated:
        return None
    names = RoleGrant.objects.filter(user=user, role=Role.PARTNER).exclude(organisation="")
    return Organisation.objects.filter(name__in=names.values("organisation"), active=True).first()


def partner_prefixes(user: Caller) -> tuple[str, ...]:
    """The places of the user's organisation: a partner's scope."""
    org = organisation_of(user)
    if org is None:
        return ()
    return tuple(org.places.values_list("code", flat=True))


def _distinct(model, q: Q) -> QuerySet:
    # Through the places join a row would repeat once per matching place.
    return model.objects.filter(pk__in=model.objects.filter(q).values("pk"))


def organisation_list(*, user: Caller) -> QuerySet[Organisation]:
    """Organisations working in the caller's scope; a partner's staff see their own only.
    Requires: a police role, or being a partner's staff."""
    scope = scope_for(user)
    if scope.has(*POLICE_READERS):
        return _distinct(Organisation, overlap_q("places__code", scope.prefixes))
    org = organisation_of(user)
    return Organisation.objects.filter(pk=org.pk) if org else Organisation.objects.none()


def organisation_public(*, organisation_id: int) -> Organisation | None:
    """An active organisation's public profile (anyone)."""
    return Organisation.objects.filter(pk=organisation_id, active=True).first()


def organisation_get(*, user: Caller, organisation_id: int) -> Organisation | None:
    return organisation_list(user=user).filter(pk=organisation_id).first()


def agreement_list(*, user: Caller) -> QuerySet[Agreement]:
    """Agreements touching the caller's scope; a partner's staff: their organisation's."""
    scope = scope_for(user)
    if scope.has(*POLICE_READERS):
        qs = _distinct(Agreement, overlap_q("places__code", scope.prefixes))
    else:
        org = organisation_of(user)
        qs = Agreement.objects.filter(organisation=org) if org else Agreement.objects.none()
    return qs.select_related("organisation", "renews")


def agreement_get(*, user: Caller, agreement_id: int) -> Agreement | None:
    return agreement_list(user=user).filter(pk=agreement_id).first()


def agreement_history(agreement: Agreement) -> list[Agreement]:
    """The agreement and those it renews, newest first."""
    chain = [agreement]
    while chain[-1].renews_id is not None and len(chain) < 50:
        chain.append(Agreement.objects.get(pk=chain[-1].renews_id))
    return chain


def programme_list(*, user: Caller) -> QuerySet[Programme]:
    """Programmes touching the caller's scope; a partner's staff: their organisation's."""
    scope = scope_for(user)
    if scope.has(*POLICE_READERS):
        qs = _distinct(Programme, overlap_q("places__code", scope.prefixes))
    else:
        org = organisation_of(user)
        qs = Programme.objects.filter(organisation=org) if org else Programme.objects.none()
    return qs.select_related("organisation")


def programme_get(*, user: Caller, programme_id: int) -> Programme | None:
    return programme_list(user=user).filter(pk=programme_id).first()


def programme_covers(programme: Programme, code: str) -> bool:
    return any(covers(p, code) for p in programme.places.values_list("code", flat=True))


def partner_activity_list(*, user: Caller) -> QuerySet[PartnerActivity]:
    """Partner activities in scope (police) or of the caller's organisation (partner)."""
    scope = scope_for(user)
    if scope.has(*POLICE_READERS):
        qs = PartnerActivity.objects.filter(scope.q("village_id"))
    else:
        org = organisation_of(user)
        qs = (PartnerActivity.objects.filter(programme__organisation=org) if org
              else PartnerActivity.objects.none())
    return qs.select_related("programme", "village")


def service_list(*, user: Caller) -> QuerySet[Service]:
    """Active services serving the caller's scope (a partner: its places). Requires: a
    police role or a partner's staff."""
    scope = scope_for(user)
    if scope.has(*POLICE_READERS):
        prefixes = scope.prefixes
    else:
        prefixes = partner_prefixes(user)
        if not prefixes:
            return Service.objects.none()
    return Service.objects.filter(overlap_q("region_id", prefixes), active=True).select_related("region")


def services_public(*, village: str = "", kinds: tuple[str, ...] = ()) -> QuerySet[Service]:
    """The public part of the directory: active public services, those serving `village`
    when given (anyone)."""
    qs = Service.objects.filter(active=True, public=True).select_related("region")
    if village:
        # The nearest first: a district's health centre before the province's UPTD PPA.
        qs = qs.filter(region_id__in=[*ancestors(village), village]).order_by("-region_id", "kind", "name")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def services_serving(*, village: str) -> QuerySet[Service]:
    """Every active service (public or not) serving `village`, the nearest first: the choices
    of a referral. Requires: the caller may write the case (checked by the case's service)."""
    return (Service.objects.filter(active=True, region_id__in=[*ancestors(village), village])
            .select_related("region").order_by("-region_id", "kind", "name"))


def service_for_region(*, service_id: int, village: str) -> Service | None:
    """The active service, if it serves `village` (for referrals)."""
    return Service.objects.filter(pk=service_id, active=True,
                                  region_id__in=[*ancestors(village), village]).first()


def partner_reports(*, user: Caller) -> QuerySet[PartnerReport]:
    """The reports the caller's organisation filed (their status only is shown)."""
    org = organisation_of(user)
    if org is None:
        return PartnerReport.objects.none()
    return PartnerReport.objects.filter(organisation=org).select_related("report")
