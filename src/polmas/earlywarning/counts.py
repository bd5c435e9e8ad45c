"""Weekly counts per village (per district for sensitive matters) and category group, built
from the reports the statistics count (reports.selectors.reports_counted). Rebuilding a range
of weeks replaces each week whose counts changed, in a transaction of its own: safe to rerun,
and a reader never sees half a week. One transaction for the whole range held SQLite's write
lock for about 5 s on the demo's three years (123,000 rows), long enough for a request's write
to time out ("database is locked", a 500 in CI); now a run writes only the weeks that changed,
and lets waiting writers through between them.

A week is the village's own: Monday 00:00 to Sunday 24:00 in its zone (WIB, WITA or WIT, from
the region data), so a theft on Sunday night in Papua counts in the week it happened there,
not in the next one as UTC would have it. Every zone is ahead of UTC, so when a UTC week is
over, every village's week of the same dates is over too: `latest_complete_week` holds."""

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek

from polmas.core.db.writelock import checkpoint, pass_turn
from polmas.earlywarning.groups import DISTRICT_ONLY, group_of
from polmas.earlywarning.models import WeeklyCount
from polmas.regions.models import Region
from polmas.regions.zones import DEFAULT_OFFSET
from polmas.reports.selectors import reports_counted

IANA = {7: "Asia/Jakarta", 8: "Asia/Makassar", 9: "Asia/Jayapura"}  # WIB, WITA, WIT


def local_zone(offset: int | None) -> dt.tzinfo:
    """The zone of a village with UTC offset `offset` (hours; None: WIB, as regions.zones
    assumes). Indonesia's zones have no summer time, so the offset is the zone; the named
    IANA zone is used because both databases' week truncation know it by name."""
    hours = offset or DEFAULT_OFFSET
    name = IANA.get(hours)
    return ZoneInfo(name) if name else dt.timezone(dt.timedelta(hours=hours))


def _start(day: dt.date, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def weekly_counted(*, since: dt.date, until: dt.date) -> Counter:
    """{(place, group, monday): reports} for reports received in the local weeks [since,
    until) (Mondays), each in its village's zone: one query per zone in use."""
    out: Counter = Counter()
    offsets = {o or DEFAULT_OFFSET for o in
               Region.objects.filter(level=4).values_list("utc_offset", flat=True).distinct()}
    for hours in sorted(offsets):
        in_zone = Q(village__utc_offset=hours)
        if hours == DEFAULT_OFFSET:
            in_zone |= Q(village__utc_offset__isnull=True)
        _count(out, reports_counted().filter(in_zone), since, until, local_zone(hours))
    return out


def _count(out: Counter, reports, since: dt.date, until: dt.date, zone: dt.tzinfo) -> None:
    rows = (reports.filter(created_at__gte=_start(since, zone), created_at__lt=_start(until, zone))
            .values(place=F("village"), cat_group=F("category__group"), sealed=F("category__sensitive"),
                    monday=TruncWeek("created_at", tzinfo=zone))
            .annotate(n=Count("pk")).order_by())
    for row in rows:
        group = group_of(row["cat_group"], row["sealed"])
        if group is None:
            continue
        place = row["place"][:8] if group in DISTRICT_ONLY else row["place"]
        monday = row["monday"]
        monday = monday.date() if isinstance(monday, dt.datetime) else monday
        out[(place, group, monday)] += row["n"]


def weekly_counts_refresh(*, since: dt.date, until: dt.date) -> int:
    """Recount the weeks [since, until) from the reports, replacing what was stored for them.
    A system job (no caller). Returns the rows stored."""
    counted = weekly_counted(since=since, until=until)
    by_week: dict[dt.date, dict[tuple[str, str], int]] = defaultdict(dict)
    for (place, group, monday), n in counted.items():
        by_week[monday][(place, group)] = n
    stored_weeks = set(WeeklyCount.objects.filter(week__gte=since, week__lt=until)
                       .values_list("week", flat=True).distinct())
    for monday in sorted(set(by_week) | stored_weeks):
        fresh = by_week.get(monday, {})
        with transaction.atomic():
            stored = {(place, group): n for place, group, n in WeeklyCount.objects.filter(
                week=monday).values_list("region_id", "group", "count")}
            if stored == fresh:
                continue
            WeeklyCount.objects.filter(week=monday).delete()
            WeeklyCount.objects.bulk_create(
                [WeeklyCount(region_id=place, group=group, week=monday, count=n)
                 for (place, group), n in fresh.items()], batch_size=5000)
        pass_turn()
    checkpoint()
    return len(counted)


def first_week() -> dt.date | None:
    """The Monday of the first week with a counted report, or None without any."""
    first = reports_counted().order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return None
    day = first.astimezone(dt.UTC).date()  # UTC's day is never after the village's
    return day - dt.timedelta(days=day.weekday())
