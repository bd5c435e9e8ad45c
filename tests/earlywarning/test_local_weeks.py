"""Issue 19: a week is the village's own (WIB, WITA, WIT), not UTC's. A theft at 02:00 on a
Monday in Bali (WITA) is Sunday 18:00 UTC: it belongs to the Monday's week."""

import datetime as dt
import hashlib

import pytest

from earlywarning.helpers import LAST
from polmas.earlywarning.counts import local_zone, weekly_counted, weekly_counts_refresh
from polmas.earlywarning.models import WeeklyCount
from polmas.regions.models import Region
from polmas.reports.models import Category, Report

pytestmark = pytest.mark.django_db
LES = "51.08.09.2007"  # WITA, UTC+8


def _report(village: str, at: dt.datetime, category: str = "theft", tag: str = "") -> None:
    cat = Category.objects.get(code=category)
    made = Report.objects.create(category=cat, description="x", village_id=village,
                                 channel=Report.Channel.WEB, sensitive=cat.sensitive,
                                 tracking_hash=hashlib.sha256(f"lw{tag}{village}{at}".encode()).hexdigest())
    Report.objects.filter(pk=made.pk).update(created_at=at)


def _village(offset: int) -> str:
    villages = Region.objects.filter(level=4, utc_offset=offset).order_by("code")
    return villages.values_list("code", flat=True)[0]


@pytest.mark.parametrize("offset", [7, 8, 9])
def test_a_report_early_on_monday_local_time_counts_in_that_week(offset):
    village = _village(offset)
    monday_1am = dt.datetime.combine(LAST, dt.time(1), tzinfo=local_zone(offset))  # Sunday in UTC
    assert monday_1am.astimezone(dt.UTC).date() == LAST - dt.timedelta(days=1)
    _report(village, monday_1am)
    sunday_late = dt.datetime.combine(LAST - dt.timedelta(days=1), dt.time(23, 30), tzinfo=local_zone(offset))
    _report(village, sunday_late, tag="b")  # the week before, there
    counted = weekly_counted(since=LAST - dt.timedelta(weeks=1), until=LAST + dt.timedelta(weeks=1))
    assert counted[(village, "property", LAST)] == 1
    assert counted[(village, "property", LAST - dt.timedelta(weeks=1))] == 1


def test_the_stored_counts_and_a_sensitive_district_follow_the_zone():
    monday_2am_wita = dt.datetime.combine(LAST, dt.time(2), tzinfo=local_zone(8))
    _report(LES, monday_2am_wita, category="domestic_violence")
    weekly_counts_refresh(since=LAST - dt.timedelta(weeks=2), until=LAST + dt.timedelta(weeks=1))
    rows = list(WeeklyCount.objects.filter(region_id="51.08.09", group="sensitive")
                .values_list("week", "count"))
    assert rows == [(LAST, 1)]


def test_a_village_without_an_offset_counts_in_wib():
    Region.objects.filter(code=LES).update(utc_offset=None)
    at = dt.datetime.combine(LAST, dt.time(3), tzinfo=local_zone(7))  # Sunday 20:00 UTC
    _report(LES, at)
    counted = weekly_counted(since=LAST - dt.timedelta(weeks=1), until=LAST + dt.timedelta(weeks=1))
    assert counted[(LES, "property", LAST)] == 1
