"""Indonesia's three time zones: a village's times are shown in its own zone."""

import datetime as dt

from django.utils.formats import date_format

from polmas.regions import zones
from polmas.regions.models import Region

NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}
DEFAULT_OFFSET = 7


def zone_of(region: Region | None) -> dt.timezone:
    return zones.zone_of(region)


def shown(moment: dt.datetime, region: Region | None) -> str:
    """"5 Maret 2025 14.30 WITA": the moment in the region's zone, in the active language."""
    zone = zone_of(region)
    local = moment.astimezone(zone)
    return f"{date_format(local, 'j F Y')}, {local:%H:%M} {zone.tzname(None)}"
