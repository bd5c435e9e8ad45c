"""Report history for the demo provinces: four years of monthly figures to evaluate against
(the evaluation app) and weekly counts to watch (early warning), written in bulk.

The shared contract (other rooms build on it):
- ``history_generate(*, provinces, year, seed, progress=None) -> int`` writes closed reports
  (status resolved) for every village of ``provinces`` on every day of ``history_span(year)``:
  ``HISTORY_MONTHS`` whole months before the last complete week (Monday-Sunday) before today,
  ending on that week's Sunday (or on 31 December of ``year`` when the year is past).
- Counts are negative binomial (Poisson with a gamma-distributed village-month rate) around a
  village level (kota villages busier), a yearly season, the weekday and the village's Javanese
  market day (pasaran, one day in five), by category (``CATEGORY_SHARE``; no sensitive ones).
- Planted: the villages of ``PLANTED_DISTRICT`` get ``PLANTED_EFFECT`` (-30%) on every category
  from ``planted_start(year)`` (24 months before the end); ``PLACEBO_DISTRICT`` has none.
  Both are saved as interventions ``malioboro-uji`` and ``placebo-uji``.
- Guarantee: every village of Kecamatan Tejakula (``THEFT_FLOOR_DISTRICT``, 51.08.09) has an
  expected ``theft`` count of at least ``THEFT_FLOOR_PER_WEEK`` (1.2) per week.
- Safe to rerun: a province already written (its marker report exists) is skipped.
The rollups of every year in the span must be rebuilt after (``history_years``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from polmas.regions.models import Region
from polmas.reports.models import Category, Report
from polmas.simulation.national_bulk import Table, sealed, sequences_reset
from polmas.simulation.reports import TEXTS

HISTORY_MONTHS = 48
PLANTED_DISTRICT = "34.71.01"  # the fallback only: see planted_districts()
PLACEBO_DISTRICT = "34.71.06"  # the fallback only: see planted_districts()
PLANTED_EFFECT = -0.30
PLANTED_SLUG, PLACEBO_SLUG = "malioboro-uji", "placebo-uji"
THEFT_FLOOR_DISTRICT = "51.08.09"  # Kecamatan Tejakula, Buleleng
THEFT_FLOOR_PER_WEEK = 1.2
# Expected reports per village per month, all categories, and the share of each category.
PER_MONTH = 3.0
KOTA_FACTOR = 6.0
CATEGORY_SHARE = {
    "theft": 0.30, "burglary": 0.07, "fight": 0.08, "neighbour_dispute": 0.12, "noise": 0.10,
    "alcohol": 0.06, "traffic": 0.12, "drugs": 0.03, "gambling": 0.04, "online_fraud": 0.05,
    "other": 0.03,
}  # fmt: skip
WEEKDAY = np.array([1.0, 0.95, 0.95, 1.0, 1.1, 1.25, 1.15])  # Monday .. Sunday
MARKET_DAY = 1.4
DISPERSION = 40.0  # gamma shape of the village-month rate: variance = mu + mu^2 / 40
PASARAN_EPOCH = dt.date(2024, 1, 1)  # any fixed day: the five-day cycle is counted from it


def history_span(year: int, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of the history."""
    today = today or timezone.localdate()
    week_start = today - dt.timedelta(days=today.weekday())
    end = min(week_start - dt.timedelta(days=1), dt.date(year, 12, 31))
    m = end.year * 12 + end.month - 1 - HISTORY_MONTHS
    return dt.date(m // 12, m % 12 + 1, 1), end


def history_years(year: int) -> list[int]:
    first, last = history_span(year)
    return list(range(first.year, last.year + 1))


def planted_start(year: int) -> dt.date:
    _first, end = history_span(year)
    m = end.year * 12 + end.month - 1 - 24
    return dt.date(m // 12, m % 12 + 1, 1)


def planted_districts() -> tuple[str, str]:
    """The planted and the placebo district of Kota Yogyakarta: the two with the most villages
    (ties by code), so that the planted effect can be measured at the demo's volume."""
    districts = list(Region.objects.filter(level=3, code__gte="34.71.", code__lt="34.71/")
                     .values_list("code", flat=True))
    if len(districts) < 2:
        return PLANTED_DISTRICT, PLACEBO_DISTRICT
    sizes = sorted((-Region.objects.villages().under(c).count(), c) for c in districts)
    return sizes[0][1], sizes[1][1]


def _marker(seed: int, province: str) -> str:
    return hashlib.sha256(f"history:{seed}:{province}".encode()).hexdigest()


def history_generate(*, provinces: list[str], year: int, seed: int,
                     progress: Callable[[int], object] | None = None,
                     effect: float = PLANTED_EFFECT) -> int:
    """Write the history of `provinces` (see the module docstring); returns reports written.
    `effect` is the relative effect planted in the planted district (`polmas simulate
    --plant-effect`)."""
    first, end = history_span(year)
    days = np.array([(first + dt.timedelta(days=i)) for i in range((end - first).days + 1)])
    weekday = np.array([d.weekday() for d in days])
    month_no = np.array([(d.year - first.year) * 12 + d.month - first.month for d in days])
    n_months = int(month_no.max()) + 1
    cal_month = np.array([d.month for d in days])
    season = 1 + 0.15 * np.sin(2 * np.pi * (cal_month - 3) / 12)
    pasaran = np.array([(d - PASARAN_EPOCH).days % 5 for d in days])
    cats = dict(Category.objects.filter(code__in=CATEGORY_SHARE).values_list("code", "pk"))
    codes = [c for c in CATEGORY_SHARE if c in cats]
    share = np.array([CATEGORY_SHARE[c] for c in codes])
    planted, placebo = planted_districts()
    start = planted_start(year)
    start_i = (start - first).days
    sqlite = connection.vendor == "sqlite"
    ts = str if sqlite else (lambda d: d)
    days_per_month = np.bincount(month_no).astype(float)
    written = 0
    for province in provinces:
        marker = _marker(seed, province)
        if Report.objects.filter(tracking_hash=marker).exists():
            continue
        villages = list(Region.objects.villages().under(province).order_by("code")
                        .values_list("code", "latitude", "longitude"))
        rng = np.random.default_rng([seed, zlib.crc32(province.encode()), 7])
        table = Table(Report, [
            "category_id", "description", "region_code", "latitude", "longitude", "occurred_at",
            "channel", "status", "public_summary", "sensitive", "tracking_hash", "anonymous",
            "reporter_phone", "reply_channel", "coverage_gap", "created_at", "updated_at",
            "first_response_at", "resolved_at", "routed_at"])
        with transaction.atomic():
            for code, _lat, _lon in villages:
                level = PER_MONTH * rng.lognormal(-0.045, 0.3)
                if code[3:5] >= "71":
                    level *= KOTA_FACTOR
                rate = level * share  # per month, by category
                if code.startswith(THEFT_FLOOR_DISTRICT + ".") and "theft" in codes:
                    i = codes.index("theft")
                    rate[i] = max(rate[i], THEFT_FLOOR_PER_WEEK * 30.44 / 7)
                market = (zlib.crc32(code.encode()) % 5)
                day_w = season * WEEKDAY[weekday] * np.where(pasaran == market, MARKET_DAY, 1.0)
                # Normalise the day weights within each month so the month keeps its level.
                month_w = np.bincount(month_no, weights=day_w) / days_per_month
                day_w = day_w / month_w[month_no]
                # Village-month rates (gamma), then daily Poisson counts around them.
                gam = rng.gamma(DISPERSION, 1 / DISPERSION, size=(n_months, len(codes)))
                mu = (rate[None, :] / 30.44) * gam[month_no] * day_w[:, None]
                if code.startswith(planted + "."):
                    mu[start_i:] *= 1 + effect
                counts = rng.poisson(mu)
                for di, ci in zip(*np.nonzero(counts), strict=True):
                    day = days[di]
                    cat = codes[ci]
                    for _k in range(int(counts[di, ci])):
                        at = dt.datetime(day.year, day.month, day.day, int(rng.integers(6, 23)),
                                         int(rng.integers(0, 60)), tzinfo=dt.UTC)
                        closed = at + dt.timedelta(hours=int(rng.integers(4, 24 * 20)))
                        texts = TEXTS.get(cat, TEXTS["other"])
                        if table.written + len(table.rows) == 0:
                            tracking = marker
                        else:
                            tracking = hashlib.sha256(
                                f"history:{seed}:{code}:{table.next_id}".encode()).hexdigest()
                        table.add(cats[cat], sealed(texts[int(rng.integers(len(texts)))]), code, None,
                                  None, ts(at - dt.timedelta(hours=2)), "web", "resolved",
                                  "", False, tracking, True, "", "", False, ts(at), ts(closed),
                                  ts(at + dt.timedelta(hours=2)), ts(closed), ts(at))
                        written += 1
                if progress:
                    progress(1)
            table.flush()
        sequences_reset([Report])
    if written or not _interventions_exist():
        _interventions_save(planted, placebo, start, effect)
    return written


def _interventions_exist() -> bool:
    from django.apps import apps

    if not apps.is_installed("polmas.evaluation"):
        return True
    from polmas.evaluation.models import Intervention

    return Intervention.objects.filter(slug__in=[PLANTED_SLUG, PLACEBO_SLUG]).count() == 2


def _interventions_save(planted: str, placebo: str, start: dt.date,
                        effect: float = PLANTED_EFFECT) -> None:
    from django.apps import apps

    if not apps.is_installed("polmas.evaluation"):
        return
    from polmas.evaluation.services import intervention_record

    for slug, name, district, pct in (
            (PLANTED_SLUG, f"Uji: Polmas Malioboro (efek {100 * effect:+.0f}% ditanam)", planted,
             100 * effect),
            (PLACEBO_SLUG, "Uji: plasebo (tanpa efek)", placebo, 0.0)):
        villages = Region.objects.villages().under(district).values_list("code", flat=True)
        intervention_record(slug=slug, name=name, places=dict.fromkeys(villages, start),
                            source="planted", planted_pct=pct)
