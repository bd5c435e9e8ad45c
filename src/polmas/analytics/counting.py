"""The counting both the coverage pages and `polmas stats` stand on: what counts as an
active posting or a standing forum, and counts grouped by region-code prefix."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from polmas.forums.models import Forum
from polmas.policing.models import Assignment


def count_by_prefix(qs: QuerySet, field: str, n: int | None, *, distinct: bool = False) -> dict[str, int]:
    """{prefix of length n: count}; with n None, {"": total}. `distinct` counts distinct
    values of `field` (villages) instead of rows."""
    agg = Count(field, distinct=True) if distinct else Count("pk")
    if n is None:
        return {"": qs.aggregate(c=agg)["c"]}
    rows = qs.annotate(p=Substr(field, 1, n)).values("p").annotate(c=agg).order_by()
    return {r["p"]: r["c"] for r in rows}


def active_assignments(on: dt.date | None = None) -> QuerySet[Assignment]:
    """Postings running now, or on the day `on`."""
    if on is None:
        return Assignment.objects.filter(end__isnull=True)
    return Assignment.objects.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)


def standing_forums(on: dt.date | None = None) -> QuerySet[Forum]:
    """Forums not dissolved (and, with `on`, founded by that day)."""
    forums = Forum.objects.exclude(status=Forum.Status.DISSOLVED)
    if on is not None:
        forums = forums.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on))
    return forums
