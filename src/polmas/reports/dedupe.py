"""Likely duplicates: the same category within 500 m (or, without coordinates, the same
village) within 72 hours of the first such report. The window counts from the first report,
so a chain of reports a day apart does not extend it."""

import datetime as dt
import math

from polmas.regions.selectors import haversine_km
from polmas.reports.models import Report

RADIUS_KM = 0.5
WINDOW = dt.timedelta(hours=72)
# 500 m in degrees of latitude, with margin; longitude widened by the latitude's cosine.
_DLAT = RADIUS_KM / 111.0 * 1.05


def likely_original(report: Report) -> Report | None:
    """The first earlier report this one probably repeats, or None."""
    since = report.created_at - WINDOW
    candidates = Report.objects.filter(
        category_id=report.category_id, created_at__gte=since, created_at__lte=report.created_at,
        duplicate_of__isnull=True, likely_duplicate_of__isnull=True, spam=False,
    ).exclude(pk=report.pk)
    if report.latitude is not None and report.longitude is not None:
        dlon = _DLAT / max(0.2, math.cos(math.radians(report.latitude)))
        near = candidates.filter(
            latitude__gte=report.latitude - _DLAT, latitude__lte=report.latitude + _DLAT,
            longitude__gte=report.longitude - dlon, longitude__lte=report.longitude + dlon,
        )
        for other in near.order_by("created_at"):
            if haversine_km(report.latitude, report.longitude, other.latitude, other.longitude) <= RADIUS_KM:  # type: ignore[arg-type]
                return other
        fallback = candidates.filter(village_id=report.village_id, latitude__isnull=True)
    else:
        fallback = candidates.filter(village_id=report.village_id)
    return fallback.order_by("created_at").first()
