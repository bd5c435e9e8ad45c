"""Likely duplicates: same category, within 500 m or the same village, within 72 h of the first."""

import pytest

from polmas.reports.models import Report
from reports.helpers import DEPOK_VILLAGE, LES, age, place, submit

pytestmark = pytest.mark.django_db

M_PER_DEG_LAT = 111_000


def near_les(metres_north: float = 0) -> dict:
    les = place()
    return {"village": LES, "latitude": les.latitude + metres_north / M_PER_DEG_LAT,
            "longitude": les.longitude}


def test_a_second_report_in_the_same_village_is_flagged_as_a_likely_duplicate():
    first = submit().report
    second = submit(description="Motor hilang dari parkiran.")
    assert second.duplicate and second.report.likely_duplicate_of_id == first.pk
    assert Report.objects.get(pk=second.report.pk).likely_duplicate_of_id == first.pk


def test_another_category_or_another_village_is_not_a_duplicate():
    submit()
    assert not submit(category="noise", description="Musik keras sampai pagi.").duplicate
    assert not submit(village=DEPOK_VILLAGE).duplicate


def test_within_500_metres_is_a_duplicate_and_beyond_is_not():
    first = submit(**near_les(0)).report
    assert submit(**near_les(400)).report.likely_duplicate_of_id == first.pk
    assert submit(**near_les(-700)).report.likely_duplicate_of_id is None


def test_a_located_report_matches_an_earlier_one_of_its_village_without_a_location():
    first = submit().report
    assert submit(**near_les(0)).report.likely_duplicate_of_id == first.pk


def test_the_window_counts_from_the_first_report_not_the_latest():
    first = submit().report
    second = submit().report
    assert second.likely_duplicate_of_id == first.pk
    age(first, hours=73)
    age(second, hours=2)
    # Within 72 h of the second, but 73 h after the first: a new matter, not a repeat.
    third = submit()
    assert not third.duplicate and third.report.likely_duplicate_of_id is None


def test_a_report_71_hours_after_the_first_is_still_a_duplicate():
    first = submit().report
    age(first, hours=71)
    assert submit().report.likely_duplicate_of_id == first.pk


def test_spam_and_merged_reports_are_never_the_original():
    spam = submit().report
    Report.objects.filter(pk=spam.pk).update(spam=True)
    real = submit().report
    assert real.likely_duplicate_of_id is None
    merged = submit().report
    assert merged.likely_duplicate_of_id == real.pk
    Report.objects.filter(pk=merged.pk).update(duplicate_of=real, likely_duplicate_of=None)
    assert submit().report.likely_duplicate_of_id == real.pk


def test_the_dedupe_reads_repeat_the_partial_indexes_condition_and_use_them():
    """SQLite uses a partial index only for a query that repeats its condition word for word:
    the lookups spell models.ORIGINALS as the migration did, and their plans use the indexes."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from polmas.reports import lookups
    from polmas.reports.dedupe import original_query

    condition = lookups._originals(connection.vendor)
    assert "duplicate_of_id" in condition and "likely_duplicate_of_id" in condition and "spam" in condition
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL proves a partial index's condition itself; its plans follow its statistics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'report_original_%'")
        created = dict(cursor.fetchall())
    assert set(created) == {"report_original_near", "report_original_village"}
    assert all(sql.endswith(f"WHERE {condition}") for sql in created.values())
    les = place()
    with CaptureQueriesContext(connection) as reads:
        for lat, lon in ((les.latitude, les.longitude), (None, None)):
            lookups.value_of(original_query(category_id=1, village=LES, latitude=lat, longitude=lon,
                                            at=timezone.now() - dt.timedelta(hours=1)))
    plans = []
    with connection.cursor() as cursor:
        for read in reads.captured_queries:  # SQLite's copies carry their values written in
            cursor.execute("EXPLAIN QUERY PLAN " + read["sql"])
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    # A located report: one statement, the band and then the village's unlocated reports; an
    # unlocated one: the village's reports.
    assert len(plans) == 2, plans
    assert all(f"USING INDEX report_original_{name}" in plans[0] for name in ("near", "village"))
    assert "USING INDEX report_original_village" in plans[1]
    # Never the category's index by time, which holds every report of the category; the
    # village's reports in the index's order (only the band's few are sorted).
    assert not any("reports_rep_categor" in p for p in plans)
    assert plans[0].count("TEMP B-TREE") == 1 and "TEMP B-TREE" not in plans[1], plans


def test_a_report_flagged_or_marked_spam_leaves_the_originals_index_and_one_unmarked_returns():
    first = submit().report
    Report.objects.filter(pk=first.pk).update(spam=True)
    second = submit().report
    assert second.likely_duplicate_of_id is None
    Report.objects.filter(pk=first.pk).update(spam=False)
    # The first is an original again; the window counts from it.
    assert submit().report.likely_duplicate_of_id == first.pk
