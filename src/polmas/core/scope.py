"""Region-code prefix ranges: the one query every scoped read is built from.

A prefix P covers P itself and every code below it ("51.08" covers "51.08.09.2007").
Codes have fixed-width numeric segments joined by ".", so the codes under P are exactly
those in the half-open range [P, P + "/"): "/" sorts right after "." and before the digits.
A range on the indexed column uses the index on SQLite and PostgreSQL alike, where
`startswith` (LIKE) would scan the table on SQLite.
"""

from collections.abc import Iterable

from django.db.models import Q

NATIONAL = ""


def prefix_q(field: str, prefixes: Iterable[str]) -> Q:
    """A Q matching rows whose `field` lies under any of `prefixes` (empty set: nothing)."""
    prefixes = normalize(prefixes)
    if NATIONAL in prefixes:
        return Q()
    q = Q(pk__in=[])
    for p in prefixes:
        q |= Q(**{f"{field}__gte": p, f"{field}__lt": p + "/"})
    return q


def normalize(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one; sorted, unique."""
    out: list[str] = []
    for p in sorted(set(prefixes), key=lambda s: (len(s), s)):
        if not any(covers(q, p) for q in out):
            out.append(p)
    return tuple(sorted(out))


def covers(prefix: str, code: str) -> bool:
    """True if `code` lies under `prefix` (or is it)."""
    return prefix == NATIONAL or code == prefix or code.startswith(prefix + ".")


def any_covers(prefixes: Iterable[str], code: str) -> bool:
    return any(covers(p, code) for p in prefixes)
