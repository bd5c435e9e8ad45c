"""Benchmark the two bulk writers against a plain-driver floor measured in the same run.

    uv run python bench/run.py [--db sqlite|postgres] [--repeat N]

Steps measured, each in a fresh temporary database:

  load_regions  `call_command("load_regions")` (the real command, in-process) on a migrated,
                empty schema; migrate is not timed.
  generate      `polmas.simulation.generator.generate(provinces=None, year=2017, seed=2017)`,
                the call `polmas simulate --scale national --year 2017` makes, after
                load_regions and units_build (neither timed).

Floor of each step: the SAME rows (for load_regions, what loader.read_rows() yields; for
generate, every row of the six tables it writes, read back after the run) written with the
plain driver (sqlite3 / psycopg) executemany in one transaction into the same schema in the
state the step started from (a clone of its database). The step and its floor run in the
same process one right after the other, their order alternating across repeats, so the
machine's noise hits both. See bench/README.md.

Each repeat runs in its own worker process (this file with --worker) so that every step
starts as the real command does, in a fresh interpreter and a fresh database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import pickle
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
TARGET_RATIO = 3.0
YEAR = 2017
SEED = 2017
DEFAULT_PG_URL = "postgres://polmas:polmas@127.0.0.1:5432/"

# Tables generate() writes, parents first (the floor inserts them in this order).
GENERATOR_TABLES = [
    "policing_officer", "policing_assignment", "policing_training", "policing_equipment",
    "forums_forum", "forums_member",
]  # fmt: skip
# Columns holding Fernet tokens: random IV, so they differ from run to run.
ENCRYPTED = {("policing_officer", "phone"), ("policing_officer", "email"),
             ("forums_member", "phone"), ("forums_member", "email")}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Databases: the step's database, clones of it for the floors, the plain-driver writer.
# --------------------------------------------------------------------------------------


def pg_url(base: str, dbname: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, ""))


def pg_conninfo(base: str, dbname: str) -> str:
    return pg_url(base, dbname).replace("postgres://", "postgresql://", 1)


def pg_admin(base: str, sql: str, retries: int = 0) -> None:
    """Run a CREATE/DROP DATABASE on the maintenance database, retrying while the source
    database is still in use (autovacuum may be analysing a freshly loaded table)."""
    import psycopg

    for attempt in range(retries + 1):
        try:
            with psycopg.connect(pg_conninfo(base, "postgres"), autocommit=True) as conn:
                conn.execute(sql)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == retries:
                raise
            time.sleep(1)


def pg_drop(base: str, dbname: str) -> None:
    pg_admin(base, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _regexp(pattern: str | None, string: object) -> bool | None:
    """SQLite REGEXP as Django's sqlite3 backend defines it."""
    if pattern is None or string is None:
        return None
    return bool(re.search(pattern, str(string)))


