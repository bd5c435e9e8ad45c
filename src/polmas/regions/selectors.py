"""Reads of the region list. Regions are public reference data: no scope applies."""

import math
from functools import lru_cache

from django.db.models import Q
from rapidfuzz import fuzz, process

from polmas.regions import codes
from polmas.regions.models import Region, RegionQuerySet
from polmas.regions.search import name_key

# Indonesia's extent with a margin: the bounds inside which a coordinate can name a village.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)


def region_get(*, code: str) -> Region | None:
    """The region with this code, or None (also for a malformed code)."""
    if not codes.is_valid(code):
        return None
    return Region.objects.filter(code=code).first()


def region_children(*, code: str | None) -> RegionQuerySet:
    """Provinces (code None) or the regions one level below `code`."""
    if code is None:
        return Region.objects.filter(level=codes.PROVINCE)
    return Region.objects.filter(parent_id=code)


@lru_cache(maxsize=1)
def _keys(version: int) -> tuple[list[str], list[str]]:
    rows = Region.objects.order_by("code").values_list("code", "name_key")
    return [r[0] for r in rows], [r[1] for r in rows]


def region_search(*, query: str, level: int | None = None, within: str | None = None,
                  limit: int = 20) -> list[Region]:
    """Regions whose name matches `query`, tolerant of old spelling, short forms and typos.

    Exact and substring matches of the folded name come first, then fuzzy ones.
    """
    key = name_key(query)
    if len(key) < 2:
        return []
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if within:
        qs = qs.under(within)
    found: list[Region] = []
    tiers = [Q(name_key=key), Q(name_key__startswith=key), Q(name_key__contains=" " + key)]
    for tier in tiers:
        if len(found) >= limit:
            break
        seen = {r.code for r in found}
        found += [r for r in qs.filter(tier).order_by("level", "code")[: limit * 2]
                  if r.code not in seen][: limit - len(found)]
    if len(found) < limit:
        found += _fuzzy(key, level=level, within=within, exclude={r.code for r in found},
                        limit=limit - len(found))
    return found


def _fuzzy(key: str, *, level: int | None, within: str | None, exclude: set[str],
           limit: int) -> list[Region]:
    all_codes, all_keys = _keys(Region.objects.count())
    matches = process.extract(key, all_keys, scorer=fuzz.ratio, limit=limit * 20,
                              score_cutoff=80)
    picked = []
    for _, _, index in matches:
        code = all_codes[index]
        if code in exclude or (level and code.count(".") + 1 != level):
            continue
        if within and not (code == within or code.startswith(within + ".")):
            continue
        picked.append(code)
        if len(picked) == limit:
            break
    by_code = Region.objects.in_bulk(picked)
    return [by_code[c] for c in picked if c in by_code]


def in_indonesia(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def nearest_village(*, lat: float, lon: float, max_rings: int = 5) -> Region | None:
    """The village whose centre is nearest to (lat, lon), or None beyond ~50 km.

    Looks in the indexed 0.1-degree grid cell of the point and widening rings around it,
    so a call reads tens of rows, not the 83k villages.
    """
    if not in_indonesia(lat, lon):
        return None
    row0, col0 = math.floor(lat * 10), math.floor(lon * 10)
    best: tuple[float, Region] | None = None
    for ring in range(max_rings + 1):
        cells = [
            (row0 + dr) * 10000 + (col0 + dc)
            for dr in range(-ring, ring + 1)
            for dc in range(-ring, ring + 1)
            if max(abs(dr), abs(dc)) == ring
        ]
        for village in Region.objects.filter(level=codes.VILLAGE, cell__in=cells):
            d = haversine_km(lat, lon, village.latitude, village.longitude)
            if best is None or d < best[0]:
                best = (d, village)
        # A hit in ring r is within r*0.1 deg; anything in ring r+1 is at least r*0.1 deg away.
        if best is not None and best[0] <= ring * 11.0:
            break
    return best[1] if best else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def villages(*, codes_in: list[str] | None = None) -> RegionQuerySet:
    """Every village (or those among `codes_in`): a system read (no caller)."""
    rows = Region.objects.villages()
    if codes_in is not None:
        rows = rows.filter(code__in=codes_in)
    return rows
