"""The reads every report makes before it is stored, kept cheap (issue 3, "Speed").

The catalogue, the villages that exist and each village's Polsek change rarely: they come
from per-process snapshots (see snapshots.py). What must hold at once (blocks, the hourly
limit, earlier reports) is read every time, in SQL over reports' own tables on indexed
columns: the sender's questions (a resent client UUID, blocks, the hourly limit) and the
likely duplicate are asked together in one statement.
"""

import datetime as dt
import uuid

from django.db import connection

from polmas.forums import selectors as forum_selectors
from polmas.policing import selectors as policing_selectors
from polmas.policing.models import Jurisdiction, PoliceUnit
from polmas.policing.tree import unit_for_region
from polmas.regions.models import Region
from polmas.reports.models import Category, Report
from polmas.reports.snapshots import Memo, Snapshot, clear_on_change


def _active_categories() -> dict[str, Category]:
    return {c.code: c for c in Category.objects.filter(active=True)}


def _village(code: str) -> tuple[float | None, float | None] | None:
    """(latitude, longitude) of the village with this code; None: no such village."""
    return Region.objects.filter(code=code).values_list("latitude", "longitude").first()


def _polsek_of(code: str) -> int | None:
    unit = unit_for_region(code=code, kind="polsek")
    return unit.pk if unit else None


catalogue: Snapshot[dict[str, Category]] = Snapshot(_active_categories)
# Only villages that exist are kept: anyone can make up codes.
villages: Memo[tuple[float | None, float | None] | None] = Memo(
    _village, remember=lambda found: found is not None)
polsek: Memo[int | None] = Memo(_polsek_of)


def connect() -> None:
    """Empty the copies when this process saves what they hold (AppConfig.ready)."""
    clear_on_change(catalogue, Category, uid="reports-catalogue")
    clear_on_change(villages, Region, uid="reports-villages")
    clear_on_change(polsek, PoliceUnit, Jurisdiction, uid="reports-polsek")


def category(code: str) -> Category | None:
    """The active category with this code."""
    return catalogue.get().get(code)


def village(code: str) -> tuple[float | None, float | None] | None:
    """The centre (latitude, longitude; either may be None) of the village with this code;
    None: no such village."""
    return villages.get(code)


def village_exists(code: str) -> bool:
    return villages.get(code) is not None


def village_point(code: str) -> tuple[float, float] | None:
    """The centre of the village with this code; None if it has none (or does not exist)."""
    found = villages.get(code)
    if found is None or found[0] is None or found[1] is None:
        return None
    return found[0], found[1]


def polsek_of(code: str, *, keep: bool | None = None) -> int | None:
    """The Polsek whose jurisdiction covers the village most narrowly (policing.tree).
    `keep=True` from a transaction that writes no police units or jurisdictions: the answer
    may be kept although it was read inside a transaction (snapshots.Memo)."""
    return polsek.get(code, keep=keep)


# --- read every time ---------------------------------------------------------------------

