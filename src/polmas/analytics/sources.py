"""Where the monthly figures come from: one small definition per source table.

Adding a source is adding a function that returns a Source: the table (or a subquery), the
timestamp whose month the row counts in, the category column (None when the records have
none) and the SQL expression summed into each counter it feeds.
"""

from dataclasses import dataclass, field

from django.apps import apps

from polmas.analytics.models import BUCKETS, COUNTERS, OUTCOME_FIELDS, RESOLVE_EDGES
from polmas.analytics.sql import hours_between, month_key

RESOLVED = ("resolved_mediation", "resolved_action")


@dataclass
class Source:
    name: str
    table: str  # a table name or a parenthesised subquery with an alias
    time: str
    category: str | None
    counters: dict[str, str]
    where: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)


def _table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def reports() -> Source:
    """Residents' reports, by the month received (spam and merged duplicates left out)."""
    return Source(
        name="reports", table=_table("reports.Report"), time="created_at", category="category_id",
        counters={
            "reports": "1",
            "reports_responded": _flag("first_response_at IS NOT NULL"),
            "report_response_hours": f"COALESCE({hours_between('created_at', 'first_response_at')}, 0)",
        },
        where=["spam = %s", "duplicate_of_id IS NULL"], params=[False],
    )


def cases_opened() -> Source:
    """Cases by the month opened, with the time to first response."""
    return Source(
        name="cases opened", table=_table("cases.Case"), time="opened_at", category="category_id",
        counters={
            "cases_opened": "1",
            "cases_responded": _flag("first_response_at IS NOT NULL"),
            "case_response_hours": f"COALESCE({hours_between('opened_at', 'first_response_at')}, 0)",
        },
    )


def cases_closed() -> Source:
    """Cases by the month closed: the outcome, and for resolved ones the time to resolve."""
    resolved = "outcome IN ('resolved_mediation', 'resolved_action')"
    counters = {f: _flag(f"outcome = '{o}'") for o, f in OUTCOME_FIELDS.items()}
    counters["resolve_n"] = _flag(resolved)
    counters["resolve_hours"] = f"CASE WHEN {resolved} THEN h ELSE 0 END"
    lower = 0
    for bucket, edge in zip(BUCKETS, [*RESOLVE_EDGES, None], strict=True):
        upper = f" AND h < {edge * 24}" if edge is not None else ""
        counters[bucket] = _flag(f"{resolved} AND h >= {lower * 24}{upper}")
        lower = edge or 0
    table = (f"(SELECT region_code, category_id, outcome, closed_at, "  # noqa: S608  identifiers only; values are parameters
             f"{hours_between('opened_at', 'closed_at')} AS h FROM {_table('cases.Case')} "
             f"WHERE closed_at IS NOT NULL AND outcome <> '') c")
    return Source(name="cases closed", table=table, time="closed_at", category="category_id",
                  counters=counters)


def activities() -> Source:
    """Officers' field activities by the month they happened; visits counted apart."""
    return Source(name="activities", table=_table("activities.Activity"), time="occurred_at",
                  category=None, counters={"activities": "1", "visits": _flag("kind = 'visit'")})


def meetings() -> Source:
    """Forum meetings held, by the month held."""
    return Source(name="meetings", table=_table("forums.Meeting"), time="held_at", category=None,
                  counters={"meetings": "1"}, where=["status = %s"], params=["held"])


SOURCES = [reports, cases_opened, cases_closed, activities, meetings]


def select_sql(source: Source, extra_where: str = "", extra_params: list | None = None
               ) -> tuple[str, list]:
    """SELECT prefix, month, category_id, <every counter> grouped by village, month and
    category; counters the source does not feed are 0."""
    month = month_key(source.time)
    category = source.category or "CAST(NULL AS BIGINT)"  # typed: PostgreSQL would guess text
    sums = ", ".join(f"SUM({source.counters[c]}) AS {c}" if c in source.counters else f"0 AS {c}"
                     for c in COUNTERS)
    where = [f"{source.time} IS NOT NULL", *source.where]
    params = list(source.params)
    if extra_where:
        where.append(extra_where)
        params += extra_params or []
    group = f"region_code, {month}" + (f", {source.category}" if source.category else "")
    sql = (f"SELECT region_code AS prefix, {month} AS month, {category} AS category_id, {sums} "  # noqa: S608  identifiers only; values are parameters
           f"FROM {source.table} WHERE {' AND '.join(where)} GROUP BY {group}")
    return sql, params
