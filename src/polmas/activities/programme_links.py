"""Tells partners where and when an activity lies, for linking it to a programme
(partners.links)."""

from polmas.activities.selectors import activity_list
from polmas.partners.links import Found, day, link_source


@link_source("activity")
def activity_village(user, object_id: int) -> Found | None:
    row = activity_list(user=user).filter(pk=object_id).values_list("village_id", "occurred_at").first()
    return Found(row[0], day(row[1])) if row else None
