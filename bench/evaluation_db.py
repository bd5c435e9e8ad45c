"""The national evaluation read through the database, as `/evaluasi/` and `polmas evaluate` run
it: the issue's target is a national panel (83,762 villages x 48 months) in under 5 minutes
with memory under 2 GB, reading included (bench/evaluation.py --national times the estimate
on a panel already in memory).

    uv run python bench/evaluation_db.py [--var DIR] [--months 48] [--level 3] [--seed 5]

1. Set-up (not timed; kept between runs under --var, default bench/out/eval-national): the
   regions (once, every village of Indonesia), then synthetic monthly report rollups for every
   village (`analytics.MonthlyFigures`, level 4, only the non-zero village-months, as the
   rollups store them): negative binomial around a village level (log-normal around --level
   reports a month), a yearly season and a small trend. A third of the regencies carry an
   intervention (`bench-nasional`, every village of the regency, one InterventionPlace each),
   in three cohorts starting in months 13, 25 and 37 with planted effects of -20%, -30% and
   -10%. The true average effect in percent is computed from the expected counts as the
   estimators define it.
2. The timed part, in a process of its own (its peak memory is the run's):
   `evaluation.services.evaluate` for that intervention, outcome `reports`, never-treated
   comparison, 499 bootstrap draws, saved as a run: read the panel from the rollups, estimate,
   fidelity, save. Wall and CPU seconds, peak RSS (max RSS), the service's own timings and the
   load average; the estimate beside the planted truth.

SQLite (the target is stated for it). Results print as JSON and go to
bench/out/evaluation_db.json.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")

SLUG = "bench-nasional"
FIRST = 202101  # the first month of the panel
COHORTS = {13: -0.2, 25: -0.3, 37: -0.1}


def _django(var: Path) -> None:
    os.environ["POLMAS_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _month(k: int) -> int:
    """The k-th month (1-based) from FIRST as YYYYMM."""
    y, m = divmod(FIRST // 100 * 12 + FIRST % 100 - 1 + (k - 1), 12)
    return y * 100 + m + 1


def setup(var: Path, *, months: int, level: float, seed: int) -> dict:
    import numpy as np

    var.mkdir(parents=True, exist_ok=True)
    _django(var)
    from django.core.management import call_command
    from django.db import connection, transaction

    from polmas.analytics.models import MonthlyFigures
    from polmas.evaluation.models import EvaluationRun, Intervention, InterventionPlace
    from polmas.regions.models import Region

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if Region.objects.filter(level=4).count() < 83_000:
        call_command("load_regions")
    villages = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    regencies = sorted({v[:5] for v in villages})
    rng = np.random.default_rng(seed)
    treated = set(rng.choice(regencies, size=len(regencies) // 3, replace=False).tolist())
    starts = sorted(COHORTS)
    g_of = {r: starts[k % len(starts)] for k, r in enumerate(sorted(treated))}
    t = np.arange(1, months + 1)
    season = 1 + 0.15 * np.sin(2 * np.pi * t / 12) + 0.003 * t
    fields = [f for f in MonthlyFigures._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    position = {c: i for i, c in enumerate(columns)}
    blank = [0] * len(columns)
    blank[position["category_id"]] = None
    blank[position["level"]] = 4
    table = MonthlyFigures._meta.db_table
    # Our own bench's set-up rows, in bulk: executemany is several times bulk_create here.
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    month_codes = [_month(int(k)) for k in t]
    effect_sum = base_sum = 0.0
    rows = 0
    with transaction.atomic():
        MonthlyFigures.objects.filter(level=4).delete()
        EvaluationRun.objects.filter(intervention__slug=SLUG).delete()
        Intervention.objects.filter(slug=SLUG).delete()
        intervention = Intervention.objects.create(
            slug=SLUG, name="Bench: national staggered roll-out", source="planted")
        InterventionPlace.objects.bulk_create(
            [InterventionPlace(intervention=intervention, region_code=v,
                               start=dt.date(_month(g_of[v[:5]]) // 100, _month(g_of[v[:5]]) % 100, 1))
             for v in villages if v[:5] in g_of], batch_size=5000)
        with connection.cursor() as cursor:
            chunk = 4000
            for s in range(0, len(villages), chunk):
                codes = villages[s:s + chunk]
                mu0 = level * rng.lognormal(0.0, 0.5, len(codes))[:, None] * season[None, :]
                g = np.array([g_of.get(c[:5], 0) for c in codes])
                eff = np.zeros_like(mu0)
                for i in np.flatnonzero(g):
                    eff[i] = np.where(t >= g[i], COHORTS[g[i]], 0.0)
                mu = mu0 * (1 + eff)
                post = eff != 0
                effect_sum += float((mu0 * eff)[post].sum())
                base_sum += float(mu0[post].sum())
                y = rng.poisson(rng.gamma(20.0, mu / 20.0))
                i_idx, j_idx = np.nonzero(y)
                batch = []
                for a, b in zip(i_idx.tolist(), j_idx.tolist(), strict=True):
                    row = list(blank)
                    row[position["prefix"]] = codes[a]
                    row[position["month"]] = month_codes[b]
                    row[position["reports"]] = int(y[a, b])
                    batch.append(row)
                cursor.executemany(sql, batch)
                rows += len(batch)
    return {"villages": len(villages), "regencies": len(regencies),
            "treated_regencies": len(treated), "months": months, "rows": rows,
            "truth_pct": round(100.0 * effect_sum / base_sum, 3),
            "setup_seconds": round(time.perf_counter() - started, 1)}


def timed(var: Path) -> None:
    """The timed part, in a process of its own: print JSON."""
    import resource

    _django(var)
    from polmas.evaluation.models import Intervention
    from polmas.evaluation.services import evaluate

    intervention = Intervention.objects.get(slug=SLUG)
    load_before = os.getloadavg()
    wall, cpu = time.perf_counter(), time.process_time()
    result = evaluate(intervention=intervention, outcome="reports", pool="never", seed=1,
                      biters=499, synthetic=False, save=True)
    out = {"wall_s": round(time.perf_counter() - wall, 1),
           "cpu_s": round(time.process_time() - cpu, 1),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "timings": result["seconds"], "estimate_pct": result["estimate_pct"],
           "ci": [result["ci_low_pct"], result["ci_high_pct"]],
           "n_treated": result["n_treated"], "n_comparison": result["n_comparison"],
           "load_before": load_before, "load_after": os.getloadavg()}
    print(json.dumps(out, default=float))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--var", type=Path, default=ROOT / "bench" / "out" / "eval-national")
    ap.add_argument("--months", type=int, default=48)
    ap.add_argument("--level", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--skip-setup", action="store_true", help="reuse the last set-up")
    ap.add_argument("--timed", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.timed:
        timed(args.var)
        return
    state = args.var / "setup.json"
    if args.skip_setup and state.exists():
        made = json.loads(state.read_text())
    else:
        made = setup(args.var, months=args.months, level=args.level, seed=args.seed)
        state.write_text(json.dumps(made))
    print(json.dumps({"setup": made}), flush=True)
    proc = subprocess.run([sys.executable, __file__, "--timed", "--var", str(args.var)],  # noqa: S603
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    run = json.loads(proc.stdout.strip().splitlines()[-1])
    run["target"] = {"wall_s": 300, "peak_rss_mb": 2048}
    out = {"setup": made, "run": run}
    (ROOT / "bench" / "out" / "evaluation_db.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
