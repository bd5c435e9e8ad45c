"""Category groups the early warning counts: the catalogue's own `group` (reports.Category)
gathered into four, and the weeks they are counted in.

Sensitive categories (domestic and sexual violence, children, trafficking) form one group
that is counted per district only: a count per village could point at a household.
"""

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

PROPERTY, VIOLENCE, DISORDER, SENSITIVE = "property", "violence", "disorder", "sensitive"
# reports.Category.group -> early-warning group; a sensitive category is always SENSITIVE.
FROM_CATALOGUE = {"property": PROPERTY, "violence": VIOLENCE, "order": DISORDER,
                  "dispute": DISORDER, "crime": DISORDER}
GROUPS = (PROPERTY, VIOLENCE, DISORDER, SENSITIVE)
LABELS = {PROPERTY: _("property crime"), VIOLENCE: _("violence"),
          DISORDER: _("disorder and disputes"), SENSITIVE: _("sensitive matters")}
DISTRICT_ONLY = {SENSITIVE}

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def group_of(catalogue_group: str, sensitive: bool) -> str | None:
    return SENSITIVE if sensitive else FROM_CATALOGUE.get(catalogue_group)


def week_parse(text: str) -> dt.date | None:
    """The Monday of ISO week 'YYYY-Www', or None when it is not one."""
    m = _WEEK.match(text or "")
    if not m:
        return None
    try:
        return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        return None


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def latest_complete_week(today: dt.date) -> dt.date:
    """The Monday of the last week that ended before `today`."""
    return monday_of(today) - dt.timedelta(weeks=1)
