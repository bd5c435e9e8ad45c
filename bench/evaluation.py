"""Benchmark and proof for the evaluation room (no database: planted in-memory panels).

    uv run python bench/evaluation.py [--runs 400] [--skip-speed]

1. Placebo coverage: `--runs` panels with no effect planted (120 villages in 20 regencies,
   half of them starting in month 13 of 24); the share of Callaway-Sant'Anna 95% intervals
   that exclude 0, with its Monte-Carlo 95% interval (Wilson). Target 3-7%. Also the share of
   pre-trend tests under 0.05 (target ~5%). The seeds (50,000 + run) were not used to choose
   the interval's method (that was done on seeds 20,000 + run and 30,000 + run, ADR 0025).
   `--clustered-runs` more panels with a regency-month shock (log sd 0.1), where clustering
   matters.
2. Planted effects: the single area (-30%) and the staggered cohorts, as in the tests, with
   naive two-way fixed effects beside Callaway-Sant'Anna.
3. Speed (unless --skip-speed): one province-sized panel, 5,000 villages x 48 months in 40
   regencies, three cohorts; wall and CPU seconds and peak memory (RSS) of the estimate.
   Target < 30 s.
4. National speed (`--national`, alone: its peak memory is the process's): 83,762 villages x
   48 months in 514 regencies, three cohorts; wall and CPU seconds, peak RSS and the load
   average. Target < 5 minutes and < 2 GB.

    uv run python bench/evaluation.py --national

Results print as JSON.
"""

import argparse
import json
import math
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

from polmas.evaluation import estimators as E  # noqa: E402
from polmas.evaluation.planted import planted_panel  # noqa: E402


def wilson(k: int, n: int, z: float = 1.96) -> list[float]:
    """95% Monte-Carlo interval of a share k / n, in percent."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(100 * (centre - half), 2), round(100 * (centre + half), 2)]


def placebo(runs: int, *, first_seed: int = 50_000, cluster_sd: float = 0.0) -> dict:
    excluded = pre_fail = 0
    started = time.monotonic()
    for s in range(runs):
        p = planted_panel(seed=first_seed + s, places=120, clusters=20, months=24,
                          cohorts={13: 0.0}, treated_share=0.5, cluster_sd=cluster_sd)
        est = E.staggered_did(p.panel, seed=s, biters=999)
        excluded += not (est.ci_low_pct <= 0 <= est.ci_high_pct)
        pre_fail += est.pre_trend_p is not None and est.pre_trend_p < 0.05
    return {"runs": runs, "seeds": [first_seed, first_seed + runs - 1], "cluster_sd": cluster_sd,
            "ci_excludes_zero_pct": round(100 * excluded / runs, 2),
            "ci_excludes_zero_mc95": wilson(excluded, runs),
            "pre_trend_fails_pct": round(100 * pre_fail / runs, 2),
            "target_pct": [3, 7], "seconds": round(time.monotonic() - started, 1)}


def planted() -> dict:
    single = planted_panel(seed=1, places=240, clusters=20, months=48, cohorts={25: -0.3},
                           treated_share=0.1, treated_clusters=2)
    stag = planted_panel(seed=2, places=400, clusters=30, months=48,
                         cohorts={13: -0.5, 25: -0.3, 37: -0.1}, treated_share=0.75, ramp=12)
    cs1 = E.staggered_did(single.panel, seed=1, biters=499)
    sc1 = E.synthetic_control(single.panel)
    cs2 = E.staggered_did(stag.panel, seed=1, biters=499)
    tw2 = E.twfe(stag.panel)
    return {
        "single": {"truth_pct": single.true_pct, "cs": cs1.as_json(),
                   "synthetic_control_pct": round(sc1.estimate_pct, 2),
                   "placebo_p": sc1.extra["placebo_p"]},
        "staggered": {"truth_pct": round(stag.true_pct, 3), "cs": cs2.as_json(),
                      "twfe": tw2.as_json()},
    }


def speed(places: int = 5000, clusters: int = 40, target_s: int = 30) -> dict:
    p = planted_panel(seed=3, places=places, clusters=clusters, months=48,
                      cohorts={13: -0.2, 25: -0.3, 37: -0.1}, treated_share=0.3)
    load_before = os.getloadavg()
    wall, cpu = time.monotonic(), time.process_time()
    est = E.staggered_did(p.panel, seed=1, biters=499)
    return {"villages": places, "months": 48, "wall_s": round(time.monotonic() - wall, 1),
            "cpu_s": round(time.process_time() - cpu, 1), "target_s": target_s,
            "load_before": load_before,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "estimate_pct": round(est.estimate_pct, 2), "truth_pct": round(p.true_pct, 2),
            "load": os.getloadavg()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--clustered-runs", type=int, default=0,
                    help="placebo panels with a regency-month shock as well")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--national", action="store_true",
                    help="only the national panel (83,762 villages x 48 months)")
    args = ap.parse_args()
    if args.national:
        print(json.dumps({"national": speed(83_762, 514, 300)}, indent=2, default=float))
        return
    out = {"placebo": placebo(args.runs)}
    if args.clustered_runs:
        out["placebo_clustered"] = placebo(args.clustered_runs, first_seed=60_000,
                                           cluster_sd=0.1)
    out["planted"] = planted()
    if not args.skip_speed:
        out["speed"] = speed()
    print(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