class Target:
    """One database of a worker: where a step or a floor writes."""

    def __init__(self, kind: str, ident: str, pg_base: str = "") -> None:
        self.kind, self.ident, self.pg_base = kind, ident, pg_base

    # A copy of this database, as it is now. The caller has closed its connections.
    def clone(self, ident: str) -> Target:
        if self.kind == "sqlite":
            import sqlite3

            src, dst = sqlite3.connect(self.ident), sqlite3.connect(ident)
            with contextlib.closing(src), contextlib.closing(dst):
                src.backup(dst)
        else:
            # FILE_COPY checkpoints before and after the copy, inside the (untimed) CREATE,
            # instead of leaving the whole database in WAL for the timed step to flush.
            pg_admin(self.pg_base, f'CREATE DATABASE "{ident}" TEMPLATE "{self.ident}" '
                                   "STRATEGY FILE_COPY", retries=30)
        return Target(self.kind, ident, self.pg_base)

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.ident + suffix).unlink(missing_ok=True)
        else:
            pg_drop(self.pg_base, self.ident)

    def connect(self):
        if self.kind == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.ident, isolation_level=None)
            # The schema's CHECK (nrp REGEXP ...) needs the function Django registers.
            conn.create_function("REGEXP", 2, _regexp, deterministic=True)
            # The same connection settings as Django's (settings.py and the sqlite3 backend).
            for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL",
                           "busy_timeout = 5000"):
                conn.execute(f"PRAGMA {pragma}")
            return conn
        import psycopg

        return psycopg.connect(pg_conninfo(self.pg_base, self.ident))

    def insert(self, tables: list[tuple[str, list[str], list[tuple]]]) -> float:
        """The floor: plain executemany of every table's rows in one transaction; seconds."""
        mark = "?" if self.kind == "sqlite" else "%s"
        conn = self.connect()
        try:
            cur = conn.cursor()
            statements = []
            for table, cols, rows in tables:
                names = ", ".join(f'"{c}"' for c in cols)
                marks = ", ".join([mark] * len(cols))
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608
                statements.append((sql, rows))
            start = time.perf_counter()
            if self.kind == "sqlite":
                cur.execute("BEGIN IMMEDIATE")  # Django's transaction_mode
                for sql, rows in statements:
                    cur.executemany(sql, rows)
                cur.execute("COMMIT")
            else:
                for sql, rows in statements:
                    cur.executemany(sql, rows)
                conn.commit()
            return time.perf_counter() - start
        finally:
            conn.close()

    def read_tables(self, tables: list[str]) -> list[tuple[str, list[str], list[tuple]]]:
        """Every row of `tables` as the plain driver returns it (ordered by id)."""
        conn = self.connect()
        try:
            out = []
            for table in tables:
                cur = conn.cursor()
                cur.execute(f'SELECT * FROM "{table}" ORDER BY id')  # noqa: S608
                cols = [d[0] for d in cur.description]
                out.append((table, cols, [tuple(r) for r in cur.fetchall()]))
            return out
        finally:
            conn.close()

    def count(self, table: str) -> int:
        conn = self.connect()
        try:
            cur = conn.cursor()
            cur.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            return cur.fetchone()[0]
        finally:
            conn.close()


def digest(tables: list[tuple[str, list[str], list[tuple]]]) -> dict[str, str]:
    """A fingerprint of each table's rows, encrypted columns reduced to empty/non-empty."""
    out = {}
    for table, cols, rows in tables:
        masked = [i for i, c in enumerate(cols) if (table, c) in ENCRYPTED]
        h = hashlib.sha256()
        for row in rows:
            r = list(row)
            for i in masked:
                r[i] = bool(r[i])
            h.update(repr(r).encode())
        out[table] = f"{len(rows)}:{h.hexdigest()[:16]}"
    return out


# --------------------------------------------------------------------------------------
# Worker: one repeat, in a fresh process and fresh databases.
# --------------------------------------------------------------------------------------


_TABLE_RE = re.compile(r'\b(?:INTO|FROM|UPDATE)\s+"?(\w+)', re.IGNORECASE)


