"""Where the monthly figures come from: one small definition per source.

Each source is a grouped count that the app owning the records defines (its selectors: the
rules of what counts, with its own constants), by village, month (UTC, YYYYMM) and, where
the records have one, category; here only which of its values feeds which counter of
MonthlyFigures. Adding a source is adding a function that returns a Source.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from polmas.activities import selectors as activity_selectors
from polmas.analytics.models import BUCKETS, OUTCOME_FIELDS, RESOLVE_EDGES
from polmas.cases import selectors as case_selectors
from polmas.forums import selectors as forum_selectors
from polmas.reports import selectors as report_selectors

Rows = Callable[[list[str] | None], QuerySet]


@dataclass
class Source:
    name: str
    rows: Rows  # the grouped rows, of the villages given (all with None)
    counters: dict[str, str]  # counter of MonthlyFigures -> the rows' value feeding it
    category: bool = True  # the rows carry category_pk (else the category is NULL)


def reports() -> Source:
    """Residents' reports, by the month received (spam and merged duplicates left out)."""
    return Source(name="reports", rows=lambda v: report_selectors.monthly_counts_by_village(villages=v),
                  counters={"reports": "received", "reports_responded": "responded",
                            "report_response_hours": "response_hours"})


def cases_opened() -> Source:
    """Cases by the month opened, with the time to first response."""
    return Source(name="cases opened", rows=lambda v: case_selectors.monthly_opened_by_village(villages=v),
                  counters={"cases_opened": "opened", "cases_responded": "responded",
                            "case_response_hours": "response_hours"})


def cases_closed() -> Source:
    """Cases by the month closed: the outcome, and for resolved ones the time to resolve."""
    counters = {field: f"outcome_{outcome}" for outcome, field in OUTCOME_FIELDS.items()}
    counters |= {"resolve_n": "resolved", "resolve_hours": "resolve_hours"}
    counters |= {bucket: f"resolved_within_{i}" for i, bucket in enumerate(BUCKETS)}
    return Source(name="cases closed",
                  rows=lambda v: case_selectors.monthly_closed_by_village(
                      resolve_edges_days=RESOLVE_EDGES, villages=v),
                  counters=counters)


def activities() -> Source:
    """Officers' field activities by the month they happened; visits counted apart."""
    return Source(name="activities", rows=lambda v: activity_selectors.monthly_counts_by_village(villages=v),
                  counters={"activities": "activities", "visits": "visits"}, category=False)


def meetings() -> Source:
    """Forum meetings held, by the month held."""
    return Source(name="meetings", rows=lambda v: forum_selectors.monthly_meetings_by_village(villages=v),
                  counters={"meetings": "held"}, category=False)


SOURCES = [reports, cases_opened, cases_closed, activities, meetings]