def _one(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def value_of(subquery: tuple[str, list]) -> object:
    """What a scalar subquery (SQL and parameters) answers, asked on its own."""
    row = _one(f"SELECT {subquery[0]}", subquery[1])  # noqa: S608 (built of placeholders)
    return row[0] if row else None


def when(value: dt.datetime) -> object:
    """A datetime as the backend stores it (SQLite: UTC text; PostgreSQL: as is)."""
    return connection.ops.adapt_datetimefield_value(value)


def report_with_uuid(client_uuid: uuid.UUID) -> int | None:
    field = Report._meta.get_field("client_uuid")
    row = _one("SELECT id FROM reports_report WHERE client_uuid = %s",
               [field.get_db_prep_value(client_uuid, connection)])
    return row[0] if row else None


def sender_checks(*, client_uuid: uuid.UUID | None, hashes: list[tuple[str, str]], now: dt.datetime,
                  client_key: str, since: dt.datetime, at_most: int,
                  original: tuple[str, list] | None = None) -> tuple[int | None, bool, int, int | None]:
    """What intake asks before it stores a report, in one statement of subqueries (each
    planned on its own index, as separate statements would be):
    - the report already stored under `client_uuid` (None: none, or no UUID given);
    - whether any (kind, value_hash) of `hashes` has a block in force at `now` (no end, or an
      end not yet past);
    - the anonymous reports from `client_key` since `since`, counted up to `at_most` (reading
      at most that many index entries however busy the address is); 0 without a key or limit;
    - the answer of `original`, a scalar subquery and its parameters (dedupe.original_query):
      the report the new one probably repeats (None: none, or not asked).
    """
    parts, params = [], []
    if client_uuid is not None:
        parts.append("(SELECT id FROM reports_report WHERE client_uuid = %s)")
        params.append(Report._meta.get_field("client_uuid").get_db_prep_value(client_uuid, connection))
    else:
        parts.append("NULL")
    if hashes:
        either = " OR ".join(["(kind = %s AND value_hash = %s)"] * len(hashes))
        parts.append(f"(SELECT 1 FROM reports_block WHERE ({either}) "  # noqa: S608 (placeholders only)
                     "AND (until IS NULL OR until >= %s) LIMIT 1)")
        params += [x for pair in hashes for x in pair] + [when(now)]
    else:
        parts.append("NULL")
    if client_key and at_most > 0:
        parts.append("(SELECT COUNT(*) FROM (SELECT 1 FROM reports_report WHERE client_key = %s "
                     "AND created_at >= %s AND submitted_by_id IS NULL LIMIT %s) AS recent)")
        params += [client_key, when(since), at_most]
    else:
        parts.append("0")
    if original is not None:
        parts.append(original[0])
        params += original[1]
    else:
        parts.append("NULL")
    if not params:
        return None, False, 0, None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 (placeholders only)
        row = cursor.fetchone()
    earlier, block, recent, twin = row if row else (None, None, 0, None)
    return earlier, block is not None, recent or 0, twin


def postings_and_forums(codes: list[str]) -> dict[str, tuple[int | None, list[int]]]:
    """For each village, the officer posted to it and its standing forums, for a batch of
    reports, in two queries (the rules are policing's and forums' own selectors)."""
    if not codes:
        return {}
    officers = policing_selectors.posted_officers(codes)
    forums = forum_selectors.standing_forums_by_village(codes)
    return {code: (officers.get(code), forums.get(code, [])) for code in codes}


def ppa_units(prefixes: list[str], *, role: str) -> list[int]:
    """Units where someone holds `role` and whose jurisdiction has one of `prefixes`."""
    return policing_selectors.units_holding(role, prefixes)


# The condition of the indexes on the reports that may be an original (models.ORIGINALS),
# spelt as the migration spelt it on each backend: SQLite uses a partial index only for a
# query that repeats its condition word for word (tests/reports/test_dedupe.py reads the
# indexes' definitions back from SQLite's schema and checks that they end with it).
ORIGINALS_SQL = {
    "sqlite": '("duplicate_of_id" IS NULL AND "likely_duplicate_of_id" IS NULL AND "spam" = 0)',
    "postgresql": '("duplicate_of_id" IS NULL AND "likely_duplicate_of_id" IS NULL AND NOT "spam")',
}


def _originals(vendor: str) -> str:
    return ORIGINALS_SQL[vendor]


def original_near(*, category_id: int, since: dt.datetime, box: tuple[float, float, float, float],
                  centre: tuple[float, float], km_per_degree: tuple[float, float],
                  radius_km: float) -> tuple[str, list]:
    """A scalar subquery: the first report (received, then id) of the category since `since`
    that may be an original (no duplicate, no likely duplicate, no spam), in `box` (lat min,
    lat max, lon min, lon max) and within `radius_km` of `centre` (lat, lon), the distance
    measured flat with `km_per_degree` (of latitude, of longitude at the centre): at 500 m
    the earth's curve changes it by less than a millimetre. Read from the index
    report_original_near alone, a narrow band of latitude."""
    lat, lon = centre
    k_lat, k_lon = km_per_degree
    # Without statistics SQLite would rather walk the category's index by time, which gives
    # the ORDER BY for free, through every report of the category in the window.
    table = "reports_report"
    if connection.vendor == "sqlite":
        table += " INDEXED BY report_original_near"
    return (f"(SELECT id FROM {table} WHERE category_id = %s "  # noqa: S608 (placeholders only)
            "AND latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s "
            f"AND created_at >= %s AND {_originals(connection.vendor)} "
            "AND ((latitude - %s) * %s) * ((latitude - %s) * %s) "
            "+ ((longitude - %s) * %s) * ((longitude - %s) * %s) <= %s "
            "ORDER BY created_at, id LIMIT 1)",
            [category_id, *box, when(since), lat, k_lat, lat, k_lat, lon, k_lon, lon, k_lon, radius_km ** 2])


def original_in_village(*, category_id: int, since: dt.datetime, village: str,
                        unlocated: bool) -> tuple[str, list]:
    """A scalar subquery: the first such report of the village (only those without a location
    if `unlocated`), read from the index report_original_village, in its order."""
    extra = " AND latitude IS NULL" if unlocated else ""
    return ("(SELECT id FROM reports_report WHERE region_code = %s AND category_id = %s "  # noqa: S608
            f"AND created_at >= %s AND {_originals(connection.vendor)}{extra} "
            "ORDER BY created_at, id LIMIT 1)",
            [village, category_id, when(since)])
