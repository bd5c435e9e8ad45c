"""A year's records for analysts, as CSV or Parquet, streamed in constant memory.

What leaves: no identity (no name, contact, account, officer, free text, tracking code or
coordinates), times rounded down to the hour (UTC), places no finer than the village, and a
sealed record's place no finer than its district. Rows are read in chunks
(`QuerySet.iterator`, a server-side cursor on PostgreSQL) and written as they come: CSV line
by line, Parquet a row group at a time (pyarrow), so memory does not grow with the year
(bench/bulk_export.py measures 1 million rows).
"""

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import Q, QuerySet

from polmas.activities.models import Activity
from polmas.cases.models import Case
from polmas.core.scope import prefix_q
from polmas.forums.models import Meeting
from polmas.reports.models import Report

CHUNK = 5000  # rows read at once
ROW_GROUP = 50_000  # rows per Parquet row group (the most held in memory)
DISTRICT = 8  # "51.08.09": a district code's length


def hour(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def place(code: str, sealed: bool) -> str:
    return code[:DISTRICT] if sealed else code


@dataclass(frozen=True)
class Table:
    """One kind of record: its rows' query, the fields read, and how a row is written."""

    query: Callable[[], QuerySet]
    year_field: str
    fields: tuple[str, ...]
    columns: tuple[tuple[str, pa.DataType], ...]
    row: Callable[[tuple], tuple]


def _report_row(r: tuple) -> tuple:
    pk, created, occurred, category, channel, status, village, sensitive, gap, first, resolved = r
    return (pk, hour(created), hour(occurred), category, channel, status, place(village, sensitive),
            "district" if sensitive else "village", sensitive, gap, hour(first), hour(resolved))


def _case_row(r: tuple) -> tuple:
    pk, opened, closed, category, source, stage, outcome, village, sensitive, recurring, satisfied = r
    return (pk, hour(opened), hour(closed), category, source, stage, outcome, place(village, sensitive),
            "district" if sensitive else "village", sensitive, recurring, satisfied)


def _activity_row(r: tuple) -> tuple:
    pk, kind, occurred, village, households, audience = r
    return (pk, kind, hour(occurred), village, households, audience)


def _meeting_row(r: tuple) -> tuple:
    pk, forum, held, village = r
    return (pk, forum, hour(held), village)


TS = pa.timestamp("s", tz="UTC")
TABLES: dict[str, Table] = {
    "reports": Table(
        query=lambda: Report.objects.filter(spam=False), year_field="created_at",
        fields=("id", "created_at", "occurred_at", "category__code", "channel", "status", "village_id",
                "sensitive", "coverage_gap", "first_response_at", "resolved_at"),
        columns=(("id", pa.int64()), ("received_hour", TS), ("occurred_hour", TS), ("category", pa.string()),
                 ("channel", pa.string()), ("status", pa.string()), ("place", pa.string()),
                 ("place_level", pa.string()), ("sensitive", pa.bool_()), ("coverage_gap", pa.bool_()),
                 ("first_response_hour", TS), ("resolved_hour", TS)),
        row=_report_row),
    "cases": Table(
        query=lambda: Case.objects.all(), year_field="opened_at",
        fields=("id", "opened_at", "closed_at", "category__code", "source", "stage", "outcome", "village_id",
                "sensitive", "recurring", "community_satisfied"),
        columns=(("id", pa.int64()), ("opened_hour", TS), ("closed_hour", TS), ("category", pa.string()),
                 ("source", pa.string()), ("stage", pa.string()), ("outcome", pa.string()),
                 ("place", pa.string()), ("place_level", pa.string()), ("sensitive", pa.bool_()),
                 ("recurring", pa.bool_()), ("community_satisfied", pa.bool_())),
        row=_case_row),
    "activities": Table(
        query=lambda: Activity.objects.all(), year_field="occurred_at",
        fields=("id", "kind", "occurred_at", "village_id", "households", "audience"),
        columns=(("id", pa.int64()), ("kind", pa.string()), ("occurred_hour", TS), ("place", pa.string()),
                 ("households", pa.int64()), ("audience", pa.int64())),
        row=_activity_row),
    "meetings": Table(
        query=lambda: Meeting.objects.all(), year_field="held_at",
        fields=("id", "forum_id", "held_at", "village_id"),
        columns=(("id", pa.int64()), ("forum", pa.int64()), ("held_hour", TS), ("place", pa.string())),
        row=_meeting_row),
}


def bulk_rows(*, kind: str, year: int, prefixes: Iterable[str]) -> Iterator[tuple]:
    """The anonymised rows of `kind` in `year` under `prefixes` (the caller's checked scope),
    in no particular order, read CHUNK at a time."""
    table = TABLES[kind]
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    rows = (table.query()
            .filter(Q(**{f"{table.year_field}__gte": start, f"{table.year_field}__lt": end}))
            .filter(prefix_q("village_id", prefixes))
            # No ORDER BY: a sort of the whole year (a temporary B-tree of 110 MB at a
            # million reports on SQLite) would be the one thing growing with the rows.
            .order_by().values_list(*table.fields))
    for row in rows.iterator(chunk_size=CHUNK):
        yield table.row(row)


class _Echo:
    """csv.writer's file: hands each line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(kind: str, rows: Iterable[tuple]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _type in TABLES[kind].columns]).encode()
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow(["" if v is None else v.strftime("%Y-%m-%dT%H:00Z")
                                      if isinstance(v, dt.datetime) else v for v in row]))
        if len(batch) >= 1000:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


class _Sink:
    """A write-only file for pyarrow: keeps what was written until it is taken."""

    closed = False

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts = []
        return out


def parquet_stream(kind: str, rows: Iterable[tuple]) -> Iterator[bytes]:
    schema = pa.schema(list(TABLES[kind].columns))
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    batch: list[tuple] = []

    def group() -> bytes:
        columns = list(zip(*batch, strict=True))
        writer.write_table(pa.Table.from_arrays(
            [pa.array(col, type=t) for col, t in zip(columns, schema.types, strict=True)], schema=schema))
        batch.clear()
        return sink.take()

    for row in rows:
        batch.append(row)
        if len(batch) >= ROW_GROUP:
            yield group()
    if batch:
        yield group()
    writer.close()
    yield sink.take()
