"""The early warning's card on the dashboards (analytics' board pages).

analytics sits below earlywarning and may not import it; its board template loads this
library (web sits above both) and asks for the card. The card is drawn for each request,
outside the board's kept page body: which alarms a reader sees depends on their roles and
villages (sensitive ones only for supervisors, PPA officers and administrators), so it must
never be kept and served to another viewer, and an alarm acted on leaves it at once."""

from django import template

from polmas.regions import codes

register = template.Library()

SHOWN = 5  # alarms listed on the card; the rest are on /peringatan/


@register.inclusion_tag("web/_board_alarms.html", takes_context=True)
def board_alarms(context: template.Context, code: str) -> dict:
    """The standing alarms (new or acknowledged) in region `code` ("" for the country) that
    the viewer may see, newest first, and their number per child region for the map. Nothing
    for a viewer who does not read alarms (planners, residents). Two queries."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from polmas.earlywarning import selectors
    from polmas.earlywarning.text import alarm_sentence

    user = context["request"].user
    if not selectors.reads_alarms(user):
        return {"shown": False}
    alarms = selectors.alarms_standing(user=user, code=code)
    # The code length of the board's children (none below a village's board).
    child_len = codes.LEVEL_LENGTHS.get(codes.level_of(code) + 1 if code else codes.PROVINCE)
    if child_len is None:  # a village's board: no map, one count
        per_child, total = {}, alarms.count()
    else:
        cut = selectors.alarms_by_child(alarms, child_len=child_len)
        total = sum(cut.values())  # a district's own (sensitive) alarm too, on its board
        per_child = {code: n for code, n in cut.items() if len(code) == child_len}
    rows = [{"alarm": a, "sentence": alarm_sentence(a)} for a in alarms[:SHOWN]] if total else []
    return {"shown": True, "rows": rows, "total": total, "more": max(total - len(rows), 0),
            "has_map": bool(per_child),
            "map": {"counts": per_child, "label": _("Active alarms"),
                                                           "url": reverse("earlywarning:list")}}
