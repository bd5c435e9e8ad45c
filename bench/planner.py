"""Benchmark the replication planner (planning/planner.py, issue 20).

    POLMAS_VAR_DIR=... uv run python bench/planner.py [--polres 51.08] [--region 51] [--national]
        [--k 3] [--d 5]

1. One Polres (`--polres`, default Buleleng 51.08): wall time of planner.plan, the slowest
   Polsek problem, gap_max, coverage today / plan / greedy.
2. `--region` (default Bali, 51): the same over a province.
3. `--national`: the whole country (""), on whatever data the database holds (the national
   dataset comes from `polmas simulate --scale national`); peak memory (VmHWM).
Targets (issue 20): one Polres < 5 s; national < 5 min and < 2 GB; every gap <= 0.5%.
Results are printed as JSON lines and written to bench/out/planner.json.
"""

import argparse
import json
import os
import pathlib
import time


def vm_hwm_mb() -> float:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(region: str, k: int, d: float) -> dict:
    from polmas.planning.planner import plan

    t0 = time.perf_counter()
    result = plan(region, k=k, d_km=d)
    seconds = time.perf_counter() - t0
    slowest = max(result.districts, key=lambda x: x.seconds, default=None)
    return {
        "region": region or "ID", "k": k, "d_km": d, "seconds": round(seconds, 2),
        "polsek_problems": len(result.districts),
        "slowest_polsek": slowest.district if slowest else None,
        "slowest_seconds": slowest.seconds if slowest else None,
        "gap_max": result.gap_max,
        "unproven": sum(1 for x in result.districts if x.gap > 0.005),
        "coverage_before": result.coverage_before, "coverage_after": result.coverage_after,
        "greedy_coverage": result.greedy_coverage, "moved": result.moved,
        "peak_rss_mb": round(vm_hwm_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polres", default="51.08")
    parser.add_argument("--region", default="51")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--d", type=float, default=5.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    import django

    django.setup()
    out = []
    regions = [args.polres, args.region] + ([""] if args.national else [])
    for region in regions:
        row = run(region, args.k, args.d)
        print(json.dumps(row), flush=True)
        out.append(row)
    target = pathlib.Path(__file__).parent / "out"
    target.mkdir(exist_ok=True)
    (target / "planner.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
