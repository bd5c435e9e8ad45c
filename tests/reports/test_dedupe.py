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
