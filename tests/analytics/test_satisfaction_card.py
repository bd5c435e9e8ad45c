"""The dashboards' satisfaction card (issue 15): what residents answered to "is it fixed?"
after their report was resolved, for the board's region and year, in the reader's number
format, and no number under 5 answers (the dashboards' rule of <5)."""

import re

import pytest
from django.utils import timezone

from conftest import person
from polmas.reports.feedback import report_feedback_give
from polmas.reports.selectors import satisfaction
from polmas.reports.services import report_set_status
from reports.helpers import age, submit

pytestmark = pytest.mark.django_db


def answer(fixed: bool, rating: int | None) -> None:
    """A resident in Desa Les (Buleleng, Bali) gets their report resolved and answers it."""
    done = submit(description=f"Lampu jalan mati, laporan {timezone.now().isoformat()}.")
    report_set_status(actor=person("bhabin"), report_id=done.report.pk, status="resolved",
                      summary="Lampu jalan sudah diganti.")
    age(done.report, 100)  # the next report is not a likely duplicate of this one
    report_feedback_give(code=done.tracking_code, fixed=fixed, rating=rating)


def card(client, path: str, **extra) -> str:
    html = client.get(path, {"year": timezone.now().year}, **extra).content.decode()
    found = re.search(r'<div class="figure" data-figure="satisfaction" data-state="([a-z-]+)">(.*?)</div>',
                      html, re.S)
    assert found, "no satisfaction card"
    return found.group(1) + " " + re.sub(r"\s+", " ", found.group(2))


def test_the_card_shows_the_share_fixed_count_and_mean_rating_in_indonesian(login):
    assert satisfaction(prefixes=["51"])["answers"] == 0
    for fixed, rating in [(True, 5), (True, 4), (True, 4), (True, 5), (True, 4), (False, 1)]:
        answer(fixed, rating)

    text = card(login("kapolda"), "/dashboard/51/")

    # The words follow the catalogue the lead compiles; the numbers are Indonesian already.
    assert text.startswith("shown ")
    assert "83,3%" in text  # 5 of 6
    assert "dari 6 jawaban" in text or "of 6 answers" in text
    assert "3,8 / 5" in text  # 23 / 6
    english = card(login("kapolda"), "/dashboard/51/", headers={"accept-language": "en"})
    assert "83.3%" in english and "of 6 answers" in english and "3.8 / 5" in english


def test_fewer_than_five_answers_show_no_number(login):
    for fixed, rating in [(True, 5), (False, 2), (True, None), (True, 3)]:
        answer(fixed, rating)

    text = card(login("kapolda"), "/dashboard/51/")

    assert text.startswith("too-few ")
    assert "%" not in text and "4" not in text.replace(str(timezone.now().year), "")


def test_a_region_without_answers_shows_no_number(login):
    answer(True, 5)
    for _ in range(4):
        answer(True, 4)

    bali = card(login("kapolda"), "/dashboard/51/")
    assert bali.startswith("shown ") and "100,0%" in bali and "4,2 / 5" in bali
    # Yogyakarta has no answers: no share, no count.
    text = card(login("bappenas"), "/dashboard/34/")
    assert text.startswith("too-few ") and "%" not in text and "/ 5" not in text
