"""Disaster mode, told to those it affects: the officers and residents of the area (their
home page) and anyone reporting (the report form). Names the place and the kind of disaster,
never the reason a supervisor wrote."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from polmas.activities.disaster import disaster_active, disaster_for_village
from polmas.portal.zones import shown
from polmas.regions import codes
from polmas.regions.models import Region

SHOWN = 5


def _place(region: Region | None, prefix: str) -> str:
    if region is None:
        return prefix
    if region.level == codes.DISTRICT:
        return _("%(name)s district") % {"name": region.name}
    district = region.parent.name if region.parent else ""
    return _("Village %(name)s, %(district)s district") % {"name": region.name, "district": district}


def disaster_notices(*, prefixes: Iterable[str] | None = None) -> dict:
    """Active disaster modes touching `prefixes` (None: all), newest first: at most SHOWN,
    and how many more. Requires: nothing (public facts)."""
    qs = disaster_active(prefixes=prefixes).order_by("-started_at")
    modes = list(qs[:SHOWN])
    regions = Region.objects.select_related("parent").in_bulk([m.prefix for m in modes])
    items = [{"prefix": m.prefix, "place": _place(regions.get(m.prefix), m.prefix),
              "kind": m.get_kind_display(), "since": shown(m.started_at, regions.get(m.prefix))}
             for m in modes]
    return {"items": items, "more": max(qs.count() - len(items), 0) if len(items) == SHOWN else 0}


def disaster_of_village(*, code: str) -> dict | None:
    """The disaster mode covering this village, as a notice; None when there is none."""
    mode = disaster_for_village(code=code)
    if mode is None:
        return None
    region = Region.objects.select_related("parent").filter(code=mode.prefix).first()
    return {"prefix": mode.prefix, "place": _place(region, mode.prefix), "kind": mode.get_kind_display()}
