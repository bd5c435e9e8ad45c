"""National statistics by region prefix, for `polmas stats` and planners' scripts.

Counts that later apps own (reports, problems resolved) are added through `register`, so
this module never imports them.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from polmas.forums.models import Forum
from polmas.policing.models import Assignment, Officer
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.selectors import report_counts

FIELDS = [
    "provinces", "regencies", "districts", "villages", "officers", "villages_with_officer",
    "forums", "villages_with_forum", "reports", "problems_resolved",
]  # fmt: skip
BY_LENGTH = {"province": 2, "regency": 5}
# name -> function(year or None, prefix length or None) -> {prefix or "": count}
Counter = Callable[[int | None, int | None], dict[str, int]]
_extra: dict[str, Counter] = {"reports": report_counts}


def register(name: str, counter: Counter) -> None:
    """Let an app contribute a figure (e.g. reports) without this module importing it."""
    _extra[name] = counter


def _grouped(qs: QuerySet, field: str, n: int | None, distinct: str | None = None) -> dict[str, int]:
    agg = Count(distinct, distinct=True) if distinct else Count("pk")
    if n is None:
        return {"": qs.aggregate(c=agg)["c"]}
    rows = qs.annotate(p=Substr(field, 1, n)).values("p").annotate(c=agg).order_by()
    return {r["p"]: r["c"] for r in rows}


def _counts(year: int | None, n: int | None) -> dict[str, dict[str, int]]:
    end = dt.date(year, 12, 31) if year else None
    assignments = Assignment.objects.filter(end__isnull=True)
    forums = Forum.objects.exclude(status=Forum.Status.DISSOLVED)
    if end:
        assignments = Assignment.objects.filter(Q(end__isnull=True) | Q(end__gt=end), start__lte=end)
        forums = forums.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
    officers = Officer.objects.filter(function=Officer.Function.BHABINKAMTIBMAS, active=True)
    out = {
        "officers": _grouped(officers, "unit__region_id", n),
        "villages_with_officer": _grouped(assignments, "village_id", n, distinct="village_id"),
        "forums": _grouped(forums, "village_id", n),
        "villages_with_forum": _grouped(forums, "village_id", n, distinct="village_id"),
    }
    for level, name in [(1, "provinces"), (2, "regencies"), (3, "districts"), (4, "villages")]:
        out[name] = _grouped(Region.objects.filter(level=level), "code", n)
    for name in ("reports", "problems_resolved"):
        counter = _extra.get(name)
        out[name] = counter(year, n) if counter else {}
    return out


def national_stats(*, year: int | None = None, by: str | None = None) -> dict:
    """{"totals": {...}, "rows": [...]}, rows per province or regency when `by` is given."""
    totals_raw = _counts(year, None)
    totals = {f: totals_raw[f].get("", 0) for f in FIELDS}
    rows = []
    if by:
        n = BY_LENGTH[by]
        level = codes.PROVINCE if by == "province" else codes.REGENCY
        grouped = _counts(year, n)
        table: dict[str, dict[str, int]] = defaultdict(dict)
        for f in FIELDS:
            for prefix, count in grouped[f].items():
                table[prefix][f] = count
        for region in Region.objects.filter(level=level).order_by("code"):
            row = {"code": region.code, "name": region.name}
            row.update({f: table[region.code].get(f, 0) for f in FIELDS})
            rows.append(row)
    return {"year": year, "totals": totals, "rows": rows}
