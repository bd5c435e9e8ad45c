"""Where the records a programme counts lie, asked of the rooms that hold them.

partners sits below activities, forums and cases, so it cannot read their tables. Each of
those rooms keeps a `programme_links` module that registers, for its kind of record, a
function (caller, id) -> where and when the record lies (a `Found`: its village code and its
dates), or None when the record does not exist or the caller may not read it. The modules
are found with Django's autodiscover_modules (the way the admin finds admin.py), so no room
imports a higher one."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Found:
    """Where a record lies and when: an activity, a meeting or a referral on one day
    (`start`); a case from the day it opened to the day it closed (`end`, None while open)."""

    village: str
    start: dt.date
    end: dt.date | None = None
    lasts: bool = False  # a case: it counts when any part of it falls in the period

    def within(self, first: dt.date, last: dt.date) -> bool:
        """Does the record fall in the period from `first` to `last` (both included)?"""
        if not self.lasts:
            return first <= self.start <= last
        return self.start <= last and (self.end is None or self.end >= first)

    def dates(self) -> str:
        if not self.lasts:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.end.isoformat() if self.end else '…'}"


def day(moment: dt.datetime | None) -> dt.date | None:
    """A stored moment as the local calendar day (the programme's period is in days)."""
    return timezone.localdate(moment) if moment is not None else None


@dataclass(frozen=True)
class Candidate:
    """A record that could be counted in a programme, as a picker lists it."""

    id: int
    village: str
    village_name: str
    date: dt.date
    label: str


def period_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's days as moments: from the start of `first` to the start of the day after
    `last` (excluded), in the local time zone."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))


Locate = Callable[[User | AnonymousUser, int], Found | None]
# (caller, place codes, first day, last day, at most) -> the caller's records there then.
Candidates = Callable[[User | AnonymousUser, tuple[str, ...], dt.date, dt.date, int], list[Candidate]]
_SOURCES: dict[str, Locate] = {}
_CANDIDATES: dict[str, Candidates] = {}
_found = False


def link_source(kind: str):
    """Register the decorated function as the locator of records of `kind` (once)."""

    def register(fn: Locate) -> Locate:
        _SOURCES[kind] = fn
        return fn

    return register


def link_candidates(kind: str):
    """Register the decorated function as the lister of records of `kind` that a programme
    with those places and that period could count (once)."""

    def register(fn: Candidates) -> Candidates:
        _CANDIDATES[kind] = fn
        return fn

    return register


def _discover() -> None:
    global _found
    if not _found:
        autodiscover_modules("programme_links")
        _found = True


def candidates(kind: str, *, user, places: tuple[str, ...], first: dt.date, last: dt.date,
               limit: int = 50) -> list[Candidate]:
    """The caller's records of `kind` in `places` dated within the period, newest first."""
    _discover()
    source = _CANDIDATES.get(kind)
    return source(user, places, first, last, limit) if source is not None and places else []


def locate(kind: str, *, user, object_id: int) -> Found | None:
    """Where and when the record `kind` `object_id` lies, as the caller reads it, or None."""
    _discover()
    source = _SOURCES.get(kind)
    return source(user, object_id) if source is not None else None
