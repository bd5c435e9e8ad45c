"""A simulated wave with a planted truth, to check the estimator against it.

Each regency gets a true share for `feel_safe` and `trust_police`, correlated with its
population (larger, more urban regencies feel a little less safe and trust a little less),
plus noise; each village varies around its regency (so clustering matters, as in the field).
The planted regency truth is the household-weighted mean of all its villages' shares: the
quantity a design-based estimator targets. Seeded: the same seed plants the same truth.
"""

import math

import numpy as np

from polmas.surveys.sampling import HOUSEHOLD_SIZE, Drawn

PLANTED = ("feel_safe", "trust_police")
BASE = {"feel_safe": 0.55, "trust_police": 0.35}
SLOPE = {"feel_safe": -0.25, "trust_police": -0.2}
REGENCY_SD = 0.45
VILLAGE_SD = 0.35


def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def plant(frame: dict[str, list[tuple[str, float]]], populations: dict[str, float], seed: int):
    """(village shares {indicator: {village: p}}, regency truths {regency: {indicator: p}})."""
    rng = np.random.default_rng([seed, 1])
    regencies = sorted(frame)
    logpop = np.log(np.array([max(populations.get(r) or 1.0, 1.0) for r in regencies]))
    z = (logpop - logpop.mean()) / (logpop.std() or 1.0)
    village_p: dict[str, dict[str, float]] = {k: {} for k in PLANTED}
    truth: dict[str, dict[str, float]] = {r: {} for r in regencies}
    for key in PLANTED:
        centre = BASE[key] + SLOPE[key] * z + rng.normal(0, REGENCY_SD, len(regencies))
        for r, c in zip(regencies, centre, strict=True):
            villages = frame[r]
            p = _expit(c + rng.normal(0, VILLAGE_SD, len(villages)))
            households = np.array([max(1, round(size / HOUSEHOLD_SIZE)) for _, size in villages], float)
            truth[r][key] = float(np.sum(households * p) / households.sum())
            village_p[key].update({code: float(pv) for (code, _), pv in zip(villages, p, strict=True)})
    return village_p, truth


def answers_for(village: str, count: int, village_p: dict[str, dict[str, float]],
                rng: np.random.Generator) -> list[dict[str, str]]:
    """`count` respondents' answers to the standard module in one village."""
    safe = rng.random(count) < village_p["feel_safe"][village]
    trust = rng.random(count) < village_p["trust_police"][village]
    latent = np.where(trust, 0.8, -0.8) + rng.normal(0, 0.8, count)
    cols = {
        "feel_safe": np.where(safe, rng.integers(3, 5, count), rng.integers(1, 3, count)),
        "fear_home": np.where(rng.random(count) < 0.6, 0, rng.integers(1, 5, count)),
        "trust_police": np.where(trust, rng.integers(6, 11, count), rng.integers(0, 6, count)),
        "police_respect": np.clip(np.round(2.5 + 0.9 * latent + rng.normal(0, 0.5, count)), 1, 4),
        "police_fair": np.clip(np.round(2.5 + 0.9 * latent + rng.normal(0, 0.5, count)), 1, 4),
        "police_values": np.clip(np.round(3 - 1.0 * latent + rng.normal(0, 0.6, count)), 1, 5),
        "age": rng.integers(17, 81, count),
    }
    text = {k: [str(int(v)) for v in col] for k, col in cols.items()}
    victim = rng.random(count) < 0.08
    reported = rng.random(count) < 0.35
    know = rng.random(count) < 0.55
    met = rng.random(count) < 0.6
    fkpm = rng.choice(["yes", "no", "dk"], p=[0.35, 0.35, 0.3], size=count)
    out = []
    for i in range(count):
        a = {"consent": "yes", **{k: v[i] for k, v in text.items()},
             "victim_12m": "yes" if victim[i] else "no", "know_bhabin": "yes" if know[i] else "no",
             "know_fkpm": str(fkpm[i])}
        if victim[i]:
            a["victim_reported"] = "yes" if reported[i] else "no"
        if know[i]:
            a["met_bhabin"] = "yes" if met[i] else "no"
        out.append(a)
    return out


def respondents(drawn: dict[str, list[Drawn]], village_p, seed: int, response_rate: float = 1.0):
    """(village, weight, answers) for every household interviewed in a drawn sample."""
    rng = np.random.default_rng([seed, 2])
    for regency in sorted(drawn):
        for d in drawn[regency]:
            answered = int(rng.binomial(d.planned, response_rate)) if response_rate < 1 else d.planned
            if answered == 0:
                continue
            weight = d.households / (d.prob * d.planned) * (d.planned / answered)
            for a in answers_for(d.code, answered, village_p, rng):
                yield d.code, weight, a


def covered(truth: float, low: float | None, high: float | None) -> bool | None:
    if low is None or high is None or math.isnan(low):
        return None
    return low <= 100 * truth <= high
