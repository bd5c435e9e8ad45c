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


Locate = Callable[[User | AnonymousUser, int], Found | None]
_SOURCES: dict[str, Locate] = {}
_found = False


def link_source(kind: str):
    """Register the decorated function as the locator of records of `kind` (once)."""

    def register(fn: Locate) -> Locate:
        _SOURCES[kind] = fn
        return fn

    return register


def locate(kind: str, *, user, object_id: int) -> Found | None:
    """Where and when the record `kind` `object_id` lies, as the caller reads it, or None."""
    global _found
    if not _found:
        autodiscover_modules("programme_links")
        _found = True
    source = _SOURCES.get(kind)
    return source(user, object_id) if source is not None else None
