"""Generate the police unit tree from the regions: Mabes, a Polda per province, a Polres
per regency/city, a Polsek per district. Re-running adds what is missing and leaves edited
names, parents and jurisdictions alone."""

from collections.abc import Callable

from django.db import transaction

from polmas.policing.models import Jurisdiction, PoliceUnit
from polmas.regions import codes
from polmas.regions.models import Region

KIND_BY_LEVEL = {
    codes.PROVINCE: PoliceUnit.Kind.POLDA,
    codes.REGENCY: PoliceUnit.Kind.POLRES,
    codes.DISTRICT: PoliceUnit.Kind.POLSEK,
}
MABES_NAME = "Mabes Polri"


def unit_name(kind: str, region_name: str) -> str:
    name = region_name
    if kind == PoliceUnit.Kind.POLRES:
        if name.startswith("Kota "):
            return "Polresta " + name.removeprefix("Kota ")
        return "Polres " + name.removeprefix("Kabupaten ")
    return {"polda": "Polda ", "polsek": "Polsek "}[kind] + name


@transaction.atomic
def units_build(progress: Callable[[int], None] | None = None) -> int:
    """Create the missing units for every loaded region; returns how many were created."""
    mabes, made = PoliceUnit.objects.get_or_create(
        kind=PoliceUnit.Kind.MABES, defaults={"name": MABES_NAME}
    )
    created = int(made)
    if not mabes.jurisdiction.exists():
        Jurisdiction.objects.create(unit=mabes, prefix="")
    # The unit generated for each region is the one of that level's kind; other units
    # placed on the same region by hand neither block nor parent the generated ones.
    by_region: dict[str, int] = {"": mabes.pk}
    for level, kind in KIND_BY_LEVEL.items():
        by_region.update(
            PoliceUnit.objects.filter(kind=kind, region__level=level)
            .values_list("region_id", "pk")
        )
    for level in (codes.PROVINCE, codes.REGENCY, codes.DISTRICT):
        kind = KIND_BY_LEVEL[level]
        missing = [
            PoliceUnit(
                name=unit_name(kind, r.name), kind=kind, region_id=r.code,
                parent_id=by_region[r.parent_id or ""],
            )
            for r in Region.objects.filter(level=level).only("code", "name", "parent_id")
            if r.code not in by_region
        ]
        PoliceUnit.objects.bulk_create(missing, batch_size=2000)
        fresh = dict(
            PoliceUnit.objects.filter(kind=kind, region_id__in=[u.region_id for u in missing])
            .values_list("region_id", "pk")
        )
        Jurisdiction.objects.bulk_create(
            [Jurisdiction(unit_id=pk, prefix=code) for code, pk in fresh.items()],
            batch_size=2000, ignore_conflicts=True,
        )
        by_region.update(fresh)
        created += len(missing)
        if progress:
            progress(len(missing))
    return created


def unit_for_region(*, code: str, kind: str) -> PoliceUnit | None:
    """The unit of `kind` whose jurisdiction covers `code` most narrowly."""
    candidates = codes.ancestors(code) + [""]
    found = (
        Jurisdiction.objects.filter(prefix__in=candidates, unit__kind=kind, unit__active=True)
        .select_related("unit")
        .order_by("-prefix")
        .first()
    )
    return found.unit if found else None
