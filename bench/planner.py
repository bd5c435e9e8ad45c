"""Benchmark the replication planner (planning/planner.py, issue 20).

    POLMAS_VAR_DIR=... uv run python bench/planner.py [--polres 51.08] [--region 51] [--national]
        [--k 3] [--d 5]

1. One Polres (`--polres`, default Buleleng 51.08): wall time of planner.plan, the slowest
   Polsek problem, gap_max, coverage today / plan / greedy.
2. `--region` (default Bali, 51): the same over a province.
3. `--national`: the whole country (""), on whatever data the database holds (the national
   dataset comes from `polmas simulate --scale national`); peak memory (VmHWM).
4. `--second-solver N`: N Polsek problems of the last region run, drawn at random
   (`--sample-seed`), solved again by CBC through PuLP (tests/planning/second_solver.py, the
   dev dependencies); each optimum must equal HiGHS's (to 1e-6, relative to the optimum).
Targets (issue 20): one Polres < 5 s; national < 5 min and < 2 GB; every gap <= 0.5%.
Each run also gives the process's CPU seconds (user + system) it took.
Results are printed as JSON lines and written to bench/out/planner.json.
"""

import argparse
import json
import os
import pathlib
import random
import resource
import sys
import time


def vm_hwm_mb() -> float:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(region: str, k: int, d: float) -> dict:
    from polmas.planning.planner import plan

    t0, c0 = time.perf_counter(), cpu_seconds()
    result = plan(region, k=k, d_km=d)
    seconds = time.perf_counter() - t0
    cpu = cpu_seconds() - c0
    slowest = max(result.districts, key=lambda x: x.seconds, default=None)
    return {
        "region": region or "ID", "k": k, "d_km": d, "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2), "villages": sum(x.villages for x in result.districts),
        "polsek_problems": len(result.districts),
        "slowest_polsek": slowest.district if slowest else None,
        "slowest_seconds": slowest.seconds if slowest else None,
        "gap_max": result.gap_max,
        "unproven": sum(1 for x in result.districts if x.gap > 0.005),
        "coverage_before": result.coverage_before, "coverage_after": result.coverage_after,
        "greedy_coverage": result.greedy_coverage, "moved": result.moved,
        "peak_rss_mb": round(vm_hwm_mb(), 1),
    }


def second_solver(region: str, k: int, d: float, n: int, seed: int) -> dict:
    """N Polsek problems of `region`, at random, solved by HiGHS (the planner) and by CBC."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from tests.planning.second_solver import cbc_objective

    from polmas.planning import optimise
    from polmas.planning.planner import build_problems

    problems, _needs = build_problems(region, k=k, d_km=d)
    problems = [p for p, _unit in problems if p.villages]
    sample = random.Random(seed).sample(problems, min(n, len(problems)))
    rows, equal = [], 0
    for problem in sample:
        t0 = time.perf_counter()
        highs = optimise.solve(problem).objective
        t1 = time.perf_counter()
        cbc = cbc_objective(problem)
        t2 = time.perf_counter()
        same = abs(highs - cbc) <= 1e-6 * max(1.0, abs(cbc))
        equal += same
        rows.append({"district": problem.district, "villages": len(problem.villages),
                     "officers": len(problem.current), "highs": round(highs, 6), "cbc": round(cbc, 6),
                     "equal": same, "highs_s": round(t1 - t0, 3), "cbc_s": round(t2 - t1, 3)})
    return {"second_solver": "cbc", "region": region or "ID", "sampled": len(sample), "equal": equal,
            "max_villages": max((r["villages"] for r in rows), default=0), "problems": rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polres", default="51.08")
    parser.add_argument("--region", default="51")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--d", type=float, default=5.0)
    parser.add_argument("--second-solver", type=int, default=0, metavar="N")
    parser.add_argument("--sample-seed", type=int, default=20)
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
    if args.second_solver:
        row = second_solver(regions[-1], args.k, args.d, args.second_solver, args.sample_seed)
        print(json.dumps({k: v for k, v in row.items() if k != "problems"}), flush=True)
        out.append(row)
    target = pathlib.Path(__file__).parent / "out"
    target.mkdir(exist_ok=True)
    (target / "planner.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
