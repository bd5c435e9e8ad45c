from django import template

from polmas.partners.selectors import services_public

register = template.Library()
MAX_SHOWN = 8


def _place_of(context: template.Context) -> object:
    # The portal's pages name the village differently: the confirmation `village`, the
    # tracking page `result.village`, the form `outcome.place.village`.
    for found in (context.get("village"), getattr(context.get("result"), "get", lambda _k: None)("village"),
                  getattr(getattr(context.get("outcome"), "place", None), "village", None)):
        if found:
            return found
    return None


@register.inclusion_tag("partners/_services_near.html", takes_context=True)
def services_near(context: template.Context, place: object = None) -> dict:
    """The public services serving a village (a Region or its code; else the page's own
    village); none known: a link to the directory."""
    place = place or _place_of(context)
    code = getattr(place, "code", place) if place else ""
    code = code if isinstance(code, str) else ""
    services = list(services_public(village=code)[:MAX_SHOWN]) if code else []
    return {"services": services, "code": code}
