"""The demo's one labelled outbreak: thefts at 3x the baseline in the last 3 complete weeks, in
two neighbouring villages of Kecamatan Tejakula (51.08.09), for the early warning to find.

The baseline is measured from the thefts already in the database (the weeks before the
outbreak, from the first report on), floored at 1 a week so that the outbreak shows even
without years of history. Each planted report carries a tracking hash made from the seed,
village, week and number, so running again adds only what is missing.
"""

import datetime as dt
import hashlib
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from polmas.regions.models import Region
from polmas.regions.zones import zone_of
from polmas.reports.models import Category, Report

DISTRICT = "51.08.09"  # Tejakula, Buleleng
CATEGORY = "theft"
FACTOR = 3
WEEKS = 3
FLOOR = 1.0  # reports a week: the least baseline assumed
HISTORY_WEEKS = 52
DESCRIPTIONS = [
    "Sepeda motor hilang dari depan rumah pada malam hari.",
    "Ponsel dicuri dari warung saat pemilik lengah.",
    "Ternak ayam hilang dari kandang, pagar dirusak.",
    "Tabung gas dicuri dari dapur rumah warga.",
    "Kotak amal pura dibobol dan uangnya diambil.",
]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _start(day: dt.date, region: Region | None = None) -> dt.datetime:
    """Midnight starting `day` in the zone of `region` (WITA for Tejakula): the early
    warning counts each village's own weeks."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone_of(region) if region is not None else dt.UTC)


def outbreak_villages() -> list[Region]:
    """Two neighbouring villages of Tejakula: the first village with coordinates and its
    nearest neighbour (by squared degrees, enough at this scale)."""
    villages = [v for v in Region.objects.under(DISTRICT).filter(level=4).order_by("code")
                if v.latitude is not None and v.longitude is not None]
    if len(villages) < 2:
        return villages
    first = villages[0]
    nearest = min(villages[1:], key=lambda v: (v.latitude - first.latitude) ** 2
                  + (v.longitude - first.longitude) ** 2)
    return [first, nearest]


def _baseline(village: str, category: Category, outbreak_start: dt.date) -> float:
    """Thefts a week in `village` over the weeks before the outbreak (since its first theft or
    report), at least FLOOR."""
    before = Report.objects.filter(village_id=village, spam=False, duplicate_of__isnull=True,
                                   created_at__lt=_start(outbreak_start))
    first = before.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return FLOOR
    since = max(_monday(first.astimezone(dt.UTC).date()), outbreak_start - dt.timedelta(weeks=HISTORY_WEEKS))
    weeks = max((outbreak_start - since).days // 7, 1)
    thefts = before.filter(category=category, created_at__gte=_start(since)).count()
    return max(thefts / weeks, FLOOR)


def outbreak_plant(*, seed: int, progress: Callable[[int], None] | None = None,
                   today: dt.date | None = None) -> int:
    """Add the thefts that bring each of the two villages to FACTOR x its baseline in each of
    the last WEEKS complete weeks. Safe to rerun (adds only what is missing). Returns the
    reports added."""
    category = Category.objects.filter(code=CATEGORY).first()
    villages = outbreak_villages()
    if category is None or len(villages) < 2:
        return 0
    today = today or timezone.now().date()
    last = _monday(today) - dt.timedelta(weeks=1)
    weeks = [last - dt.timedelta(weeks=k) for k in range(WEEKS - 1, -1, -1)]
    rng = random.Random(f"{seed}:outbreak")
    rows: list[Report] = []
    for village in villages:
        target = round(FACTOR * _baseline(village.code, category, weeks[0]))
        for monday in weeks:
            have = Report.objects.filter(
                village=village, category=category, spam=False, duplicate_of__isnull=True,
                created_at__gte=_start(monday, village),
                created_at__lt=_start(monday + dt.timedelta(weeks=1), village)).count()
            for i in range(target):
                key = f"outbreak:{seed}:{village.code}:{monday}:{i}"
                digest = hashlib.sha256(key.encode()).hexdigest()
                if i < have or Report.objects.filter(tracking_hash=digest).exists():
                    continue
                when = _start(monday, village) + dt.timedelta(hours=rng.uniform(1, 24 * 7 - 1))
                rows.append(Report(category=category, description=rng.choice(DESCRIPTIONS), village=village,
                                   latitude=village.latitude, longitude=village.longitude, occurred_at=when,
                                   channel=Report.Channel.WEB, tracking_hash=digest, routed_at=when))
                rows[-1].planted_at = when  # type: ignore[attr-defined]  # created_at is set below
    with transaction.atomic():
        made = Report.objects.bulk_create(rows, batch_size=1000)
        # created_at is auto_now_add: bulk_create stamps it with now, so set the week's time after.
        for report in made:
            at = report.planted_at
            Report.objects.filter(pk=report.pk).update(created_at=at, updated_at=at)
    if progress is not None:
        progress(len(made))
    return len(made)
