"""Where the records a programme counts lie, asked of the rooms that hold them.

partners sits below activities, forums and cases, so it cannot read their tables. Each of
those rooms keeps a `programme_links` module that registers, for its kind of record, a
function (caller, id) -> the record's village code, or None when the record does not exist
or the caller may not read it. The modules are found with Django's autodiscover_modules
(the way the admin finds admin.py), so no room imports a higher one."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.utils.module_loading import autodiscover_modules

Locate = Callable[[User | AnonymousUser, int], str | None]
_SOURCES: dict[str, Locate] = {}
_found = False


def link_source(kind: str):
    """Register the decorated function as the locator of records of `kind` (once)."""

    def register(fn: Locate) -> Locate:
        _SOURCES[kind] = fn
        return fn

    return register


def locate(kind: str, *, user, object_id: int) -> str | None:
    """The village of the record `kind` `object_id` as the caller reads it, or None."""
    global _found
    if not _found:
        autodiscover_modules("programme_links")
        _found = True
    source = _SOURCES.get(kind)
    return source(user, object_id) if source is not None else None
