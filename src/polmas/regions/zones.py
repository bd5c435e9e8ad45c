"""Indonesia's three time zones. Times are stored in UTC and shown in the zone of the village
they belong to (WIB, WITA, WIT), always with the zone's name: the one place that says how."""

import datetime as dt

from django.utils.formats import date_format

from polmas.regions.models import Region

NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}
DEFAULT_OFFSET = 7  # WIB: Jakarta's, for a record with no village


def zone_of(region: Region | None) -> dt.timezone:
    """The fixed-offset zone of `region` (its own offset, loaded with the region data)."""
    hours = region.utc_offset if region is not None and region.utc_offset else DEFAULT_OFFSET
    return dt.timezone(dt.timedelta(hours=hours), NAMES.get(hours, f"UTC+{hours}"))


def shown(moment: dt.datetime | None, region: Region | None, fmt: str = "j M Y, H:i") -> str:
    """"5 Mar 2025, 19:30 WITA": `moment` in the zone of `region` in the active language's
    month names, with the zone's name; "" for no moment."""
    if moment is None:
        return ""
    zone = zone_of(region)
    return f"{date_format(moment.astimezone(zone), fmt)} {zone.tzname(None)}"


def local_date(moment: dt.datetime | None, region: Region | None) -> dt.date | None:
    """The calendar day of `moment` in the village's zone."""
    return None if moment is None else moment.astimezone(zone_of(region)).date()
