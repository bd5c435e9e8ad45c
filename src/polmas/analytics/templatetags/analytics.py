"""Formatting for the dashboards and public statistics."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()
SMALL = 5


@register.filter
def days(value: float | None) -> str:
    """3.25 -> "3,3" (id) / "3.3" (en); "–" when unknown."""
    return "–" if value is None else floatformat(value, "1g")


@register.filter
def small(value: int | None) -> str:
    """Public pages: a count under 5 shows as "<5", so no one is singled out."""
    from django.utils.formats import number_format

    if value is None:
        return "–"
    if value < SMALL:
        return f"<{SMALL}"
    return number_format(value, force_grouping=True)


@register.filter
def yesno_none(value: bool) -> str:
    return _("yes") if value else _("no")


@register.filter
def published(value: str) -> str:
    """A published value (a count, "<5", "12.5" or "") in the reader's number format."""
    from django.utils.formats import number_format

    from polmas.core.text import rounded

    if not value:
        return "–"
    if value.isdigit():
        return number_format(int(value), force_grouping=True)
    try:
        return rounded(float(value), 1)
    except ValueError:
        return value
