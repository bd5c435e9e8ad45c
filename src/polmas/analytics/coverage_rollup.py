"""Building the coverage figures: per region and year, villages, villages with an active
Bhabinkamtibmas and with a standing FKPM, officers and forums.

Villages: one row each from regions' selector (one INSERT .. SELECT), then the postings and
forums standing at the end of the year, grouped by village by policing's and forums'
selectors, written onto those rows (only villages that have any); the levels above
are sums of villages, except officers, which are counted by their unit's region (an
officer of a Polres counts in the regency, not in a district).
"""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Sum
from django.utils import timezone

from polmas.analytics.counting import active_assignments, standing_forums
from polmas.analytics.models import CoverageFigures
from polmas.core.db.insert_select import insert_select
from polmas.policing.models import Officer
from polmas.regions import codes
from polmas.regions import selectors as region_selectors

TABLE = CoverageFigures._meta.db_table
LENGTHS = {0: 0, **codes.LEVEL_LENGTHS}
SUMMED = ("villages", "villages_with_officer", "villages_with_forum", "forums")


def as_of(year: int) -> dt.date:
    """The day a year's coverage is counted on: 31 December, or today in the current year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def _insert_villages(year: int, villages: list[str] | None) -> None:
    """One row per village (of `villages`, or every village, from regions' selector), lacking
    both; then its officers posted and its forums standing on as_of(year), counted as policing
    and forums define them (one grouped query each, villages without any left out), written
    onto the rows of the villages that have any."""
    on = as_of(year)
    rows = region_selectors.villages(codes_in=villages).order_by().values(village_code=F("code"))
    insert_select(CoverageFigures, rows, columns={"prefix": "village_code"},
                  constants={"level": codes.VILLAGE, "year": year, "villages": 1, "officers": 0, "forums": 0,
                             "villages_with_officer": 0, "villages_with_forum": 0, "lacks": 2})
    posted = active_assignments(on).values("village").annotate(n=Count("officer", distinct=True)).order_by()
    forums = standing_forums(on).values("village").annotate(n=Count("pk")).order_by()
    if villages is not None:
        posted, forums = posted.filter(village__in=villages), forums.filter(village__in=villages)
    with connection.cursor() as cursor:
        for count, has, found in (("officers", "villages_with_officer", posted),
                                  ("forums", "villages_with_forum", forums)):
            cursor.executemany(f"UPDATE {TABLE} SET {count} = %s, {has} = 1, lacks = lacks - 1 "  # noqa: S608  identifiers only
                               "WHERE year = %s AND level = %s AND prefix = %s",
                               [(r["n"], year, codes.VILLAGE, r["village"]) for r in found if r["n"] > 0])


def _officers_by_unit_region() -> dict[str, int]:
    rows = (Officer.objects.filter(function=Officer.Function.BHABINKAMTIBMAS, active=True)
            .values("unit__region_id").annotate(n=Count("pk")).order_by())
    return {r["unit__region_id"]: r["n"] for r in rows if r["unit__region_id"] is not None}


def _officers_in(prefix: str, by_unit: dict[str, int]) -> int:
    if prefix == "":
        return sum(by_unit.values())
    return sum(n for code, n in by_unit.items() if code == prefix or code.startswith(prefix + "."))


def _officers_at(level: int, by_unit: dict[str, int]) -> dict[str, int]:
    """Officers by the prefix of `level` of their unit's region (units above `level` left out)."""
    n, found = LENGTHS[level], {}
    for code, count in by_unit.items():
        if len(code) >= n:
            found[code[:n]] = found.get(code[:n], 0) + count
    return found


def _insert_level(year: int, level: int, by_unit: dict[str, int]) -> None:
    """Rows of `level`: sums of the level below, and officers counted by their unit's region."""
    n = LENGTHS[level]
    prefix = f"substr(prefix, 1, {n})" if n else "''"
    group = f" GROUP BY {prefix}" if n else ""  # PostgreSQL refuses a constant in GROUP BY
    sql = (
        f"INSERT INTO {TABLE} (level, prefix, year, villages, villages_with_officer, "  # noqa: S608  identifiers only; values are parameters
        f"villages_with_forum, officers, forums, lacks) "
        f"SELECT {level}, {prefix}, %s, SUM(villages), SUM(villages_with_officer), "
        f"SUM(villages_with_forum), 0, SUM(forums), 0 FROM {TABLE} WHERE year = %s AND level = %s{group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, year, level + 1])
    officers = _officers_at(level, by_unit)
    rows = [row for row in CoverageFigures.objects.filter(year=year, level=level).only("pk", "prefix")
            if row.prefix in officers]
    for row in rows:
        row.officers = officers[row.prefix]
    CoverageFigures.objects.bulk_update(rows, ["officers"], batch_size=500)


def coverage_rebuild_year(year: int) -> None:
    """Replace every coverage row of `year`."""
    CoverageFigures.objects.filter(year=year).delete()
    _insert_villages(year, None)
    by_unit = _officers_by_unit_region()
    for level in (codes.DISTRICT, codes.REGENCY, codes.PROVINCE, 0):
        _insert_level(year, level, by_unit)


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
