"""The demo's one labelled outbreak: thefts at 4x the baseline in the last 3 complete weeks, in
two neighbouring villages of Kecamatan Tejakula (51.08.09), for the early warning to find.

The baseline is measured from the thefts already in the database (the weeks before the
outbreak, from the first report on), floored at 1 a week so that the outbreak shows even
without years of history. Each planted report carries a tracking hash made from the seed,
village, week and number, so running again adds only what is missing.
"""

import datetime as dt
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from polmas.regions.models import Region
from polmas.regions.zones import zone_of
from polmas.reports.models import Category, Report

DISTRICT = "51.08.09"  # Tejakula, Buleleng
CATEGORY = "theft"
# 4x, not 3x: over the demo's 48 months of history Tejakula's villages see about 1.1 thefts a
# week, and 3x in two villages for three weeks (18 against 6.8 expected) stayed under the
# detectors' threshold, so the demo showed no alarm for it; at 4x the negbin detector flags it.
FACTOR = 4
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


@dataclass(frozen=True)
class OutbreakSpec:
    """What to plant: `villages` neighbouring villages of `district` at `factor` x their
    baseline in each of the last `weeks` complete weeks. The default is the demo's one."""

    villages: int = 2
    factor: float = FACTOR
    weeks: int = WEEKS
    district: str = DISTRICT


class OutbreakRefused(ValueError):
    """The outbreak asked for cannot be planted; the message says why."""


LIMITS = {"villages": (1, 10), "factor": (1.5, 10.0), "weeks": (1, 12)}
SPEC_FORMAT = "VILLAGES:FACTOR:WEEKS"


def outbreak_spec_parse(text: str, *, district: str = DISTRICT) -> OutbreakSpec:
    """"3:2.5:4" -> 3 villages at 2.5x for 4 weeks in `district`. ValueError naming the part
    and the reason for anything else."""
    parts = (text or "").strip().split(":")
    if len(parts) != 3:
        raise ValueError(f"{text!r} is not {SPEC_FORMAT} (three numbers separated by colons, e.g. 2:4:3)")
    values: dict[str, float] = {}
    for name, raw, kind in zip(("villages", "factor", "weeks"), parts, (int, float, int), strict=True):
        try:
            value = kind(raw)
        except ValueError:
            whole = "a whole number" if kind is int else "a number"
            raise ValueError(f"{name.upper()} {raw!r} is not {whole}") from None
        low, high = LIMITS[name]
        if not low <= value <= high:  # also refuses nan and inf
            raise ValueError(f"{name.upper()} {raw!r} must lie between {low:g} and {high:g}")
        values[name] = value
    if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", district or ""):
        raise ValueError(f"district {district!r} is not a district code (like 51.08.09)")
    return OutbreakSpec(villages=int(values["villages"]), factor=float(values["factor"]),
                        weeks=int(values["weeks"]), district=district)


def outbreak_villages(n: int = 2, district: str = DISTRICT) -> list[Region]:
    """`n` neighbouring villages of `district`: the first village with coordinates and its
    n - 1 nearest (by squared degrees, enough at this scale); fewer if the district has fewer."""
    villages = [v for v in Region.objects.under(district).filter(level=4).order_by("code")
                if v.latitude is not None and v.longitude is not None]
    if not villages:
        return []
    first = villages[0]
    nearest = sorted(villages[1:], key=lambda v: ((v.latitude - first.latitude) ** 2
                                                 + (v.longitude - first.longitude) ** 2, v.code))
    return [first, *nearest[:n - 1]]


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


def outbreak_plant(*, seed: int, spec: OutbreakSpec = OutbreakSpec(),
                   progress: Callable[[int], None] | None = None, today: dt.date | None = None) -> int:
    """Add the thefts that bring each of the spec's villages to its factor x its baseline in
    each of its last weeks (complete weeks, in the villages' zone). Safe to rerun (adds only
    what is missing). Returns the reports added; OutbreakRefused when the district has fewer
    villages with coordinates than asked for."""
    category = Category.objects.filter(code=CATEGORY).first()
    villages = outbreak_villages(spec.villages, spec.district)
    if category is None:
        return 0
    if len(villages) < spec.villages:
        raise OutbreakRefused(f"district {spec.district} has {len(villages)} villages with coordinates, "
                         f"fewer than the {spec.villages} asked for")
    today = today or timezone.now().date()
    last = _monday(today) - dt.timedelta(weeks=1)
    weeks = [last - dt.timedelta(weeks=k) for k in range(spec.weeks - 1, -1, -1)]
    rng = random.Random(f"{seed}:outbreak")
    rows: list[Report] = []
    for village in villages:
        target = round(spec.factor * _baseline(village.code, category, weeks[0]))
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
