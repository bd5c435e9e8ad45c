"""Building the monthly figures: a full rebuild, and the refresh of a few villages.

Villages are counted by the apps that own the records, one grouped queryset per source (see
sources.py), written with one INSERT .. SELECT each. Every level above is then the sum of
the level below, grouped by `substr(prefix, 1, n)` over the rollup table itself: the raw
tables are read once, not once per level.
"""

from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from polmas.analytics.models import COUNTERS, FLOAT_COUNTERS, MonthlyFigures, RollupState
from polmas.analytics.sources import SOURCES
from polmas.analytics.sql import in_list
from polmas.core.db.insert_select import insert_select
from polmas.regions import codes

TABLE = MonthlyFigures._meta.db_table
COLUMNS = "level, prefix, month, category_id, " + ", ".join(COUNTERS)
# Level -> prefix length; 0 is the country.
LENGTHS = {0: 0, **codes.LEVEL_LENGTHS}


def lock() -> RollupState:
    """Take the rollup lock (one row): a rebuild and refreshes run one at a time."""
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def _insert_villages(villages: list[str] | None = None) -> None:
    """Village rows straight from each source's grouped rows (of `villages`, or all), one
    INSERT .. SELECT per source: a village, month and category fed by several sources has one
    row per source (readers sum), which spares re-sorting millions of rows to merge them."""
    for make in SOURCES:
        source = make()
        columns = {"prefix": "village_code", "month": "month", **source.counters}
        constants: dict[str, int | None] = {"level": codes.VILLAGE}
        if source.category:
            columns["category_id"] = "category_pk"
        else:
            constants["category_id"] = None
        constants |= {c: 0 for c in COUNTERS if c not in source.counters}
        insert_select(MonthlyFigures, source.rows(villages), columns=columns, constants=constants)


def _insert_level(level: int, where: str = "", params: list | None = None) -> None:
    """Rows of `level` as sums of the rows one level down (optionally restricted)."""
    n = LENGTHS[level]
    prefix = f"substr(prefix, 1, {n})" if n else "''"
    group = f"{prefix}, " if n else ""  # PostgreSQL refuses a constant in GROUP BY
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    cond = f"level = {level + 1}" + (f" AND {where}" if where else "")
    sql = (f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {level}, {prefix}, month, category_id, {sums} "  # noqa: S608  identifiers only; values are parameters
           f"FROM {TABLE} WHERE {cond} GROUP BY {group}month, category_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def facts_rebuild(step: Callable[[str], None] | None = None) -> None:
    """Replace every monthly row. Call inside the transaction holding the lock."""
    MonthlyFigures.objects.all().delete()
    _insert_villages()
    if step:
        step("villages")
    for level in (codes.DISTRICT, codes.REGENCY, codes.PROVINCE, 0):
        _insert_level(level)
        if step:
            step(f"level {level}")


# Positions of the float counters among a row's sums: only these are rounded to compare.
_FLOATS = frozenset(i for i, c in enumerate(COUNTERS) if c in FLOAT_COUNTERS)


def _village_rows(villages: list[str]) -> dict[tuple, tuple]:
    """The villages' summed rows by (village, month, category), to tell which months a
    refresh changed. Plain SQL: it runs twice per refresh, and the ORM's compiling of 30
    sums cost more than the read (the recount holds intake's write turn on SQLite)."""
    where, params = in_list("prefix", villages)
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT prefix, month, category_id, {sums} FROM {TABLE} "  # noqa: S608  identifiers only
                       f"WHERE level = %s AND {where} GROUP BY prefix, month, category_id",
                       [codes.VILLAGE, *params])
        rows = cursor.fetchall()
    return {r[:3]: tuple(round(v, 6) if i in _FLOATS else v for i, v in enumerate(r[3:])) for r in rows}


def facts_refresh(villages: list[str]) -> set[int]:
    """Recount `villages` from the raw tables and re-add their ancestors for the months that
    changed; returns those months. Call inside the transaction holding the lock."""
    villages = sorted({v for v in villages if codes.is_valid(v) and codes.level_of(v) == codes.VILLAGE})
    if not villages:
        return set()
    before = _village_rows(villages)
    MonthlyFigures.objects.filter(level=codes.VILLAGE, prefix__in=villages).delete()
    _insert_villages(villages)
    after = _village_rows(villages)
    months = {key[1] for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    if not months:
        return months
    month_list = sorted(months)
    for level in (codes.DISTRICT, codes.REGENCY, codes.PROVINCE, 0):
        n = LENGTHS[level]
        for prefix in sorted({v[:n] for v in villages}):
            MonthlyFigures.objects.filter(level=level, prefix=prefix, month__in=month_list).delete()
            month_sql, month_params = in_list("month", [str(m) for m in month_list])
            where, params = month_sql, [int(m) for m in month_params]
            if n:
                where += " AND prefix >= %s AND prefix < %s"
                params += [prefix, prefix + "/"]
            _insert_level(level, where, params)
    return months


def rollup_years() -> list[int]:
    """Years with any monthly figures, and the current year."""
    months = MonthlyFigures.objects.filter(level=0).values_list("month", flat=True).distinct()
    return sorted({m // 100 for m in months} | {timezone.localdate().year})


def state_touch(*, built: bool) -> None:
    now = timezone.now()
    fields = {"updated_at": now, **({"built_at": now} if built else {})}
    RollupState.objects.filter(pk=1).update(**fields)
