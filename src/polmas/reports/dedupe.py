"""Likely duplicates: the same category within 500 m (or, without coordinates, the same
village) within 72 hours of the first such report. The window counts from the first report,
so a chain of reports a day apart does not extend it."""

import datetime as dt
import math

from polmas.regions.selectors import haversine_km
from polmas.reports import lookups

RADIUS_KM = 0.5
WINDOW = dt.timedelta(hours=72)
# 500 m in degrees of latitude, with margin; longitude widened by the latitude's cosine.
_DLAT = RADIUS_KM / 111.0 * 1.05


def likely_original(*, category_id: int, village: str, latitude: float | None,
                    longitude: float | None, at: dt.datetime) -> int | None:
    """The id of the first earlier report that a report made `at` probably repeats, or None.
    Asked before the new report is stored, so that it is written once."""
    window = {"category_id": category_id, "since": at - WINDOW}
    if latitude is None or longitude is None:
        return lookups.earliest_in_village(**window, village=village, unlocated=False)
    dlon = _DLAT / max(0.2, math.cos(math.radians(latitude)))
    box = (latitude - _DLAT, latitude + _DLAT, longitude - dlon, longitude + dlon)
    for pk, lat, lon in lookups.earlier_in_box(**window, box=box):
        if haversine_km(latitude, longitude, lat, lon) <= RADIUS_KM:
            return pk
    # None near: an earlier report of the village that gave no location.
    return lookups.earliest_in_village(**window, village=village, unlocated=True)
