"""The early-warning detectors against planted outbreaks, side by side.

    uv run python bench/early_warning.py [--seed 1] [--districts 300] [--runs 1]

A seeded world (src/polmas/earlywarning/planted.py): `--districts` districts of 10-20
villages, 4 years of negative-binomial weekly counts per village with a village level
(log-normal: median 1 a week), yearly seasonality and a pasaran market-day effect; two
outbreaks per district in the last year (1-5 neighbouring villages, 2-4x, 2-6 weeks). Each
detector runs on every week of that year; the figures:

- sensitivity: outbreaks with an alarm touching one of their villages in their first 2 weeks;
- false alarms per district-year: alarms touching no running outbreak, per series-year (the
  world is one category group) and per district-year (times detectors.VILLAGE_SERIES: the
  weekly run scans each district's three village groups on their own, and their false alarms
  add);
- PPV: the share of alarms that touch a running outbreak.

Targets (issue 19): sensitivity >= 85%, false alarms <= 1 per district-year, PPV >= 50%.
Beside the detectors, the oracle: the default scan fed the world's true expected counts,
its level set on the world itself at 1 false alarm per district-year (the best that scan
can do; planted.py). Results also go to bench/out/early_warning.json.

    uv run python bench/early_warning.py --calibrate --seed 3 --districts 300 [--budget 0.85]

The scan level (-log10 of detectors.SCAN_P) at which the default raises `--budget` false
alarms per district-year on that world: how detectors.SCAN_LEVEL was set. Calibrate on a
seed the figures are not reported on.

    uv run python bench/early_warning.py --national [--weeks 157] [--level 0.3] [--var DIR] [--fresh]

The national weekly run's speed (target: under 2 minutes, memory under 1.5 GB, on SQLite):
a database of its own under --var (default bench/out/ew-national; the regions loaded once,
83,762 villages) gets synthetic weekly counts for every village and `--weeks` weeks
(negative-binomial, a village level log-normal around --level reports a week per group,
yearly seasonality; sensitive matters per district), then a separate process runs the
weekly detection on them (earlywarning.run.alarms_find: read the counts, fit each district's
baseline, scan, store the alarms) and reports its wall time and peak memory (max RSS),
beside the load average and the run's CPU time (on a shared machine the CPU time is what a
quiet core would take). The database is built once and reused while --weeks, --level and
--seed are the same (--fresh rebuilds it; building takes several minutes). The recount from
the reports that precedes it in a real run is not timed here (there are no reports).
Results go to bench/out/early_warning_national.json.

    uv run python bench/early_warning.py --national --judge 13 [--var DIR]

Also judges the 12 weeks before (13 in all, each stored as the weekly run stores it) and counts
their alarms: nothing is planted in this world, so each is a false alarm; reported per
district-year (village groups) and per regency-year (sensitive matters). This is the sparse
world's false-alarm rate (a median of --level reports a week per village and group, against
the planted worlds' 1).
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")

from polmas.earlywarning import planted  # noqa: E402  (after the path is set)

TARGETS = {"sensitivity": 0.85, "false_per_district_year": 1.0, "ppv": 0.5}


NATIONAL_WEEK = dt.date(2026, 11, 23)  # the Monday of the week judged (2026-W48)


def _django(var: Path) -> None:
    os.environ["POLMAS_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)  # SQLite: the target is stated for it
    import django

    django.setup()


def national_setup(var: Path, *, weeks: int, level: float, seed: int, fresh: bool = False) -> dict:
    """The bench database: regions (once), then synthetic weekly counts replacing any before
    (kept when the database was built with the same weeks, level and seed, unless `fresh`)."""
    import numpy as np

    var.mkdir(parents=True, exist_ok=True)
    made = var / "setup.json"
    if made.exists() and not fresh:
        setup = json.loads(made.read_text())
        if (setup["weeks"], setup["level"], setup.get("seed")) == (weeks, level, seed):
            return {**setup, "reused": True}
    made.unlink(missing_ok=True)
    _django(var)
    from django.core.management import call_command
    from django.db import connection, transaction

    from polmas.earlywarning.models import Alarm, WeeklyCount
    from polmas.regions.models import Region

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if Region.objects.filter(level=4).count() < 83_000:
        call_command("load_regions")
    villages = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    districts = sorted({v[:8] for v in villages})
    rng = np.random.default_rng(seed)
    mondays = [NATIONAL_WEEK - dt.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    week_no = np.arange(weeks)
    table = WeeklyCount._meta.db_table
    # Our own app's table from our own bench, in bulk: executemany is ~10x Django's bulk_create
    # for the ~10 million rows written here (a set-up step, not what is timed).
    sql = f'INSERT INTO {table} (region_code, "group", week, count) VALUES (%s, %s, %s, %s)'  # noqa: S608
    rows = 0
    with transaction.atomic():
        WeeklyCount.objects.all().delete()
        Alarm.objects.all().delete()
        with connection.cursor() as cursor:
            chunk = 2000  # villages at a time
            for start in range(0, len(villages), chunk):
                codes = villages[start:start + chunk]
                n = len(codes)
                phase = rng.uniform(0, 2 * np.pi, n)
                for group in ("property", "violence", "disorder"):
                    mu = level * np.exp(rng.normal(0, 0.8, n))[:, None] * (
                        1 + 0.25 * np.sin(2 * np.pi * week_no[None, :] / 52.1775 + phase[:, None]))
                    counts = rng.negative_binomial(4.0, 4.0 / (4.0 + mu))
                    i, j = np.nonzero(counts)
                    batch = [(codes[a], group, mondays[b], int(counts[a, b]))
                             for a, b in zip(i, j, strict=True)]
                    cursor.executemany(sql, batch)
                    rows += len(batch)
            mu = level * 0.5 * np.exp(rng.normal(0, 0.5, len(districts)))[:, None] * np.ones((1, weeks))
            counts = rng.negative_binomial(4.0, 4.0 / (4.0 + mu))
            i, j = np.nonzero(counts)
            batch = [(districts[a], "sensitive", mondays[b], int(counts[a, b]))
                     for a, b in zip(i, j, strict=True)]
            cursor.executemany(sql, batch)
            rows += len(batch)
    setup = {"villages": len(villages), "districts": len(districts), "weeks": weeks, "rows": rows,
             "level": level, "seed": seed, "setup_seconds": round(time.perf_counter() - started, 1)}
    made.write_text(json.dumps(setup))
    return setup


def national_run(var: Path) -> None:
    """The timed part, in a process of its own (its peak memory is the run's): print JSON."""
    import resource

    _django(var)
    from polmas.earlywarning import run
    from polmas.earlywarning.models import Alarm
    from polmas.earlywarning.run import HISTORY, alarms_find

    spent = {"read": 0.0, "fit": 0.0, "fits": 0, "read_cpu": 0.0, "fit_cpu": 0.0}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - t0
                spent[name + "_cpu"] += time.process_time() - c0
                spent["fits"] += len(a[0]) if name == "fit" else 0  # a batch of districts' histories
        return wrapper

    # Where the time goes: reading the counts (run._read) and fitting the baselines
    # (run.nb_baselines, a batch of districts at a time); the rest is the scan and the store.
    run._read = timed("read", run._read)
    run.nb_baselines = timed("fit", run.nb_baselines)
    cpu_before = time.process_time()
    Alarm.objects.filter(week=NATIONAL_WEEK).delete()
    started = time.perf_counter()
    alarms = alarms_find(week=NATIONAL_WEEK, since=NATIONAL_WEEK - dt.timedelta(weeks=HISTORY))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 1), "alarms": len(alarms), "peak_rss_mb": round(peak_mb),
                      "cpu_seconds": round(cpu, 1),  # the run's (alarms_find's) own
                      "process_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),  # with Django's start
                      "read_seconds": round(spent["read"], 1), "fit_seconds": round(spent["fit"], 1),
                      "read_cpu_seconds": round(spent["read_cpu"], 1),
                      "fit_cpu_seconds": round(spent["fit_cpu"], 1),
                      "fits": spent["fits"]}))


