"""The public pages write a moment in full ("5 Maret 2025, 14:30 WITA"), in the village's
zone (regions.zones, the one place that says how)."""

from functools import partial

from polmas.regions import zones

shown = partial(zones.shown, fmt="j F Y, H:i")
