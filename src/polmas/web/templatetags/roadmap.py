"""The road map's progress card on the dashboards (analytics' board pages).

analytics sits below planning and may not import it; its board template loads this library
(web sits above both) and asks for the card. The card is drawn for each request, outside the
board's kept page body: it is shown only to those who may read the road map (planners,
supervisors, administrators), and the targets it compares against change without touching
the rollups' stamp that keys the kept body. It costs a constant number of queries (seven)
however many child regions the board has."""

from django import template

from polmas.regions import codes

register = template.Library()

NAMES_UP_TO = 40  # child regions named on the card's map; more are left to the table


@register.inclusion_tag("web/_board_roadmap.html", takes_context=True)
def board_roadmap(context: template.Context, code: str, year: int | None = None,
                  in_page: bool = False) -> dict:
    """For the board of `code` ("" the country, a province or a regency): each child region's
    actual against target for the target year, its projection and status, and a map of the
    children coloured by status. Nothing for other boards or for a viewer who may not read
    the road map of `code`. `year` fixes the target year (the road-map page's); `in_page`:
    drawn on the road-map page itself (no link back to it)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from polmas.analytics import charts
    from polmas.planning import progress, selectors

    if code and (not codes.is_valid(code) or codes.level_of(code) > codes.REGENCY):
        return {"shown": False}
    if not selectors.may_open(context["request"].user, code):
        return {"shown": False}
    found = progress.board_progress(code, year=year)
    if found is None:
        return {"shown": False}
    query = f"?year={found.year}"
    children = [{"child": c, "url": reverse("planning:region", args=[c.code]) + query}
                for c in found.children]
    labels = {key: str(label) for key, label in progress.STATUS_LABELS.items()}
    points = [(c.longitude, c.latitude, progress.STATUS_COLOURS[c.status], f"{c.name}: {labels[c.status]}")
              for c in found.children if c.latitude is not None and c.longitude is not None]
    svg = charts.dots(_("Road map: status of each region in %(year)s") % {"year": found.year}, points,
                      names=[c.name for c in found.children if c.latitude is not None
                             and c.longitude is not None] if len(points) <= NAMES_UP_TO else None)
    counts = {key: 0 for key in progress.STATUS_COLOURS}
    for c in found.children:
        counts[c.status] += 1
    legend = [(colour, labels[key], counts[key]) for key, colour in progress.STATUS_COLOURS.items()]
    road_map = reverse("planning:region", args=[code or "ID"]) + query
    return {"shown": True, "year": found.year, "indicators": found.indicators, "children": children,
            "svg": svg if points else None, "legend": legend, "road_map": road_map,
            "rule": road_map + "#status-rule", "in_page": in_page}
