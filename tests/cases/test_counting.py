"""Problems resolved: cases an assessment closed as resolved, counted in the year they closed;
`polmas stats` (read from the rollups) gives the same figure."""

import datetime as dt

import pytest

from cases.helpers import open_case, walk
from conftest import person
from polmas.analytics.services import rollups_rebuild
from polmas.analytics.stats import national_stats
from polmas.cases import selectors, services

pytestmark = pytest.mark.django_db
YEAR = 2025


def closed(outcome: str, at: dt.datetime, category: str = "neighbour_dispute") -> None:
    case = walk(open_case(category=category, opened_at=at - dt.timedelta(days=20)), "response")
    case = services.case_assess(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                outcome=outcome, evidence="Dipantau sebulan.", community_satisfied=True)
    services.case_close(actor=person("bhabin"), case_id=case.pk, version=case.version, at=at)


@pytest.fixture
def year_of_cases() -> None:
    closed("resolved_mediation", dt.datetime(YEAR, 3, 1, tzinfo=dt.UTC))
    closed("resolved_action", dt.datetime(YEAR, 12, 31, 23, tzinfo=dt.UTC))
    closed("referred_criminal", dt.datetime(YEAR, 6, 1, tzinfo=dt.UTC))
    closed("not_resolved", dt.datetime(YEAR, 6, 1, tzinfo=dt.UTC))
    closed("resolved_action", dt.datetime(YEAR + 1, 1, 1, 1, tzinfo=dt.UTC))
    walk(open_case(), "assessment")  # assessed as resolved, not closed: not counted yet


def test_problems_resolved_counts_resolved_outcomes_by_year_closed(year_of_cases):
    assert selectors.problems_resolved(YEAR) == 2
    assert selectors.problems_resolved(YEAR + 1) == 1
    assert selectors.problems_resolved(YEAR, "51.08.09") == 2
    assert selectors.problems_resolved(YEAR, "34") == 0


def test_polmas_stats_gives_the_same_figure(year_of_cases):
    rollups_rebuild()
    assert national_stats(year=YEAR)["totals"]["problems_resolved"] == 2