class DbTimer:
    """Django execute wrapper: wall time spent inside the driver, by statement verb."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            verb = sql.lstrip().split(None, 1)[0].upper() + (" many" if many else "")
            table = _TABLE_RE.search(sql)
            if table:
                verb += " " + table.group(1)
            self.seconds[verb] = self.seconds.get(verb, 0.0) + time.perf_counter() - start
            self.calls[verb] = self.calls.get(verb, 0) + 1

    def summary(self, total: float) -> dict:
        db = sum(self.seconds.values())
        return {
            "driver_seconds": round(db, 3),
            "outside_driver_seconds": round(total - db, 3),
            "by_statement": {k: {"seconds": round(v, 3), "calls": self.calls[k]}
                             for k, v in sorted(self.seconds.items(), key=lambda kv: -kv[1])},
        }


def paired(order: str, step, floor) -> tuple[float, float]:
    """Run the step and its floor back to back in `order`; (step seconds, floor seconds)."""
    if order == "step-first":
        s = step()
        f = floor()
    else:
        f = floor()
        s = step()
    return s, f


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from polmas.policing.tree import units_build
    from polmas.regions import loader
    from polmas.simulation.generator import generate

    run_dir = Path(args.run_dir)
    if args.db == "sqlite":
        main = Target("sqlite", str(Path(os.environ["POLMAS_VAR_DIR"]) / "polmas.sqlite3"))
    else:
        main = Target("postgres", args.dbname, args.pg_url)
    made: list[Target] = [main]
    result: dict = {"repeat": args.index, "order": args.order, "steps": {}}
    try:
        call_command("migrate", interactive=False, verbosity=0)  # not timed

        # ---- load_regions -------------------------------------------------------------
        t0 = time.perf_counter()
        batches = list(loader.read_rows())  # what the command reads, captured for the floor
        read_seconds = time.perf_counter() - t0
        region_rows = [row for _level, rows in batches for row in rows]
        connection.close()
        empty = main.clone(main.ident + "_floor_regions" if args.db == "postgres"
                           else str(run_dir / f"r{args.index}-floor-regions.sqlite3"))
        made.append(empty)
        timer = DbTimer()

        def load_step() -> float:
            out = io.StringIO()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                call_command("load_regions", stdout=out)
                return time.perf_counter() - start

        def load_floor() -> float:
            return empty.insert([("regions_region", list(loader.COLUMNS), region_rows)])

        log(f"  [{args.index}] load_regions ({args.order})")
        s, f = paired(args.order, load_step, load_floor)
        n_step, n_floor = main.count("regions_region"), empty.count("regions_region")
        if not n_step == n_floor == len(region_rows):
            raise SystemExit(f"region rows differ: step {n_step}, floor {n_floor}, "
                             f"read {len(region_rows)}")
        result["steps"]["load_regions"] = {
            "seconds": s, "floor_seconds": f, "rows": n_step,
            "tables": {"regions_region": n_step},
            "diagnostics": {"read_rows_seconds": round(read_seconds, 3), **timer.summary(s)},
        }
        empty.drop()
        made.remove(empty)

        # ---- generate -----------------------------------------------------------------
        units_build()  # not timed
        connection.close()
        before = main.clone(main.ident + "_floor_gen" if args.db == "postgres"
                            else str(run_dir / f"r{args.index}-floor-gen.sqlite3"))
        made.append(before)
        rows_file = run_dir / "generator-rows.pickle"
        timer = DbTimer()
        captured: dict = {}

        def gen_step() -> float:
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                generate(provinces=None, year=YEAR, seed=SEED)
                took = time.perf_counter() - start
            connection.close()
            tables = main.read_tables(GENERATOR_TABLES)  # not timed
            captured["digest"] = digest(tables)
            captured["counts"] = {t: len(rows) for t, _c, rows in tables}
            if not rows_file.exists():
                with rows_file.open("wb") as fh:
                    pickle.dump({"tables": tables, "digest": captured["digest"]}, fh)
            return took

        def gen_floor() -> float:
            if not rows_file.exists():
                raise SystemExit("generator floor before any step run captured its rows")
            with rows_file.open("rb") as fh:
                saved = pickle.load(fh)  # noqa: S301 (our own file)
            captured["floor_digest"] = saved["digest"]
            return before.insert(saved["tables"])

        log(f"  [{args.index}] generate ({args.order})")
        s, f = paired(args.order, gen_step, gen_floor)
        if captured["digest"] != captured["floor_digest"]:
            raise SystemExit(f"generator rows differ from the captured ones: "
                             f"{captured['digest']} != {captured['floor_digest']}")
        floor_counts = {t: before.count(t) for t in GENERATOR_TABLES}
        if floor_counts != captured["counts"]:
            raise SystemExit(f"floor wrote {floor_counts}, step {captured['counts']}")
        result["steps"]["generate"] = {
            "seconds": s, "floor_seconds": f, "rows": sum(captured["counts"].values()),
            "tables": captured["counts"], "digest": captured["digest"],
            "diagnostics": timer.summary(s),
        }
    finally:
        connection.close()
        for target in reversed(made):
            with contextlib.suppress(Exception):
                target.drop()
    Path(args.result).write_text(json.dumps(result, indent=2))


# --------------------------------------------------------------------------------------
# Orchestrator
# --------------------------------------------------------------------------------------


def machine_snapshot() -> dict:
    snap: dict = {"loadavg": [round(x, 2) for x in os.getloadavg()]}
    try:
        ps = subprocess.run(["ps", "-eo", "pcpu,comm,args", "--sort=-pcpu", "--no-headers"],  # noqa: S607
                            capture_output=True, text=True, timeout=10, check=False).stdout
        busy = []
        for line in ps.splitlines():
            pcpu, comm, cmdline = (line.split(None, 2) + ["", ""])[:3]
            if float(pcpu) >= 5 and "bench/run.py" not in cmdline and comm != "ps":
                busy.append(f"{pcpu}% {cmdline[:100]}")
        snap["busy_processes"] = busy[:8]
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return snap


def machine_info(db: str, pg_base: str) -> dict:
    import sqlite3

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {
        "cpus": os.cpu_count(), "cpu_model": cpu, "python": platform.python_version(),
        "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
    }
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["mem_gib"] = round(int(mem) / 2**20, 1)
    with contextlib.suppress(Exception):
        info["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,  # noqa: S607
                                            capture_output=True, text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT,  # noqa: S607
                               capture_output=True, text=True, check=False).stdout
        info["src_uncommitted_changes"] = len(dirty.splitlines())
    if db == "postgres":
        import psycopg

        with psycopg.connect(pg_conninfo(pg_base, "postgres")) as conn:
            info["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
            info["psycopg"] = psycopg.__version__
    return info


def run_worker(args: argparse.Namespace, run_dir: Path, index: int, order: str) -> dict:
    var_dir = run_dir / f"var{index}"
    var_dir.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POLMAS_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(POLMAS_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="polmas.settings",
               PYTHONUNBUFFERED="1")
    dbname = f"polmas_bench_{os.getpid()}_{index}"
    if args.db == "postgres":
        pg_drop(args.pg_url, dbname)
        pg_admin(args.pg_url, f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = pg_url(args.pg_url, dbname)
    result_file = run_dir / f"result{index}.json"
    log_file = run_dir / f"worker{index}.log"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--db", args.db,
           "--index", str(index), "--order", order, "--run-dir", str(run_dir),
           "--result", str(result_file), "--dbname", dbname, "--pg-url", args.pg_url]
    try:
        # Output to a file: the command's progress bar stays off, as under CI or cron.
        with log_file.open("w") as fh:
            rc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,  # noqa: S603
                                check=False).returncode
        if rc != 0:
            sys.stderr.write(log_file.read_text()[-6000:])
            raise SystemExit(f"worker {index} failed (exit {rc})")
        return json.loads(result_file.read_text())
    finally:
        if args.db == "postgres":
            for suffix in ("", "_floor_regions", "_floor_gen"):
                with contextlib.suppress(Exception):
                    pg_drop(args.pg_url, dbname + suffix)


STEP_WHAT = {
    "load_regions": "call_command('load_regions') on a migrated, empty schema",
    "generate": f"generator.generate(provinces=None, year={YEAR}, seed={SEED}) (= simulate "
                f"--scale national --year {YEAR}, people step) after load_regions + units_build",
}


def summarise(runs: list[dict]) -> list[dict]:
    steps = []
    for name in ("load_regions", "generate"):
        per = [r["steps"][name] for r in runs]
        secs = [p["seconds"] for p in per]
        floors = [p["floor_seconds"] for p in per]
        rows = per[0]["rows"]
        if any(p["rows"] != rows for p in per):
            raise SystemExit(f"{name}: row counts differ between repeats")
        med, fmed = statistics.median(secs), statistics.median(floors)
        ratio = med / fmed
        steps.append({
            "step": name, "what": STEP_WHAT[name], "rows": rows, "tables": per[0]["tables"],
            "seconds": round(med, 3), "floor_seconds": round(fmed, 3), "ratio": round(ratio, 2),
            "target_ratio": TARGET_RATIO, "result": "PASS" if ratio <= TARGET_RATIO else "FAIL",
            "rows_per_second": round(rows / med), "floor_rows_per_second": round(rows / fmed),
            "runs": [{"repeat": r["repeat"], "order": r["order"],
                      "seconds": round(p["seconds"], 3), "floor_seconds": round(p["floor_seconds"], 3),
                      "ratio": round(p["seconds"] / p["floor_seconds"], 2),
                      "diagnostics": p["diagnostics"]}
                     for r, p in zip(runs, per, strict=True)],
        })
    return steps


def print_table(db: str, steps: list[dict], repeat: int) -> None:
    head = (f"{'step':<13} {'rows':>8} {'seconds':>8} {'floor s':>8} {'ratio':>6} "
            f"{'target':>6} {'result':>6} {'rows/s':>9} {'floor rows/s':>12}")
    print(f"\nPolmas bulk-write benchmark: {db}, median of {repeat} repeat(s)")
    print(head)
    print("-" * len(head))
    for s in steps:
        print(f"{s['step']:<13} {s['rows']:>8} {s['seconds']:>8.2f} {s['floor_seconds']:>8.2f} "
              f"{s['ratio']:>6.2f} {'<= ' + format(s['target_ratio'], 'g'):>6} {s['result']:>6} "
              f"{s['rows_per_second']:>9} {s['floor_rows_per_second']:>12}")
    print()
    for s in steps:
        runs = ", ".join(f"{r['seconds']:.2f}/{r['floor_seconds']:.2f}={r['ratio']:.2f} ({r['order']})"
                         for r in s["runs"])
        print(f"{s['step']}: per repeat step/floor: {runs}")
        d = s["runs"][0]["diagnostics"]
        extra = f", read_rows alone {d['read_rows_seconds']:.2f} s" if "read_rows_seconds" in d else ""
        print(f"  repeat 0: {d['driver_seconds']:.2f} s inside the driver, "
              f"{d['outside_driver_seconds']:.2f} s outside it{extra}")


def orchestrate(args: argparse.Namespace) -> None:
    started = dt.datetime.now(dt.UTC)
    info = machine_info(args.db, args.pg_url)
    conditions = [{"when": "start", **machine_snapshot()}]
    run_dir = Path(tempfile.mkdtemp(prefix=f"polmas-bench-{args.db}-"))
    runs = []
    t0 = time.perf_counter()
    try:
        for i in range(args.repeat):
            order = "step-first" if i % 2 == 0 else "floor-first"
            log(f"repeat {i + 1}/{args.repeat} ({order}); load average "
                f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
            runs.append(run_worker(args, run_dir, i, order))
            conditions.append({"when": f"after repeat {i}", **machine_snapshot()})
            for name, step in runs[-1]["steps"].items():
                log(f"  {name}: {step['seconds']:.2f} s, floor {step['floor_seconds']:.2f} s")
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    steps = summarise(runs)
    print_table(args.db, steps, args.repeat)
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"results-{args.db}.json"
    out.write_text(json.dumps({
        "db": args.db, "repeat": args.repeat, "started": started.isoformat(timespec="seconds"),
        "wall_seconds": round(time.perf_counter() - t0, 1), "target_ratio": TARGET_RATIO,
        "method": "median step seconds / median floor seconds; floor = same rows, plain driver "
                  "executemany, one transaction, same schema and state, same process, order "
                  "alternating across repeats",
        "machine": info, "conditions": conditions, "steps": steps,
    }, indent=2) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)} ({time.perf_counter() - t0:.0f} s in all)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--repeat", type=int, default=3, help="fresh-database repeats (default 3)")
    p.add_argument("--pg-url", default=os.environ.get("POLMAS_BENCH_PG_URL", DEFAULT_PG_URL),
                   help="server for --db postgres; the role needs CREATEDB "
                        f"(default {DEFAULT_PG_URL}, or $POLMAS_BENCH_PG_URL)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for hidden in ("--index", "--order", "--run-dir", "--result", "--dbname"):
        p.add_argument(hidden, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        args.index = int(args.index)
        worker(args)
    else:
        if args.repeat < 1:
            p.error("--repeat must be at least 1")
        orchestrate(args)


if __name__ == "__main__":
    main()
