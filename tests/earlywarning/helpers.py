"""Reports at chosen times, written in bulk (the intake would stamp them now)."""

import datetime as dt
import hashlib

from polmas.earlywarning.groups import latest_complete_week
from polmas.reports.models import Category, Report

TODAY = dt.date(2026, 12, 5)
LAST = latest_complete_week(TODAY)  # Monday 2026-11-23


def reports_add(village: str, category: str, monday: dt.date, n: int, *, tag: str = "") -> None:
    cat = Category.objects.get(code=category)
    at = dt.datetime.combine(monday, dt.time(10), tzinfo=dt.UTC)
    rows = [Report(category=cat, description="x", village_id=village, channel=Report.Channel.WEB,
                   sensitive=cat.sensitive,
                   tracking_hash=hashlib.sha256(f"{tag}{village}{category}{monday}{i}".encode()).hexdigest())
            for i in range(n)]
    made = Report.objects.bulk_create(rows)
    Report.objects.filter(pk__in=[r.pk for r in made]).update(created_at=at)


def background(villages: list[str], *, weeks: int = 30) -> None:
    """A quiet history: one theft every third week in each village, for `weeks` weeks."""
    for k in range(3, weeks):
        for i, village in enumerate(villages):
            if (k + i) % 3 == 0:
                reports_add(village, "theft", LAST - dt.timedelta(weeks=k), 1, tag="bg")
