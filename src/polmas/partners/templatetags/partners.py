from django import template

from polmas.partners.selectors import services_public

register = template.Library()
MAX_SHOWN = 8


@register.inclusion_tag("partners/_services_near.html")
def services_near(place: object = None) -> dict:
    """The public services serving a village (a Region or its code); none given: a link to
    the directory."""
    code = getattr(place, "code", place) if place else ""
    code = code if isinstance(code, str) else ""
    services = list(services_public(village=code)[:MAX_SHOWN]) if code else []
    return {"services": services, "code": code}
