"""National statistics by region prefix, for `polmas stats` and planners' scripts."""

import datetime as dt
from collections import defaultdict

from polmas.analytics.counting import active_assignments, count_by_prefix, standing_forums
from polmas.policing.models import Officer
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.selectors import reports_counted

FIELDS = [
    "provinces", "regencies", "districts", "villages", "officers", "villages_with_officer",
    "forums", "villages_with_forum", "reports", "problems_resolved",
]  # fmt: skip
BY_LENGTH = {"province": 2, "regency": 5}


def _counts(year: int | None, n: int | None) -> dict[str, dict[str, int]]:
    end = dt.date(year, 12, 31) if year else None
    assignments, forums = active_assignments(end), standing_forums(end)
    officers = Officer.objects.filter(function=Officer.Function.BHABINKAMTIBMAS, active=True)
    out = {
        "officers": count_by_prefix(officers, "unit__region_id", n),
        "villages_with_officer": count_by_prefix(assignments, "village_id", n, distinct=True),
        "forums": count_by_prefix(forums, "village_id", n),
        "villages_with_forum": count_by_prefix(forums, "village_id", n, distinct=True),
        "reports": count_by_prefix(reports_counted(year), "village_id", n),
        # Problems resolved are counted from cases (SARA assessments), which come later.
        "problems_resolved": {},
    }
    for level, name in [(1, "provinces"), (2, "regencies"), (3, "districts"), (4, "villages")]:
        out[name] = count_by_prefix(Region.objects.filter(level=level), "code", n)
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
