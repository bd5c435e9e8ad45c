"""Tells partners where an activity lies, for linking it to a programme (partners.links)."""

from polmas.activities.selectors import activity_list
from polmas.partners.links import link_source


@link_source("activity")
def activity_village(user, object_id: int) -> str | None:
    return activity_list(user=user).filter(pk=object_id).values_list("village_id", flat=True).first()
