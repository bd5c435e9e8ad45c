"""Tells partners where and when an activity lies, for linking it to a programme
(partners.links)."""

from polmas.activities.models import Activity
from polmas.activities.selectors import activity_list
from polmas.core.scope import prefix_q
from polmas.partners.links import Candidate, Found, day, link_candidates, link_source, period_bounds


@link_source("activity")
def activity_village(user, object_id: int) -> Found | None:
    row = activity_list(user=user).filter(pk=object_id).values_list("village_id", "occurred_at").first()
    return Found(row[0], day(row[1])) if row else None


@link_candidates("activity")
def activity_candidates(user, places, first, last, limit) -> list[Candidate]:
    start, end = period_bounds(first, last)
    rows = (activity_list(user=user).filter(prefix_q("village_id", places), occurred_at__gte=start,
                                            occurred_at__lt=end)
            .order_by("-occurred_at", "-pk").values_list("pk", "village_id", "village__name", "occurred_at",
                                                        "kind")[:limit])
    return [Candidate(pk, v, name, day(at), str(Activity.Kind(kind).label)) for pk, v, name, at, kind in rows]
