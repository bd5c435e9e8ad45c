"""The planner's side of a wave: draw a sample from a form, follow its progress by regency,
assign villages to enumerators and issue residents' one-time links. Progress counts
questionnaires received per village (never their answers); the enumerator sees only the
villages assigned to them."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.models import Role, RoleGrant
from polmas.access.scope import scope_for
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys.instruments import standard_ensure
from polmas.surveys.models import Sample, SampleVillage
from polmas.surveys.sampling import sample_draw

LIMITS = {"margin": (1.0, 20.0), "deff": (1.0, 5.0), "response_rate": (0.1, 1.0), "per_village": (1, 50)}


def plans(user: User) -> bool:
    return scope_for(user).has(Role.PLANNER, Role.ADMIN)


def _check(actor: User) -> None:
    if not plans(actor):
        raise PermissionDenied(_("Only planners draw survey samples."))


def in_area(actor: User | None, code: str) -> bool:
    """Whether `code` lies in the planner's area (a Polda's planner plans their province)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    return scope.national or scope.covers(code)


def _visible(actor: User, sample: Sample) -> bool:
    """A wave is the planner's when one of its provinces lies in their area."""
    scope = scope_for(actor)
    return scope.national or any(
        scope.covers(p) or any(prefix.startswith(p + ".") for prefix in scope.prefixes)
        for p in sample.provinces.split(",") if p)


def sample_plan(*, actor: User, wave: str, year: int, seed: int, provinces: list[str], margin: float,
                deff: float, response_rate: float, per_village: int) -> Sample:
    """Draw and store a wave's sample of the standard module, checked and audited."""
    _check(actor)
    errors: dict[str, list[str]] = {}
    wave = wave.strip()
    if not wave or len(wave) > 40:
        errors["wave"] = [_("give a name of 1 to 40 characters")]
    elif Sample.objects.filter(version__survey__slug="standard", wave=wave).exists():
        errors["wave"] = [_("a wave of this name exists already")]
    this_year = dt.date.today().year
    if not this_year - 1 <= year <= this_year + 5:
        errors["year"] = [_("must be between %(low)s and %(high)s") % {"low": this_year - 1,
                                                                       "high": this_year + 5}]
    known = set(Region.objects.filter(level=codes.PROVINCE, code__in=provinces)
                .values_list("code", flat=True))
    unknown = [p for p in provinces if p not in known]
    outside = [p for p in provinces if p in known and not in_area(actor, p)]
    if unknown:
        errors["provinces"] = [_("unknown province codes: %(codes)s") % {"codes": ", ".join(unknown[:5])}]
    elif not provinces:
        errors["provinces"] = [_("choose at least one province")]
    elif outside:
        errors["provinces"] = [_("outside your area: %(codes)s") % {"codes": ", ".join(outside[:5])}]
    for name, value in (("margin", margin), ("deff", deff), ("response_rate", response_rate),
                        ("per_village", per_village)):
        low, high = LIMITS[name]
        if not low <= value <= high:
            errors[name] = [_("must be between %(low)s and %(high)s") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sample = sample_draw(version=standard_ensure(), wave=wave, year=year, seed=seed, provinces=provinces,
                             margin=margin, deff=deff, response_rate=response_rate, per_village=per_village)
        audit_record(actor=actor, action="survey_sample", obj=sample,
                     detail={"wave": wave, "provinces": provinces, "villages": sample.villages.count()})
    return sample


@dataclass
class RegencyProgress:
    code: str
    name: str
    villages: int
    assigned: int
    planned: int
    received: int

    @property
    def pct(self) -> float:
        return 100 * self.received / self.planned if self.planned else 0.0


def samples_list(*, actor: User) -> list[Sample]:
    _check(actor)
    return [s for s in Sample.objects.select_related("version").annotate(n_villages=Count("villages"))
            .order_by("-year", "-created_at") if _visible(actor, s)]


def sample_get(*, actor: User, sample_id: int) -> Sample | None:
    _check(actor)
    found = Sample.objects.select_related("version").filter(pk=sample_id).first()
    return found if found is not None and _visible(actor, found) else None


def progress(*, sample: Sample) -> list[RegencyProgress]:
    rows = (SampleVillage.objects.filter(sample=sample).values("regency_code")
            .annotate(villages=Count("id", distinct=True),
                      assigned=Count("id", filter=Q(enumerator__isnull=False), distinct=True),
                      planned=Sum("planned"))
            .order_by("regency_code"))
    received = dict(SampleVillage.objects.filter(sample=sample).values("regency_code")
                    .annotate(n=Count("responses")).values_list("regency_code", "n"))
    names = dict(Region.objects.filter(code__in=[r["regency_code"] for r in rows])
                 .values_list("code", "name"))
    return [RegencyProgress(r["regency_code"], names.get(r["regency_code"], ""), r["villages"], r["assigned"],
                            r["planned"] or 0, received.get(r["regency_code"], 0)) for r in rows]


def villages(*, sample: Sample, regency: str) -> list[dict]:
    """The sampled villages of one regency: who collects there and how many questionnaires came."""
    rows = list(SampleVillage.objects.filter(sample=sample, regency_code=regency)
                .annotate(received=Count("responses")).select_related("enumerator")
                .order_by("village_code"))
    names = dict(Region.objects.filter(code__in=[r.village_code for r in rows]).values_list("code", "name"))
    return [{"sv": r, "name": names.get(r.village_code, ""), "received": r.received} for r in rows]


def enumerators() -> list[User]:
    return list(User.objects.filter(pk__in=RoleGrant.objects.filter(role=Role.ENUMERATOR).values("user"),
                                    is_active=True).order_by("username"))


def my_villages(*, enumerator: User) -> list[dict]:
    """An enumerator's assigned villages in every wave, with questionnaires planned and received."""
    rows = list(SampleVillage.objects.filter(enumerator=enumerator).select_related("sample")
                .annotate(received=Count("responses")).order_by("-sample__year", "village_code"))
    names = dict(Region.objects.filter(code__in=[r.village_code for r in rows]).values_list("code", "name"))
    return [{"sv": r, "name": names.get(r.village_code, ""), "received": r.received} for r in rows]
