"""National statistics by region prefix, for `polmas stats` and planners' scripts, read
from the rollups (see rollup.py): a handful of queries whatever the size of the country."""

from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone

from polmas.analytics.models import CoverageFigures, MonthlyFigures, RollupState
from polmas.analytics.services import coverage_year_ensure, rollups_rebuild
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys.selectors import stats_fields

FIELDS = [
    "provinces", "regencies", "districts", "villages", "officers", "villages_with_officer",
    "forums", "villages_with_forum", "reports", "problems_resolved",
]  # fmt: skip
BY_LENGTH = {"province": 2, "regency": 5}
COVERAGE = ["villages", "officers", "villages_with_officer", "forums", "villages_with_forum"]
LEVEL_FIELDS = {codes.PROVINCE: "provinces", codes.REGENCY: "regencies", codes.DISTRICT: "districts"}


def rollups_ready() -> None:
    """Build the rollups once if they never were (a fresh database)."""
    if not RollupState.objects.filter(built_at__isnull=False).exists():
        rollups_rebuild()


def _facts(year: int | None, level: int) -> dict[str, dict[str, int]]:
    qs = MonthlyFigures.objects.filter(level=level)
    if year:
        qs = qs.filter(month__gte=year * 100 + 1, month__lte=year * 100 + 12)
    rows = qs.values("prefix").annotate(
        reports=Sum("reports"), mediation=Sum("closed_mediation"), action=Sum("closed_action"),
    ).order_by()
    return {r["prefix"]: {"reports": r["reports"] or 0,
                          "problems_resolved": (r["mediation"] or 0) + (r["action"] or 0)}
            for r in rows}


def _region_counts(year: int, n: int | None) -> dict[str, dict[str, int]]:
    """Provinces, regencies and districts per prefix of length n (the country when None)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (CoverageFigures.objects.filter(year=year, level__in=LEVEL_FIELDS)
            .values_list("level", "prefix"))
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for level, prefix in rows:
        counts[(prefix[:n] if n else "", level)] += 1
    for (prefix, level), c in counts.items():
        out[prefix][LEVEL_FIELDS[level]] = c
    return out


def national_stats(*, year: int | None = None, by: str | None = None) -> dict:
    """{"totals": {...}, "rows": [...]}, rows per province or regency when `by` is given."""
    rollups_ready()
    coverage_year = year or timezone.localdate().year
    coverage_year_ensure(year=coverage_year)
    levels = [0] + ([codes.PROVINCE if by == "province" else codes.REGENCY] if by else [])
    coverage = {(c["level"], c["prefix"]): c for c in CoverageFigures.objects.filter(
        year=coverage_year, level__in=levels).values("level", "prefix", *COVERAGE)}
    facts = {level: _facts(year, level) for level in levels}

    def row(level: int, prefix: str, counts: dict[str, int]) -> dict[str, int]:
        cov = coverage.get((level, prefix), {})
        values = {**{f: cov.get(f, 0) for f in COVERAGE}, **counts, **facts[level].get(prefix, {})}
        return {f: values.get(f, 0) for f in FIELDS}

    totals = row(0, "", _region_counts(coverage_year, None).get("", {}))
    rows = []
    if by:
        level = levels[1]
        regions = _region_counts(coverage_year, BY_LENGTH[by])
        for region in Region.objects.filter(level=level).order_by("code").values("code", "name"):
            rows.append({"code": region["code"], "name": region["name"],
                         **row(level, region["code"], regions.get(region["code"], {}))})
    # Survey indicators (feel_safe_pct, trust_police_pct with _ci and _n) from the latest wave.
    survey_totals, survey_rows = stats_fields(codes=[r["code"] for r in rows])
    totals.update(survey_totals)
    for r in rows:
        r.update(survey_rows[r["code"]])
    return {"year": year, "totals": totals, "rows": rows}
