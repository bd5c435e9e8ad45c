"""Likely duplicates: the same category within 500 m (or, without coordinates, the same
village) within 72 hours of the first such report. The window counts from the first report,
so a chain of reports a day apart does not extend it."""

import datetime as dt
import math

from polmas.reports import lookups

RADIUS_KM = 0.5
WINDOW = dt.timedelta(hours=72)
KM_PER_DEGREE = 6371.0 * math.pi / 180  # along a meridian, on regions.selectors.haversine_km's sphere
# 500 m in degrees of latitude, with margin; longitude widened by the latitude's cosine.
_DLAT = RADIUS_KM / KM_PER_DEGREE * 1.05


def original_query(*, category_id: int, village: str, latitude: float | None,
                   longitude: float | None, at: dt.datetime) -> tuple[str, list]:
    """A scalar subquery and its parameters: the id of the first earlier report that a report
    made `at` probably repeats, or NULL. Intake asks it in the statement of its sender checks
    (lookups.sender_checks), before the new report is stored, so that it is written once."""
    window = {"category_id": category_id, "since": at - WINDOW}
    if latitude is None or longitude is None:
        return lookups.original_in_village(**window, village=village, unlocated=False)
    cos = max(0.2, math.cos(math.radians(latitude)))
    dlon = _DLAT / cos
    near, near_params = lookups.original_near(
        **window, box=(latitude - _DLAT, latitude + _DLAT, longitude - dlon, longitude + dlon),
        centre=(latitude, longitude), km_per_degree=(KM_PER_DEGREE, KM_PER_DEGREE * cos),
        radius_km=RADIUS_KM)
    # None near: an earlier report of the village that gave no location.
    unlocated, unlocated_params = lookups.original_in_village(**window, village=village, unlocated=True)
    return f"COALESCE({near}, {unlocated})", near_params + unlocated_params

