"""The rollups count exactly what the raw tables hold, at every level."""

import datetime as dt

import pytest
from django.db.models import Sum

from polmas.activities.models import Activity
from polmas.analytics.counting import active_assignments, standing_forums
from polmas.analytics.models import COUNTERS, CoverageFigures, MonthlyFigures
from polmas.analytics.services import rollups_rebuild
from polmas.cases.models import Case
from polmas.forums.models import Meeting
from polmas.policing.models import Officer
from polmas.regions.models import Region
from polmas.reports.models import Report

from .factories import dataset

pytestmark = pytest.mark.django_db


def sums(**filters) -> dict:
    return MonthlyFigures.objects.filter(**filters).aggregate(**{c: Sum(c) for c in COUNTERS})


def months(year: int) -> dict:
    return {"month__gte": year * 100 + 1, "month__lte": year * 100 + 12}


def in_year(field: str, year: int) -> dict:
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    return {f"{field}__gte": start, f"{field}__lt": start.replace(year=year + 1)}


@pytest.mark.parametrize("prefix, level", [("", 0), ("51", 1), ("34", 1), ("51.08", 2), ("51.08.09", 3),
                                           ("51.08.09.2007", 4)])
def test_monthly_figures_equal_raw_counts_at_every_level(prefix, level):
    dataset()
    rollups_rebuild()
    under = {"village_id__gte": prefix, "village_id__lt": prefix + "/"} if prefix else {}
    for year in (2024, 2025):
        got = sums(level=level, prefix=prefix, **months(year))
        reports = Report.objects.filter(spam=False, duplicate_of__isnull=True, **under,
                                        **in_year("created_at", year))
        closed = Case.objects.filter(closed_at__isnull=False, **under, **in_year("closed_at", year))
        assert (got["reports"] or 0) == reports.count()
        assert (got["reports_responded"] or 0) == reports.filter(first_response_at__isnull=False).count()
        opened = Case.objects.filter(**under, **in_year("opened_at", year))
        assert (got["cases_opened"] or 0) == opened.count()
        assert (got["closed_mediation"] or 0) == closed.filter(outcome="resolved_mediation").count()
        assert (got["closed_not_resolved"] or 0) == closed.filter(outcome="not_resolved").count()
        resolved = closed.filter(outcome__in=Case.RESOLVED)
        assert (got["resolve_n"] or 0) == resolved.count()
        assert sum(got[f"resolve_d{i}"] or 0 for i in range(14)) == resolved.count()
        hours = sum((c.closed_at - c.opened_at).total_seconds() / 3600 for c in resolved)
        assert (got["resolve_hours"] or 0) == pytest.approx(hours, abs=0.01)
        activities = Activity.objects.filter(**under, **in_year("occurred_at", year))
        assert (got["activities"] or 0) == activities.count()
        assert (got["visits"] or 0) == activities.filter(kind="visit").count()
        meetings = Meeting.objects.filter(status="held", **under, **in_year("held_at", year))
        assert (got["meetings"] or 0) == meetings.count()


def test_the_days_to_resolve_histogram_puts_each_case_in_its_bucket():
    dataset(n=60)
    rollups_rebuild()
    edges = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180, 10**9]
    got = sums(level=0)
    resolved = Case.objects.filter(closed_at__isnull=False, outcome__in=Case.RESOLVED)
    days = [(c.closed_at - c.opened_at).total_seconds() / 86400 for c in resolved]
    for i in range(14):
        assert (got[f"resolve_d{i}"] or 0) == sum(edges[i] <= d < edges[i + 1] for d in days)


def test_coverage_counts_villages_postings_forums_and_officers():
    rollups_rebuild()
    year = dt.date.today().year
    bali = CoverageFigures.objects.get(year=year, level=1, prefix="51")
    under = {"village_id__gte": "51", "village_id__lt": "51/"}
    assert bali.villages == Region.objects.under("51").filter(level=4).count()
    assert bali.villages_with_officer == active_assignments(dt.date.today()).filter(**under).values(
        "village_id").distinct().count()
    assert bali.villages_with_forum == standing_forums(dt.date.today()).filter(**under).values(
        "village_id").distinct().count()
    assert bali.forums == standing_forums(dt.date.today()).filter(**under).count()
    assert bali.officers == Officer.objects.filter(function="bhabinkamtibmas", active=True,
                                                   unit__region__code__startswith="51").count()
    national = CoverageFigures.objects.get(year=year, level=0, prefix="")
    assert national.villages == Region.objects.filter(level=4).count()
    les = CoverageFigures.objects.get(year=year, level=4, prefix="51.08.09.2007")
    assert (les.villages, les.villages_with_officer, les.lacks) == (1, 1, 1 - les.villages_with_forum)


def test_a_rebuild_twice_gives_the_same_rows():
    dataset(n=40)
    rollups_rebuild()
    first = rows()
    rollups_rebuild()
    assert rows() == first and len(first) > 100


def rows() -> list[tuple]:
    return sorted((r[0], r[1], r[2], r[3] or 0, *r[4:]) for r in MonthlyFigures.objects.values_list(
        "level", "prefix", "month", "category_id", "reports", "cases_opened", "visits"))
