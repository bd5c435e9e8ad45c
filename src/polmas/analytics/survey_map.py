"""The survey's published estimates on a map (/statistik/survei/peta/): one point per province
or regency at its centre (no boundary polygons are available offline), coloured by the
estimate with the dashboards' scale (analytics.charts), a cell under the minimum grey; each
point's title and the table below give the 95% interval and n. Public, like /statistik/survei/:
only published aggregates, regency and above. Server-side SVG, no script, no CDN."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from polmas.analytics import charts
from polmas.analytics.params import BadParam
from polmas.analytics.views import bad_request
from polmas.core.db.replica import replica_view
from polmas.core.text import rounded
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys import selectors
from polmas.surveys.estimates import MIN_N, TRUST_INDEX, Cell
from polmas.surveys.views import LABELS

LEVELS = {"provinsi": 1, "kabupaten": 2}
NAMES_UP_TO = 15  # points named beside them on the map up to this many (more overlap)


@dataclass
class Place:
    code: str
    name: str
    cell: Cell
    colour: str
    latitude: float | None
    longitude: float | None
    label: str


def _one(v: float) -> str:
    return rounded(v, 1, grouping=True)


def _label(name: str, c: Cell, pct: bool) -> str:
    if not c.published:
        return _("%(name)s: too few answers (n=%(n)s)") % {"name": name, "n": c.n}
    unit = "%" if pct else ""
    return _("%(name)s: %(value)s%(unit)s (interval 95%%: %(low)s–%(high)s, n = %(n)s)") % {
        "name": name, "value": _one(c.value), "unit": unit, "low": _one(c.low), "high": _one(c.high),
        "n": c.n}


def _params(request: HttpRequest, indicators: list[str]) -> tuple[str, str, int]:
    indicator = request.GET.get("indikator", "feel_safe")
    if indicator not in indicators:
        raise BadParam("indikator", _("one of: %(list)s") % {"list": ", ".join(indicators)})
    region = request.GET.get("wilayah", "")
    if region and not (codes.is_valid(region) and codes.level_of(region) == codes.PROVINCE
                       and Region.objects.filter(code=region).exists()):
        raise BadParam("wilayah", _("a province code such as 34, or nothing for Indonesia"))
    level_name = request.GET.get("tingkat", "kabupaten" if region else "provinsi")
    if level_name not in LEVELS:
        raise BadParam("tingkat", _("one of: %(list)s") % {"list": ", ".join(LEVELS)})
    return indicator, region, 2 if region else LEVELS[level_name]


@require_GET
@replica_view
def survey_map(request: HttpRequest) -> HttpResponse:
    sample = selectors.sample_latest()
    if sample is None:
        return render(request, "analytics/survey_map.html", {"sample": None})
    stored = {c.indicator for c in selectors.estimates_list(sample=sample, level=0)}
    indicators = [i for i in LABELS if i in stored]
    try:
        indicator, region, level = _params(request, indicators)
    except BadParam as exc:
        return bad_request(request, exc)
    cells = [c for c in selectors.estimates_list(sample=sample, level=level, prefix=region)
             if c.indicator == indicator]
    regions = {r[0]: r[1:] for r in Region.objects.filter(code__in=[c.code for c in cells])
               .values_list("code", "name", "latitude", "longitude")}
    known = [c.value for c in cells if c.published]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    pct = indicator != TRUST_INDEX
    places = []
    for c in sorted(cells, key=lambda c: c.code):
        name, lat, lon = regions.get(c.code, (c.code, None, None))
        places.append(Place(c.code, name, c, charts.colour_for(c.value if c.published else None, low, high),
                            lat, lon, _label(name, c, pct)))
    step = (high - low) / len(charts.SCALE)
    legend = [(colour, f"{_one(low + i * step)} – {_one(low + (i + 1) * step)}")
              for i, colour in enumerate(charts.SCALE)] if high > low else []
    if known and high == low:
        legend = [(charts.SCALE[-1], _one(high))]
    if any(not p.cell.published for p in places):
        legend.append((charts.NO_DATA, _("too few answers (under %(n)s)") % {"n": MIN_N}))
    drawn = [p for p in places if p.latitude is not None and p.longitude is not None]
    title = str(LABELS[indicator])
    svg = charts.dots(_("Map: %(indicator)s") % {"indicator": title},
                      [(p.longitude, p.latitude, p.colour, p.label) for p in drawn],
                      names=[p.name for p in drawn] if len(drawn) <= NAMES_UP_TO else None)
    provinces = list(Region.objects.filter(level=codes.PROVINCE, code__in={
        c.code for c in selectors.estimates_list(sample=sample, level=1)}).order_by("name")
        .values_list("code", "name"))
    return render(request, "analytics/survey_map.html", {
        "sample": sample, "indicator": indicator, "indicator_label": title, "region": region,
        "region_name": dict(provinces).get(region, ""), "level": level, "pct": pct,
        "indicators": [(i, LABELS[i]) for i in indicators], "provinces": provinces,
        "places": places, "legend": legend, "svg": svg, "undrawn": len(places) - len(drawn), "min_n": MIN_N,
    })
