"""Public statistics: the country, provinces and regencies, from the rollups, with small
counts suppressed ("<5") and nothing sensitive below province level.

Rules, applied here once for the pages and the downloads alike:
- every count under 5 is shown as "<5" (zero included: "none" can single out as well);
- a percentage, rate or median is shown only when the counts it is made of are 5 or more;
- sensitive categories are listed one by one at country and province level only; a regency
  shows them as one combined line (suppressed like any count); nothing below a regency is
  public at all.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from polmas.analytics.dashboard import Board, CategoryFigures, region_board
from polmas.analytics.figures import Figures
from polmas.analytics.models import COUNTERS, CoverageFigures, MonthlyFigures, RollupState
from polmas.regions import codes
from polmas.regions.models import Region

SMALL = 5
PUBLIC_LEVELS = (0, codes.PROVINCE, codes.REGENCY)
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def count(value: int | None) -> str:
    """A count as published: "<5" under five, else the number (no grouping: data files)."""
    if value is None:
        return ""
    return f"<{SMALL}" if value < SMALL else str(value)


def ratio(value: float | None, *parts: int | None) -> str:
    """A percentage or mean, one decimal, only when every count behind it is 5 or more."""
    if value is None or any(p is None or p < SMALL for p in parts):
        return ""
    return f"{value:.1f}"


@dataclass
class PublicRow:
    """One region's published figures, as strings (already suppressed)."""

    code: str
    name: str
    level: int
    latitude: float | None
    longitude: float | None
    values: dict[str, str]


def published(f: Figures) -> dict[str, str]:
    return {
        "villages": count(f.villages),
        "villages_with_officer": count(f.villages_with_officer),
        "villages_with_forum": count(f.villages_with_forum),
        "officers": count(f.officers),
        "forums": count(f.forums),
        "reports": count(f.reports),
        "problems_raised": count(f.raised),
        "problems_resolved": count(f.resolved),
        "resolution_rate": ratio(f.rate, f.resolved, f.closed),
        "median_days_to_resolve": ratio(f.median_days, f.resolve_n),
        "officer_coverage_pct": ratio(f.officer_pct, f.villages_with_officer),
        "forum_coverage_pct": ratio(f.forum_pct, f.villages_with_forum),
    }


FIELDS = list(published(Figures()))


def as_numbers(values: dict[str, str]) -> tuple[dict[str, int | float | None], list[str]]:
    """Published values as JSON numbers (for GeoJSON): counts as integers, ratios as
    decimals, a suppressed or missing value as null; and the names of the counts suppressed
    as under 5 (so null there means "fewer than 5", not "unknown")."""
    out: dict[str, int | float | None] = {}
    suppressed = []
    for name, value in values.items():
        if value == f"<{SMALL}":
            out[name] = None
            suppressed.append(name)
        elif value == "":
            out[name] = None
        else:
            out[name] = float(value) if "." in value else int(value)
    return out, suppressed


def public_board(*, code: str, year: int) -> Board | None:
    """The board of the country, a province or a regency; None for anything else."""
    if code and (not codes.is_valid(code) or codes.level_of(code) not in PUBLIC_LEVELS):
        return None
    board = region_board(code=code, year=year)
    if board is None:
        return None
    if board.level == codes.REGENCY:
        board.children = []  # districts are not published
        board.categories = _combine_sensitive(board.categories)
    return board


def _combine_sensitive(categories: list[CategoryFigures]) -> list[CategoryFigures]:
    combined = Figures()
    plain = []
    for c in categories:
        if c.sensitive:
            combined.add(c.figures)
        else:
            plain.append(c)
    if combined.reports or combined.raised:
        plain.append(CategoryFigures(0, _("Sensitive matters (combined)"), True, combined))
    return plain


def open_data(*, year: int) -> list[PublicRow]:
    """The country, every province and every regency for `year`: five queries."""
    facts = (MonthlyFigures.objects.filter(level__in=PUBLIC_LEVELS, month__gte=year * 100 + 1,
                                           month__lte=year * 100 + 12)
             .values("prefix").annotate(**{c: Sum(c) for c in COUNTERS}).order_by())
    figures = {r["prefix"]: Figures.from_sums(r) for r in facts}
    coverage = {c["prefix"]: c for c in CoverageFigures.objects.filter(
        year=year, level__in=PUBLIC_LEVELS).values(
        "prefix", "villages", "villages_with_officer", "villages_with_forum", "officers", "forums")}
    regions = Region.objects.filter(Q(level=codes.PROVINCE) | Q(level=codes.REGENCY)).order_by("code")
    rows = [PublicRow("", _("Indonesia"), 0, None, None,
                      published(figures.get("", Figures()).with_coverage(coverage.get(""))))]
    for r in regions.values("code", "name", "level", "latitude", "longitude"):
        f = figures.get(r["code"], Figures()).with_coverage(coverage.get(r["code"]))
        rows.append(PublicRow(r["code"], r["name"], r["level"], r["latitude"], r["longitude"], published(f)))
    return rows


def updated_at() -> dt.datetime | None:
    state = RollupState.objects.filter(pk=1).values_list("updated_at", "built_at").first()
    return max((t for t in (state or ()) if t), default=None)
