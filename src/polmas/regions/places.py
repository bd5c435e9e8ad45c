"""Which village a resident means when they type its name (the report form, Open311).

One match is taken; several come back as a choice; none is an error. Exact names win over
near ones, so "Les" means Desa Les and not Lestari. Words after a comma name the district,
regency or province ("Sukamaju, Cibatu"), for the many villages that share a name.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.search import name_key
from polmas.regions.selectors import region_get, region_search

MAX_TEXT = 200
SHOWN = 20  # choices listed at most; beyond that the resident narrows with a comma
SEARCHED = 60
AREAS = 5  # districts/regencies tried per word after a comma


@dataclass
class Place:
    village: Region | None = None
    choices: list[Region] = field(default_factory=list)
    more: bool = False  # more villages match than are listed
    error: str = ""


def _with_parents(found: list[Region]) -> list[Region]:
    """The same villages, with district, regency and province loaded for display."""
    rows = Region.objects.filter(code__in=[r.code for r in found]).select_related(
        "parent__parent__parent")
    by_code = {r.code: r for r in rows}
    return [by_code[r.code] for r in found if r.code in by_code]


def _areas(text: str) -> list[Region]:
    """Provinces, regencies and districts named `text`, exact names first."""
    key = name_key(text)
    hits = [r for r in region_search(query=text, limit=AREAS * 4) if r.level < codes.VILLAGE]
    exact = [r for r in hits if r.name_key == key]
    return (exact or hits)[:AREAS]


def _candidates(name: str, context: list[str]) -> list[Region]:
    if not context:
        return region_search(query=name, level=codes.VILLAGE, limit=SEARCHED)
    found: dict[str, Region] = {}
    for area in _areas(context[0]):
        for village in region_search(query=name, level=codes.VILLAGE, within=area.code, limit=SEARCHED):
            found.setdefault(village.code, village)
    rest = [name_key(c) for c in context[1:]]
    if rest:
        villages = _with_parents(list(found.values()))
        found = {v.code: v for v in villages if all(any(k and k in a.name_key for a in _ancestors(v))
                                                     for k in rest)}
    return list(found.values())


def _ancestors(village: Region) -> list[Region]:
    out, node = [], village.parent
    while node is not None:
        out.append(node)
        node = node.parent
    return out


def place_resolve(*, text: str, choice: str = "") -> Place:
    """The village meant by `text` (a name, "name, district" or a village code), or the
    villages to choose from, or an error. `choice` is a code the resident picked from an
    earlier list: taken only if it is still among the matches of `text`."""
    text = " ".join((text or "").split())
    if not text:
        return Place(error=_("Type the name of the village."))
    if len(text) > MAX_TEXT:
        return Place(error=_("The place name is longer than %(max)d characters.") % {"max": MAX_TEXT})
    if codes.is_valid(text):
        village = region_get(code=text)
        if village is None or not village.is_village:
            return Place(error=_("No village has code %(code)s.") % {"code": text})
        return Place(village=village)
    name, *context = [part.strip() for part in text.split(",") if part.strip()] or [""]
    if len(name_key(name)) < 2:
        return Place(error=_("Type at least two letters of the village name."))
    found = _candidates(name, context)
    exact = [r for r in found if r.name_key == name_key(name)]
    found = exact or found
    if choice:
        picked = next((r for r in found if r.code == choice), None)
        if picked is not None:
            return Place(village=picked)
    if not found:
        return Place(error=_("No village called “%(name)s” was found. Check the spelling, or add "
                             "the district after a comma.") % {"name": text})
    if len(found) == 1:
        return Place(village=found[0])
    return Place(choices=_with_parents(found[:SHOWN]), more=len(found) > SHOWN)
