"""Indicators of a programme, computed by the rooms that hold the figures.

partners sits below analytics, so it cannot read the rollups itself: analytics registers a
source here from its AppConfig.ready() (the same pattern as access.scope.prefix_source).
A source takes (place codes, comparison codes, start, end) and returns rows of
{"label", "programme", "comparison", "unit"}."""

import datetime as dt
from collections.abc import Callable

from polmas.partners.models import Programme

Source = Callable[[list[str], list[str], dt.date, dt.date], list[dict]]
_SOURCES: list[Source] = []


def indicator_source(fn: Source) -> Source:
    """Register `fn` as a source of programme indicators (once)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def programme_indicators(programme: Programme) -> list[dict]:
    """Every registered source's rows for the programme (a read)."""
    places = list(programme.places.values_list("code", flat=True))
    comparison = list(programme.comparison.values_list("code", flat=True))
    rows: list[dict] = []
    for source in _SOURCES:
        rows.extend(source(places, comparison, programme.starts_on, programme.ends_on))
    return rows
