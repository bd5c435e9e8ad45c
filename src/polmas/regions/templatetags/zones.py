"""`{% load zones %}`: every time an officer reads is in the village's zone, labelled.

    {{ case.opened_at|zoned:case.village }}           5 Mar 2025, 19:30 WITA
    {{ visit.occurred_at|zoned_short:visit.village }} Kam 5 Mar, 19:30 WITA
    {{ place.checked_in_at|zoned_clock:village }}     19:30 WITA
    {{ case.last_activity_at|zoned_day:case.village }} 5 Mar 2025 (the day there)
"""

import datetime as dt

from django import template
from django.utils.formats import date_format

from polmas.regions.models import Region
from polmas.regions.zones import local_date, shown

register = template.Library()


@register.filter
def zoned(moment: dt.datetime | None, region: Region | None) -> str:
    return shown(moment, region)


@register.filter
def zoned_short(moment: dt.datetime | None, region: Region | None) -> str:
    return shown(moment, region, "D j M, H:i")


@register.filter
def zoned_clock(moment: dt.datetime | None, region: Region | None) -> str:
    return shown(moment, region, "H:i")


@register.filter
def zoned_day(moment: dt.datetime | None, region: Region | None) -> str:
    day = local_date(moment, region)
    return "" if day is None else date_format(day, "j M Y")
