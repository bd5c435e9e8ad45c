"""The counting both the coverage pages and `polmas stats` stand on: counts grouped by
region-code prefix, of active postings and standing forums as policing and forums define them
(their selectors, which routing asks too)."""

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from polmas.forums.selectors import standing_forums
from polmas.policing.selectors import active_assignments

__all__ = ["active_assignments", "count_by_prefix", "standing_forums"]


def count_by_prefix(qs: QuerySet, field: str, n: int | None, *, distinct: bool = False) -> dict[str, int]:
    """{prefix of length n: count}; with n None, {"": total}. `distinct` counts distinct
    values of `field` (villages) instead of rows."""
    agg = Count(field, distinct=True) if distinct else Count("pk")
    if n is None:
        return {"": qs.aggregate(c=agg)["c"]}
    rows = qs.annotate(p=Substr(field, 1, n)).values("p").annotate(c=agg).order_by()
    return {r["p"]: r["c"] for r in rows}
