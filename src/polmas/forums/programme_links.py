"""Tells partners where and when a meeting lies, for linking it to a programme (partners.links)."""

from polmas.forums.selectors import meeting_list
from polmas.partners.links import Found, day, link_source


@link_source("meeting")
def meeting_village(user, object_id: int) -> Found | None:
    row = meeting_list(user=user).filter(pk=object_id).values_list("village_id", "held_at").first()
    return Found(row[0], day(row[1])) if row else None
