"""Who covers which village, and where forums stand: the national plan.

The plan is always made for the whole country, so the part generated for a few provinces
(the demo) is the same as that part of the national simulation, and the national totals
(49,335 Bhabinkamtibmas, 48,890 FKPM) come out exactly.
"""

import random
from dataclasses import dataclass, field

from polmas.regions import codes
from polmas.regions.models import Region
from polmas.simulation.allocate import allocate

OFFICERS_TOTAL = 49_335
FORUMS_TOTAL = 48_890
# Villages the demo accounts work in: always covered, always with a forum.
PINNED_DISTRICT = "51.08.09"  # Tejakula, Buleleng
PINNED_VILLAGE = "51.08.09.2007"  # Desa Les

# Share of villages an island group's commands manage to cover: Java and Bali best,
# Papua and Maluku worst (distance, terrain, staffing).
COVERAGE_BY_GROUP = {
    "java_bali": 0.95, "sumatra": 0.86, "kalimantan": 0.8, "sulawesi": 0.84,
    "nusa_tenggara": 0.78, "maluku": 0.7, "papua": 0.45,
}  # fmt: skip
FORUM_PROPENSITY = {
    "java_bali": 1.0, "sumatra": 0.85, "kalimantan": 0.75, "sulawesi": 0.85,
    "nusa_tenggara": 0.8, "maluku": 0.6, "papua": 0.35,
}  # fmt: skip


def island_group(province: str) -> str:
    n = int(province)
    if 31 <= n <= 36 or n == 51:
        return "java_bali"
    if n < 30:
        return "sumatra"
    if 52 <= n <= 53:
        return "nusa_tenggara"
    if 61 <= n <= 65:
        return "kalimantan"
    if 71 <= n <= 76:
        return "sulawesi"
    if 81 <= n <= 82:
        return "maluku"
    return "papua"


@dataclass
class RegencyPlan:
    code: str
    officers: list[list[str]] = field(default_factory=list)  # villages of each officer
    forum_villages: list[str] = field(default_factory=list)


def national_quotas(seed: int) -> dict[str, tuple[int, int]]:
    """Officers and forums per regency: officers by population, forums by villages."""
    regencies = list(Region.objects.filter(level=codes.REGENCY).order_by("code")
                     .values_list("code", "population"))
    counts: dict[str, int] = {}
    for code in Region.objects.filter(level=codes.VILLAGE).values_list("code", flat=True):
        counts[code[:5]] = counts.get(code[:5], 0) + 1
    rng = random.Random(f"{seed}:quotas")
    villages = [counts.get(c, 0) for c, _ in regencies]
    pop = [float(p or 0) or 1.0 for _, p in regencies]
    caps = villages[:]
    pinned_regency = [c for c, _ in regencies].index(PINNED_DISTRICT[:5]) if any(
        c == PINNED_DISTRICT[:5] for c, _ in regencies) else None
    if pinned_regency is not None:
        pinned = len(counts_pinned())
        caps[pinned_regency] -= pinned - -(-pinned // 4)
    officers = allocate(OFFICERS_TOTAL, pop, caps=caps)
    forum_w = [v * FORUM_PROPENSITY[island_group(c[:2])] * rng.uniform(0.8, 1.2)
               for (c, _), v in zip(regencies, villages, strict=True)]
    forums = allocate(FORUMS_TOTAL, forum_w, caps=villages)
    return {c: (o, f) for (c, _), o, f in zip(regencies, officers, forums, strict=True)}


def counts_pinned() -> list[str]:
    return list(Region.objects.under(PINNED_DISTRICT).filter(level=codes.VILLAGE)
                .values_list("code", flat=True))


def plan_regency(code: str, villages: list[str], n_officers: int, n_forums: int,
                 seed: int) -> RegencyPlan:
    """Spread the regency's officers over its districts, and its forums over its villages."""
    rng = random.Random(f"{seed}:{code}")
    plan = RegencyPlan(code=code)
    if not villages:
        return plan
    coverage = min(1.0, COVERAGE_BY_GROUP[island_group(code[:2])] + rng.uniform(-0.08, 0.08))
    if code == PINNED_DISTRICT[:5]:
        coverage = 1.0  # so that the demo district's officers can each take a few villages
    n_covered = max(n_officers, min(len(villages), round(len(villages) * coverage),
                                    3 * n_officers))
    shuffled = villages[:]
    rng.shuffle(shuffled)
    pinned = [v for v in shuffled if v.startswith(PINNED_DISTRICT + ".")]
    pinned_set = set(pinned)
    shuffled = pinned + [v for v in shuffled if v not in pinned_set]
    covered = sorted(shuffled[:n_covered])

    by_district: dict[str, list[str]] = {}
    for v in covered:
        by_district.setdefault(v[:8], []).append(v)
    districts = sorted(by_district)
    caps = [len(by_district[d]) for d in districts]
    if PINNED_DISTRICT in by_district:
        # The demo's Bhabinkamtibmas covers a few villages, as most do outside Java and Bali.
        i = districts.index(PINNED_DISTRICT)
        pinned_cap = -(-caps[i] // 4)
        if sum(caps) - caps[i] + pinned_cap >= n_officers:
            caps[i] = pinned_cap
    per_district = allocate(n_officers, [len(by_district[d]) for d in districts], caps=caps)
    for d, k in zip(districts, per_district, strict=True):
        vs = by_district[d]
        if k == 0:
            continue
        # k officers over len(vs) neighbouring villages, sizes differing by at most one.
        size, extra = divmod(len(vs), k)
        start = 0
        for i in range(k):
            end = start + size + (1 if i < extra else 0)
            plan.officers.append(vs[start:end])
            start = end
    covered_set = set(covered)
    uncovered = [v for v in villages if v not in covered_set]
    rng.shuffle(uncovered)
    cov_pool = covered[:]
    rng.shuffle(cov_pool)
    pinned_forum = [PINNED_VILLAGE] if PINNED_VILLAGE in cov_pool else []
    cov_pool = pinned_forum + [v for v in cov_pool if v != PINNED_VILLAGE]
    from_uncovered = min(len(uncovered), round(n_forums * 0.12))
    from_covered = min(len(cov_pool), n_forums - from_uncovered)
    from_uncovered = min(len(uncovered), n_forums - from_covered)
    plan.forum_villages = sorted(cov_pool[:from_covered] + uncovered[:from_uncovered])
    return plan