def national_judge(var: Path, judged: int) -> None:
    """Judge the `judged` weeks up to NATIONAL_WEEK and count their alarms (all false: nothing
    is planted in the national bench's world): print JSON."""
    _django(var)
    from polmas.earlywarning.models import Alarm
    from polmas.earlywarning.run import HISTORY, alarms_find
    from polmas.regions.models import Region

    weeks = [NATIONAL_WEEK - dt.timedelta(weeks=k) for k in range(judged)]
    Alarm.objects.filter(week__in=weeks).delete()
    started = time.perf_counter()
    village = sensitive = 0
    for i, week in enumerate(weeks, 1):
        for a in alarms_find(week=week, since=week - dt.timedelta(weeks=HISTORY)):
            sensitive += a.group == "sensitive"
            village += a.group != "sensitive"
        print(f"\r  judged {i}/{judged} weeks, {village + sensitive} alarms", end="", file=sys.stderr,
              flush=True)
    print(file=sys.stderr)
    districts = Region.objects.filter(level=Region.Level.DISTRICT).count()
    regencies = Region.objects.filter(level=Region.Level.REGENCY).count()
    years = judged / 52
    print(json.dumps({"judged_weeks": judged, "village_alarms": village, "sensitive_alarms": sensitive,
                      "districts": districts, "regencies": regencies,
                      "false_per_district_year": round(village / (districts * years), 3),
                      "sensitive_false_per_regency_year": round(sensitive / (regencies * years), 3),
                      "seconds": round(time.perf_counter() - started, 1)}))


