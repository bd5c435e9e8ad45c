"""Indicators of a partner programme from the rollups: trafficking reports in the
programme's places against its comparison villages, over the programme's period (per
100 000 residents where the populations are known). Registered with partners.indicators."""

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext as _

from polmas.analytics.models import MonthlyFigures
from polmas.core.scope import NATIONAL, prefix_q
from polmas.regions.models import Region

CATEGORY = "trafficking"


def _reports(codes: list[str], start: dt.date, end: dt.date) -> int:
    if not codes:
        return 0
    rows = MonthlyFigures.objects.filter(
        prefix_q("prefix", codes), level=4, category__code=CATEGORY,
        month__gte=start.year * 100 + start.month, month__lte=end.year * 100 + end.month)
    return rows.aggregate(n=Sum("reports"))["n"] or 0


def _population(codes: list[str]) -> int:
    if not codes or NATIONAL in codes:
        return 0
    return Region.objects.filter(prefix_q("code", codes), level=4).aggregate(n=Sum("population"))["n"] or 0


def trafficking_indicator(places: list[str], comparison: list[str], start: dt.date,
                          end: dt.date) -> list[dict]:
    """Trafficking reports received in the programme's villages and in the comparison ones."""
    ours, theirs = _reports(places, start, end), _reports(comparison, start, end)
    rows = [{"label": _("Trafficking reports"), "programme": ours,
             "comparison": theirs if comparison else None, "unit": ""}]
    pop_ours, pop_theirs = _population(places), _population(comparison)
    if pop_ours and (pop_theirs or not comparison):
        rows.append({"label": _("Trafficking reports per 100,000 residents"),
                     "programme": round(ours * 100_000 / pop_ours, 1),
                     "comparison": round(theirs * 100_000 / pop_theirs, 1) if pop_theirs else None,
                     "unit": ""})
    return rows
