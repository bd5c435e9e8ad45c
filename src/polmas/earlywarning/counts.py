"""Weekly counts per village (per district for sensitive matters) and category group, built
from the reports the statistics count (reports.selectors.reports_counted). Rebuilding a range
of weeks replaces it whole, in one transaction: safe to rerun, readers never see half."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncWeek

from polmas.earlywarning.groups import DISTRICT_ONLY, group_of
from polmas.earlywarning.models import WeeklyCount
from polmas.reports.selectors import reports_counted


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def weekly_counted(*, since: dt.date, until: dt.date) -> Counter:
    """{(place, group, monday): reports} for reports received in [since, until) (Mondays, UTC)."""
    rows = (reports_counted().filter(created_at__gte=_start(since), created_at__lt=_start(until))
            .values(place=F("village"), cat_group=F("category__group"), sealed=F("category__sensitive"),
                    monday=TruncWeek("created_at", tzinfo=dt.UTC))
            .annotate(n=Count("pk")).order_by())
    out: Counter = Counter()
    for row in rows:
        group = group_of(row["cat_group"], row["sealed"])
        if group is None:
            continue
        place = row["place"][:8] if group in DISTRICT_ONLY else row["place"]
        monday = row["monday"]
        monday = monday.date() if isinstance(monday, dt.datetime) else monday
        out[(place, group, monday)] += row["n"]
    return out


def weekly_counts_refresh(*, since: dt.date, until: dt.date) -> int:
    """Recount the weeks [since, until) from the reports, replacing what was stored for them.
    A system job (no caller). Returns the rows stored."""
    counted = weekly_counted(since=since, until=until)
    rows = [WeeklyCount(region_id=place, group=group, week=monday, count=n)
            for (place, group, monday), n in counted.items()]
    with transaction.atomic():
        WeeklyCount.objects.filter(week__gte=since, week__lt=until).delete()
        WeeklyCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def first_week() -> dt.date | None:
    """The Monday of the first week with a counted report, or None without any."""
    first = reports_counted().order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return None
    day = first.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())
