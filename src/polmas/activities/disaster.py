"""Disaster mode for a village or district: rosters there get raised cover, and looting and
security reports there go to the top of work queues.

The reports app must not import this one; the work-queue pages call `order_reports` (or
build on `reports_first`) with a queryset of reports.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.activities.models import DisasterMode
from polmas.activities.services import control_errors
from polmas.core.scope import NATIONAL, covers, prefix_q
from polmas.regions import codes
from polmas.regions.models import Region

# Report categories (reports.catalogue codes) put first in a village under disaster mode.
FIRST_CATEGORIES = ("disaster_security", "burglary", "theft")


def _prefixes_of(village_code: str) -> list[str]:
    return [village_code, village_code[:8]]


def disaster_active(*, prefixes: Iterable[str] | None = None) -> QuerySet[DisasterMode]:
    """Active disaster modes, optionally only those touching `prefixes` (public: no scope)."""
    qs = DisasterMode.objects.filter(ended_at__isnull=True)
    if prefixes is None:
        return qs
    prefixes = list(prefixes)
    if NATIONAL in prefixes:
        return qs
    # A mode touches a scope if it lies inside it, or the scope lies inside it (a village
    # scope under a district mode).
    above = {p[:n] for p in prefixes for n in (8, 13) if len(p) >= n}
    return qs.filter(prefix_q("prefix", prefixes) | Q(prefix__in=above))


def disaster_for_village(*, code: str) -> DisasterMode | None:
    """The active disaster mode covering this village (its own, else its district's)."""
    return DisasterMode.objects.filter(ended_at__isnull=True, prefix__in=_prefixes_of(code)).order_by(
        "-started_at").first()


def reports_first(*, prefixes: Iterable[str] | None = None, village_field: str = "village_id",
                  category_field: str = "category__code") -> Q:
    """A Q over reports to put first: looting and security categories in villages under an
    active disaster mode (limited to modes touching `prefixes`). Matches nothing when none is on."""
    modes = list(disaster_active(prefixes=prefixes).values_list("prefix", flat=True))
    if not modes:
        return Q(pk__in=[])
    return prefix_q(village_field, modes) & Q(**{f"{category_field}__in": FIRST_CATEGORIES})


def order_reports(qs: QuerySet, *, prefixes: Iterable[str] | None = None) -> QuerySet:
    """`qs` (reports) with the disaster-first ones on top, then in the queryset's own order.
    Each row carries `disaster_first` (True for those put first), for a badge on the page."""
    rest = list(qs.query.order_by) or list(qs.model._meta.ordering) or ["-pk"]
    flagged = qs.annotate(disaster_first=Case(
        When(reports_first(prefixes=prefixes), then=Value(True)), default=Value(False),
        output_field=BooleanField()))
    return flagged.order_by("-disaster_first", *rest)


def _check_prefix(actor: User, prefix: str) -> str:
    prefix = (prefix or "").strip()
    if not codes.is_valid(prefix) or codes.level_of(prefix) not in (codes.DISTRICT, codes.VILLAGE):
        raise ValidationError({"prefix": _("%(code)s is not a district or village code like 51.08.09 "
                                           "or 51.08.09.2007.") % {"code": prefix[:20]}})
    if not Region.objects.filter(code=prefix).exists():
        raise ValidationError({"prefix": _("No region has code %(code)s.") % {"code": prefix}})
    scope = scope_for(actor)
    if not scope.has(Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(_("Only supervisors switch disaster mode."))
    if not any(covers(p, prefix) for p in scope.prefixes):
        raise ValidationError({"prefix": _("This place is outside your area.")})
    return prefix


def disaster_start(*, actor: User, prefix: str, kind: str, reason: str) -> DisasterMode:
    """Switch disaster mode on for a village or district. Requires: supervisor in scope."""
    prefix = _check_prefix(actor, prefix)
    errors = {}
    if kind not in DisasterMode.Kind.values:
        errors["kind"] = _("must be one of: %(kinds)s.") % {"kinds": ", ".join(DisasterMode.Kind.values)}
    if not (reason or "").strip():
        errors["reason"] = _("Say why disaster mode is needed.")
    elif len(reason) > 1000:
        errors["reason"] = _("is longer than %(max)s characters.") % {"max": 1000}
    control_errors(errors, texts={"reason": reason}, lines={})
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            mode = DisasterMode.objects.create(prefix=prefix, kind=kind, reason=reason.strip(),
                                               started_at=timezone.now(), set_by=actor)
            audit_record(actor=actor, action="disaster.start", obj=mode, region_code=prefix,
                         reason=mode.reason, detail={"kind": kind})
    except IntegrityError:
        raise ValidationError({"prefix": _("Disaster mode is already on here.")}) from None
    return mode


@transaction.atomic
def disaster_end(*, actor: User, prefix: str) -> DisasterMode:
    """Switch disaster mode off. Requires: supervisor in scope."""
    prefix = _check_prefix(actor, prefix)
    mode = DisasterMode.objects.select_for_update().filter(prefix=prefix, ended_at__isnull=True).first()
    if mode is None:
        raise ValidationError({"prefix": _("Disaster mode is not on here.")})
    mode.ended_at, mode.ended_by = timezone.now(), actor
    mode.save(update_fields=["ended_at", "ended_by"])
    audit_record(actor=actor, action="disaster.end", obj=mode, region_code=prefix)
    return mode
