"""Building the coverage figures: per region and year, villages, villages with an active
Bhabinkamtibmas and with a standing FKPM, officers and forums.

Villages are counted in one INSERT .. SELECT over the regions joined with the postings and
forums standing at the end of the year (the definitions of counting.py); the levels above
are sums of villages, except officers, which are counted by their unit's region (an
officer of a Polres counts in the regency, not in a district).
"""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Length, Substr
from django.utils import timezone

from polmas.analytics.counting import active_assignments, standing_forums
from polmas.analytics.models import CoverageFigures
from polmas.analytics.sql import in_list
from polmas.policing.models import Officer
from polmas.regions import codes
from polmas.regions.models import Region

TABLE = CoverageFigures._meta.db_table
LENGTHS = {0: 0, **codes.LEVEL_LENGTHS}
SUMMED = ("villages", "villages_with_officer", "villages_with_forum", "forums")


def as_of(year: int) -> dt.date:
    """The day a year's coverage is counted on: 31 December, or today in the current year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def _insert_villages(year: int, villages: list[str] | None) -> None:
    on = as_of(year)
    posted = (active_assignments(on).values(v=F("village_id"))
              .annotate(n=Count("officer_id", distinct=True)).order_by())
    forums = standing_forums(on).values(v=F("village_id")).annotate(n=Count("pk")).order_by()
    if villages is not None:
        posted, forums = posted.filter(village_id__in=villages), forums.filter(village_id__in=villages)
    posted_sql, posted_params = posted.query.sql_with_params()
    forums_sql, forums_params = forums.query.sql_with_params()
    where, params = "r.level = %s", [codes.VILLAGE]
    if villages is not None:
        cond, vp = in_list("r.code", villages)
        where, params = f"{where} AND {cond}", params + vp
    region = Region._meta.db_table
    sql = (
        f"INSERT INTO {TABLE} (level, prefix, year, villages, villages_with_officer, "  # noqa: S608  identifiers only; values are parameters
        f"villages_with_forum, officers, forums, lacks) "
        f"SELECT {codes.VILLAGE}, r.code, %s, 1, "
        f"CASE WHEN a.n > 0 THEN 1 ELSE 0 END, CASE WHEN f.n > 0 THEN 1 ELSE 0 END, "
        f"COALESCE(a.n, 0), COALESCE(f.n, 0), "
        f"CASE WHEN a.n > 0 THEN 0 ELSE 1 END + CASE WHEN f.n > 0 THEN 0 ELSE 1 END "
        f"FROM {region} r "
        f"LEFT JOIN ({posted_sql}) a ON a.v = r.code "
        f"LEFT JOIN ({forums_sql}) f ON f.v = r.code "
        f"WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, *posted_params, *forums_params, *params])


def _officers_by_unit_region() -> dict[str, int]:
    rows = (Officer.objects.filter(function=Officer.Function.BHABINKAMTIBMAS, active=True)
            .values("unit__region_id").annotate(n=Count("pk")).order_by())
    return {r["unit__region_id"]: r["n"] for r in rows if r["unit__region_id"] is not None}


def _officers_in(prefix: str, by_unit: dict[str, int]) -> int:
    if prefix == "":
        return sum(by_unit.values())
    return sum(n for code, n in by_unit.items() if code == prefix or code.startswith(prefix + "."))


def _insert_level(year: int, level: int) -> None:
    """Rows of `level`: sums of the level below, and officers counted by their unit's region."""
    n = LENGTHS[level]
    officers = (Officer.objects.filter(function=Officer.Function.BHABINKAMTIBMAS, active=True)
                .annotate(p=Substr("unit__region_id", 1, n) if n else Value(""),
                          size=Length("unit__region_id"))
                .filter(size__gte=n).values("p").annotate(o=Count("pk")).order_by())
    officers_sql, officers_params = officers.query.sql_with_params()
    prefix = f"substr(prefix, 1, {n})" if n else "''"
    sql = (
        f"INSERT INTO {TABLE} (level, prefix, year, villages, villages_with_officer, "  # noqa: S608
        f"villages_with_forum, officers, forums, lacks) "
        f"SELECT {level}, p, %s, SUM(v), SUM(wo), SUM(wf), SUM(o), SUM(f), 0 FROM ("
        f"SELECT {prefix} AS p, villages AS v, villages_with_officer AS wo, villages_with_forum AS wf, "
        f"0 AS o, forums AS f FROM {TABLE} WHERE year = %s AND level = %s "
        f"UNION ALL SELECT x.p, 0, 0, 0, x.o, 0 FROM ({officers_sql}) x"
        f") t GROUP BY p HAVING SUM(v) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, year, level + 1, *officers_params])


def coverage_rebuild_year(year: int) -> None:
    """Replace every coverage row of `year`."""
    CoverageFigures.objects.filter(year=year).delete()
    _insert_villages(year, None)
    for level in (codes.DISTRICT, codes.REGENCY, codes.PROVINCE, 0):
        _insert_level(year, level)


def coverage_refresh(year: int, villages: list[str], regions: list[str]) -> None:
    """Recount `villages` and every ancestor of them and of `regions` (e.g. the region of
    an officer's unit) for `year`."""
    if villages:
        CoverageFigures.objects.filter(year=year, level=codes.VILLAGE, prefix__in=villages).delete()
        _insert_villages(year, villages)
    prefixes = {(0, "")}
    for code in [*villages, *regions]:
        for level in (codes.PROVINCE, codes.REGENCY, codes.DISTRICT):
            if codes.level_of(code) >= level:
                prefixes.add((level, code[:LENGTHS[level]]))
    by_unit = _officers_by_unit_region()
    for level, prefix in sorted(prefixes, reverse=True):  # districts before their regency
        below = CoverageFigures.objects.filter(year=year, level=level + 1)
        if prefix:
            below = below.filter(prefix__gte=prefix, prefix__lt=prefix + "/")
        totals = below.aggregate(**{f: Sum(f) for f in SUMMED})
        CoverageFigures.objects.update_or_create(
            year=year, level=level, prefix=prefix,
            defaults={**{f: totals[f] or 0 for f in SUMMED},
                      "officers": _officers_in(prefix, by_unit)})


def coverage_years() -> list[int]:
    return sorted(set(CoverageFigures.objects.filter(level=0).values_list("year", flat=True)))
