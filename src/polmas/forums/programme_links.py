"""Tells partners where a meeting lies, for linking it to a programme (partners.links)."""

from polmas.forums.selectors import meeting_list
from polmas.partners.links import link_source


@link_source("meeting")
def meeting_village(user, object_id: int) -> str | None:
    return meeting_list(user=user).filter(pk=object_id).values_list("village_id", flat=True).first()
