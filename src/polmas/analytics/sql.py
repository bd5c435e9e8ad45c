"""The two expressions the rollups need that SQL spells differently per database: the
calendar month (UTC) of a timestamp as YYYYMM, and the hours between two timestamps.
Both stay native SQL (no per-row Python callback on SQLite), which keeps a national
rebuild to seconds per source."""

from django.db import connection


def month_key(column: str) -> str:
    """YYYYMM (an integer) of a timestamp column, in UTC."""
    if connection.vendor == "postgresql":
        return f"CAST(to_char({column} AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)"
    # SQLite keeps timestamps as UTC text: 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
    return f"CAST(substr({column}, 1, 4) || substr({column}, 6, 2) AS INTEGER)"


def hours_between(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"
    return f"((julianday({end}) - julianday({start})) * 24.0)"


def in_list(column: str, values: list[str]) -> tuple[str, list[str]]:
    """`column IN (%s, ...)` and its parameters; an empty list matches nothing."""
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
