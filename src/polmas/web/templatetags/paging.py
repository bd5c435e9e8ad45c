"""Links between the pages of a paged list, keeping the rest of the query string (the
filters and the other lists' pages)."""

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def page_link(request: HttpRequest, key: str, number: int, anchor: str = "") -> str:
    """"?stage=analysis&ep=2#anchor": the current query with `key` set to `number`."""
    query = request.GET.copy()
    query[key] = str(number)
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")
