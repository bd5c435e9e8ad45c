"""Query parameters of the dashboards and public statistics, checked strictly: a malformed
value is refused (400) with the parameter's name and the reason."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIRST_YEAR = 2000
INDICATORS = {
    "officer_pct": gettext_lazy("villages with a Bhabinkamtibmas (%)"),
    "forum_pct": gettext_lazy("villages with an FKPM (%)"),
    "reports": gettext_lazy("reports"),
    "raised": gettext_lazy("problems raised"),
    "resolved": gettext_lazy("problems resolved"),
    "rate": gettext_lazy("resolution rate (%)"),
    "median_days": gettext_lazy("median days to resolve"),
}
SORTS = ["name", "code", "villages", "officer_pct", "forum_pct", "officers", "forums", "reports",
         "raised", "resolved", "rate", "median_days", "visits", "meetings"]
TABLES = ["children", "months", "categories", "gaps", "overdue"]
FORMATS = ["csv", "xlsx"]


class BadParam(ValueError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


@dataclass
class BoardParams:
    year: int
    sort: str
    descending: bool
    indicator: str


def _year(raw: str | None) -> int:
    this_year = timezone.localdate().year
    if raw is None or raw == "":
        return this_year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and FIRST_YEAR <= int(raw) <= this_year):
        raise BadParam("year", _("%(value)s is not a year between %(first)s and %(last)s.")
                       % {"value": repr(raw)[:20], "first": FIRST_YEAR, "last": this_year})
    return int(raw)


def _choice(name: str, raw: str | None, choices: list[str], default: str) -> str:
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise BadParam(name, _("%(value)s is not one of: %(choices)s.")
                       % {"value": repr(raw)[:30], "choices": ", ".join(choices)})
    return raw


def board_params(query: QueryDict) -> BoardParams:
    """year (YYYY, default this year), sort (a column, "-" first for descending),
    indicator (what colours the map)."""
    for name in ("year", "sort", "indicator"):
        if len(query.getlist(name)) > 1:
            raise BadParam(name, _("given more than once."))
    year = _year(query.get("year"))
    raw_sort = query.get("sort") or "code"
    descending = raw_sort.startswith("-")
    sort = _choice("sort", raw_sort.removeprefix("-"), SORTS, "code")
    indicator = _choice("indicator", query.get("indicator"), list(INDICATORS), "officer_pct")
    return BoardParams(year=year, sort=sort, descending=descending, indicator=indicator)


def table_format(table: str, fmt: str) -> tuple[str, str]:
    return _choice("table", table, TABLES, ""), _choice("format", fmt, FORMATS, "")
