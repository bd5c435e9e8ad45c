"""Times shown where they happened: in the village's own zone (WIB, WITA, WIT)."""

import datetime as dt

from django import template

from polmas.regions.models import Region
from polmas.regions.zones import shown

register = template.Library()


@register.filter
def local_time(moment: dt.datetime | None, region: Region | None) -> str:
    """"Kam 26 Nov, 18.54 WITA": `moment` in the zone of `region`, in the active language."""
    return shown(moment, region, "D j M, H:i")


@register.filter
def local_clock(moment: dt.datetime | None, region: Region | None) -> str:
    """"18.54 WITA": only the time of day."""
    return shown(moment, region, "H:i")


@register.filter
def switches_disaster(user: object) -> bool:
    """Whether the disaster-mode page is open to this user (supervisors and admins)."""
    from polmas.access.models import Role
    from polmas.access.scope import scope_for

    return scope_for(user).has(Role.SUPERVISOR, Role.ADMIN)
