"""Formatting for the pages: numbers and percentages in the user's locale, role names."""

import datetime as dt

from django import template
from django.contrib.auth.models import AnonymousUser, User
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format

from polmas.access.models import Role
from polmas.access.scope import scope_for

register = template.Library()


@register.filter
def num(value: int | None) -> str:
    """1234567 -> "1.234.567" (id) or "1,234,567" (en)."""
    return "–" if value is None else number_format(value, force_grouping=True)


@register.filter
def pct(value: float | None) -> str:
    """95.26 -> "95,3%" (id) or "95.3%" (en); "–" when there is nothing to divide.

    Rounded half up, except that short of 100 never shows as "100,0%": one village
    without an officer among thousands must not read as full coverage.
    """
    if value is None:
        return "–"
    if value < 100:
        value = min(value, 99.9)
    return f"{floatformat(value, '1g')}%"


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0


@register.simple_tag
def role_labels(user: User | AnonymousUser) -> str:
    """The user's roles in the order of Role, translated, comma-separated."""
    held = scope_for(user).roles
    return ", ".join(str(r.label) for r in Role if r in held)


@register.simple_tag
def coverage_url(user: User | AnonymousUser) -> str:
    """Where the user's coverage table starts; "" when they may not see one (residents)."""
    from django.urls import reverse

    from polmas.analytics.selectors import coverage_home_code

    code = coverage_home_code(user=user)
    if code is None:
        return ""
    return reverse("coverage-region", args=[code]) if code else reverse("coverage")


@register.filter
def has_queue(user: User | AnonymousUser) -> bool:
    """Does the user have a work queue (and case pages): officers, supervisors, forum members."""
    from polmas.web.queue import QUEUE_ROLES

    return scope_for(user).has(*QUEUE_ROLES)


@register.filter
def surveys_work(user: User | AnonymousUser) -> bool:
    """Planners (waves, progress, assignments) and enumerators (their villages)."""
    from polmas.access.models import Role

    return scope_for(user).has(Role.PLANNER, Role.ADMIN, Role.ENUMERATOR)


@register.filter
def steers(user: User | AnonymousUser) -> bool:
    """Planners, supervisors and the admin: the impact evaluation and the road map."""
    from polmas.access.models import Role

    return scope_for(user).has(Role.PLANNER, Role.SUPERVISOR, Role.ADMIN)


@register.filter
def reads_cases(user: User | AnonymousUser) -> bool:
    """May the user open the case pages (police, PPA, forum members)?"""
    from polmas.cases.selectors import READER_ROLES

    return scope_for(user).has(*READER_ROLES)


@register.filter
def reads_forums(user: User | AnonymousUser) -> bool:
    """May the user open the forum and meeting pages?"""
    from polmas.forums.selectors import reads_meetings

    return user.is_authenticated and reads_meetings(user)


@register.filter
def keeps_activities(user: User | AnonymousUser) -> bool:
    """Officers record activities and rosters; supervisors read them and switch disaster mode."""
    return scope_for(user).has(Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.FKPM_MEMBER, Role.ADMIN)


@register.filter
def reply_label(channel: str) -> str:
    """"whatsapp" -> "WhatsApp": how a resident asked to be answered; "" for none."""
    from polmas.web.report import REPLY_LABELS

    return str(REPLY_LABELS.get(channel, ""))


@register.filter
def shorten(value: object, limit: int) -> str:
    """Like truncatechars, but cut at a word boundary (core.text.shortened)."""
    from polmas.core.text import shortened  # appended apart from the imports above: merged later

    return shortened(str(value or ""), int(limit))