def national(args: argparse.Namespace) -> None:
    import subprocess

    var = Path(args.var)
    setup = national_setup(var, weeks=args.weeks, level=args.level, seed=args.seed, fresh=args.fresh)
    print(f"set-up: {setup['villages']:,} villages, {setup['districts']:,} districts, "
          f"{setup['weeks']} weeks, {setup['rows']:,} weekly counts (level {setup['level']}), "
          + ("reused" if setup.get("reused") else f"{setup['setup_seconds']} s"))
    load_before = os.getloadavg()
    done = subprocess.run([sys.executable, __file__, "--national-run", "--var", str(var)],  # noqa: S603
                          capture_output=True, text=True, check=True)
    load_after = os.getloadavg()
    run = json.loads(done.stdout.strip().splitlines()[-1])
    met = run["seconds"] < 120 and run["peak_rss_mb"] < 1536
    print(f"weekly run (detection and alarms, {NATIONAL_WEEK:%G-W%V}): {run['seconds']} s (reading the "
          f"counts {run['read_seconds']} s, {run['fits']:,} baseline fits {run['fit_seconds']} s), "
          f"CPU {run['cpu_seconds']} s (reading {run['read_cpu_seconds']} s, fitting "
          f"{run['fit_cpu_seconds']} s), "
          f"peak memory "
          f"{run['peak_rss_mb']} MB, {run['alarms']} alarms; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after (1 min), {os.cpu_count()} cores; target "
          f"{'met' if met else 'NOT met'} (< 120 s, < 1.5 GB)")
    judged = {}
    if args.judge:
        done = subprocess.run([sys.executable, __file__, "--national-judge", str(args.judge),  # noqa: S603
                               "--var", str(var)], stdout=subprocess.PIPE, text=True, check=True)
        judged = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"false alarms over {judged['judged_weeks']} weeks with nothing planted: "
              f"{judged['village_alarms']:,} in the village groups, {judged['false_per_district_year']} per "
              f"district-year ({judged['districts']:,} districts); {judged['sensitive_alarms']:,} of "
              f"sensitive matters, {judged['sensitive_false_per_regency_year']} per regency-year "
              f"({judged['regencies']:,} regencies); {judged['seconds']} s")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "early_warning_national.json").write_text(json.dumps({
        **setup, **run, "judged": judged, "week": f"{NATIONAL_WEEK:%G-W%V}", "load_before": load_before,
        "load_after": load_after, "cores": os.cpu_count(), "met": met}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--districts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1, help="worlds, seeds seed..seed+runs-1")
    parser.add_argument("--national", action="store_true", help="the national weekly run's speed")
    parser.add_argument("--national-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--national-judge", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--judge", type=int, default=0,
                        help="national: also judge this many weeks and count their (false) alarms")
    parser.add_argument("--var", default=str(Path(__file__).parent / "out" / "ew-national"),
                        help="the national bench's database directory")
    parser.add_argument("--fresh", action="store_true", help="rebuild the national bench's database")
    parser.add_argument("--weeks", type=int, default=157, help="weeks of synthetic counts (national)")
    parser.add_argument("--level", type=float, default=0.3,
                        help="median reports a week per village and group (national)")
    parser.add_argument("--calibrate", action="store_true",
                        help="print the default scan's level at --budget false alarms per district-year")
    parser.add_argument("--budget", type=float, default=0.85,
                        help="false alarms per district-year (--calibrate)")
    args = parser.parse_args()
    if args.national_run:
        return national_run(Path(args.var))
    if args.national_judge:
        return national_judge(Path(args.var), args.national_judge)
    if args.national:
        return national(args)
    if args.calibrate:
        return calibrate(args)
    return sensitivity(args)


def calibrate(args: argparse.Namespace) -> None:
    from polmas.earlywarning import detectors

    started = time.perf_counter()
    levels = []
    for run in range(args.runs):
        world = planted.world_simulate(seed=args.seed + run, districts=args.districts)
        levels.append(planted.level_at(world, planted.scan_scored(world), args.budget))
    print(f"{args.runs} world(s) x {args.districts} districts, seed {args.seed}: the scan's level at "
          f"{args.budget} false alarms per district-year: {', '.join(f'{v:.2f}' for v in levels)} "
          f"(detectors.SCAN_LEVEL is {detectors.SCAN_LEVEL}); {time.perf_counter() - started:.0f} s, "
          f"load average {os.getloadavg()[0]:.1f}")


def _add(a: planted.Figures | None, f: planted.Figures) -> planted.Figures:
    if a is None:
        return f
    return planted.Figures(f.detector, a.outbreaks + f.outbreaks, a.detected + f.detected,
                           a.alarms + f.alarms, a.true_alarms + f.true_alarms,
                           a.district_years + f.district_years)


def sensitivity(args: argparse.Namespace) -> None:
    rows: dict[str, planted.Figures] = {}
    kinds: dict[str, dict[str, list[int]]] = {}
    oracle_levels = []
    started = time.perf_counter()
    load = [os.getloadavg()[0]]
    for run in range(args.runs):
        world = planted.world_simulate(seed=args.seed + run, districts=args.districts)
        found = {name: planted.alarms_of(world, name) for name in planted.DETECTORS}
        scored = planted.scan_scored(world, oracle=True)
        level = planted.level_at(world, scored, TARGETS["false_per_district_year"])
        oracle_levels.append(level)
        found["oracle"] = planted.above(scored, level)
        for name, alarms in found.items():
            rows[name] = _add(rows.get(name), planted.measure(world, name, alarms))
            if name in ("negbin_pooled", planted.DEFAULT, "oracle"):
                for label, (hits, n) in planted.by_kind(world, alarms).items():
                    kept = kinds.setdefault(name, {}).setdefault(label, [0, 0])
                    kept[0] += hits
                    kept[1] += n
        load.append(os.getloadavg()[0])
    seconds = time.perf_counter() - started
    labels = {"negbin_pooled": "negbin+pooled (old default)", planted.DEFAULT: "scan (default)",
              "oracle": "oracle scan (true mu)"}
    print(f"{args.runs} world(s) x {args.districts} districts, seed {args.seed}: "
          f"{rows[planted.DEFAULT].outbreaks} planted outbreaks, {seconds:.0f} s, load average "
          f"{min(load):.1f}-{max(load):.1f} (1 min), {os.cpu_count()} cores")
    head = ("detector", "outbreaks", "sensitivity", "false/series-yr", "false/district-yr", "PPV", "alarms")
    print(f"{head[0]:<28} {head[1]:>9} {head[2]:>11} {head[3]:>15} {head[4]:>17} {head[5]:>6} {head[6]:>7}")
    for f in rows.values():
        print(f"{labels.get(f.detector, f.detector):<28} {f.outbreaks:>9} {f.sensitivity:>11.1%} "
              f"{f.false_per_series_year:>15.2f} {f.false_per_district_year:>17.2f} {f.ppv:>6.1%} "
              f"{f.alarms:>7}")
    print(f"oracle level(s) at {TARGETS['false_per_district_year']} false alarm per district-year: "
          + ", ".join(f"{v:.2f}" for v in oracle_levels))
    print("sensitivity within 2 weeks by outbreak:")
    print(f"{'outbreaks':<20}" + "".join(f"{labels[k]:>30}" for k in kinds))
    for label in planted.by_kind(world, []):
        cells = []
        for k in kinds:
            hits, n = kinds[k][label]
            cells.append(f"{hits}/{n} ({hits / max(n, 1):.0%})")
        print(f"{label:<20}" + "".join(f"{c:>30}" for c in cells))
    best = rows[planted.DEFAULT]
    met = {"sensitivity": best.sensitivity >= TARGETS["sensitivity"],
           "false_per_district_year": best.false_per_district_year <= TARGETS["false_per_district_year"],
           "ppv": best.ppv >= TARGETS["ppv"]}
    print("default (scan) against the targets: "
          + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in met.items())
          + f"; the oracle reaches {rows['oracle'].sensitivity:.1%}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "early_warning.json").write_text(json.dumps({
        "seed": args.seed, "districts": args.districts, "runs": args.runs, "seconds": round(seconds, 1),
        "load": load, "targets": TARGETS, "met": met, "detectors": [f.row() for f in rows.values()],
        "oracle_levels": oracle_levels, "by_outbreak": kinds}, indent=2))


if __name__ == "__main__":
    main()
