"""Tells partners where and when a meeting lies, for linking it to a programme (partners.links)."""

from polmas.core.scope import prefix_q
from polmas.forums.selectors import meeting_list
from polmas.partners.links import Candidate, Found, day, link_candidates, link_source, period_bounds


@link_source("meeting")
def meeting_village(user, object_id: int) -> Found | None:
    row = meeting_list(user=user).filter(pk=object_id).values_list("village_id", "held_at").first()
    return Found(row[0], day(row[1])) if row else None


@link_candidates("meeting")
def meeting_candidates(user, places, first, last, limit) -> list[Candidate]:
    start, end = period_bounds(first, last)
    rows = (meeting_list(user=user)
            .filter(prefix_q("village_id", places), held_at__gte=start, held_at__lt=end)
            .order_by("-held_at", "-pk")
            .values_list("pk", "village_id", "village__name", "held_at", "forum__name")[:limit])
    return [Candidate(pk, v, name, day(at), forum) for pk, v, name, at, forum in rows]
