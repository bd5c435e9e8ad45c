"""The national year's bulk load on PostgreSQL: COPY with the indexes built after the load,
against COPY with them kept, (optionally) INSERT, and a bare COPY of the same rows.

    DATABASE_URL=postgres://polmas:polmas@127.0.0.1:5432/polmas_<you> \\
        uv run python bench/national_copy.py [--province 51] [--insert]
    ... bench/national_copy.py --bare-from <db> --since '<json>' [--generate-seconds S]

One province's slice of `polmas simulate --scale national --year 2017` (its true share of the
national total, with its officers and forums from the demo generator) is written by
national_generate into fresh copies of one template database (migrate, every region, the
police units, the province's planned people):
- copy: COPY (national_bulk.USE_COPY) with the secondary indexes set aside and built again
  after the load (core/db/indexes.py; national.DEFER_INDEXES), the default;
- indexed: COPY with the indexes kept, as before;
- insert (--insert): executemany of INSERTs, as before COPY.
Then exactly the rows the copy run wrote (dumped with COPY TO) are loaded bare with COPY FROM
into two more copies (the template's rows, constraints, no Python building rows): "bare" with
every index in place, "barenoidx" with the secondary indexes dropped first and built again
after, as the copy run does. It prints the seconds and rows of each and the ratio of the copy
run to the faster bare COPY; multiply by the national rows / the province's rows to estimate
the national year (an estimate, not a measurement).

With --bare-from, only the bare COPY (both ways) of the rows a whole national run wrote into
<db> (an idle database of yours) past the ids --since gives (bench/simulate_phases.py logs
them), and the ratio of that run's national_generate seconds to it.

Databases made: <name>_tpl, _copy, _indexed, _insert, _bare, _barenoidx (dropped again at the
end unless --keep), where <name> is DATABASE_URL's database. Never the shared cluster's others.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR, SEED = 2017, 2017


def child(mode: str, province: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    django.setup()
    from django.core.management import call_command

    from polmas.simulation import national, national_bulk
    from polmas.simulation.national import RESOLVED_TOTAL, national_generate, province_quotas, provinces_load
    from polmas.simulation.national_rows import MODELS

    if mode == "setup":
        from polmas.policing.tree import units_build
        from polmas.regions import loader
        from polmas.simulation.generator import generate

        call_command("migrate", verbosity=0)
        loader.load()
        units_build()
        generate(provinces=[province], year=YEAR, seed=SEED)
        print(json.dumps({"tables": [m._meta.db_table for m in MODELS]}))
        return
    national_bulk.USE_COPY = mode != "insert"
    national.DEFER_INDEXES = mode == "copy"
    share = province_quotas(RESOLVED_TOTAL, provinces_load(SEED))[province]
    t0, cpu0 = time.monotonic(), cpu_seconds()
    written = national_generate(year=YEAR, seed=SEED, provinces=[province], resolved_total=share)
    seconds, cpu1 = time.monotonic() - t0, cpu_seconds()
    print(json.dumps({"seconds": seconds, "rows": sum(written.counts.values()), "resolved": share,
                      "python_cpu_s": round(cpu1[0] - cpu0[0], 1),
                      "server_cpu_s": round(cpu1[1] - cpu0[1], 1) if cpu1[1] is not None else None,
                      "counts": written.counts}))


def cpu_seconds() -> tuple[float, float | None]:
    """CPU seconds used so far by this process and by its PostgreSQL backend (when the server
    runs on this machine and /proc shows it): on a shared machine the wall time depends on
    the others' load, these do not."""
    import resource

    from django.db import connection

    usage = resource.getrusage(resource.RUSAGE_SELF)
    connection.ensure_connection()
    try:
        stat = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        server = None
    return usage.ru_utime + usage.ru_stime, server


def run_child(url: str, *argv: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"} | {"DATABASE_URL": url}
    done = subprocess.run([sys.executable, __file__, "--child", *argv], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child {argv} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bare_loads(pg, fresh, *, source: str, template: str, tables: list[str], before: dict[str, int],
               targets: dict[str, str], truncate: bool = False) -> dict[str, float]:
    """Seconds to COPY FROM the rows of `tables` past `before` in `source` (dumped with COPY TO
    into temporary files first) into a fresh copy of `template` for each target: "bare" with
    every index, "barenoidx" with the secondary indexes dropped before and built after, as
    core/db/indexes.py does. `truncate`: empty the tables of the copy first (a template that
    already holds the rows: the national run's own database)."""
    with tempfile.TemporaryDirectory(prefix="national_copy_") as tmp:
        dumps = {}
        with pg(source) as src:
            for table in tables:
                dumps[table] = Path(tmp) / f"{table}.copy"
                query = f'COPY (SELECT * FROM "{table}" WHERE id > {before[table]}) TO STDOUT'  # noqa: S608
                with dumps[table].open("wb") as out, src.cursor().copy(query) as copy:
                    for chunk in copy:
                        out.write(chunk)
        seconds = {}
        for kind, db in targets.items():
            fresh(db, template)
            with pg(db) as dst:
                if truncate:
                    with dst.transaction():
                        dst.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
                t0 = time.monotonic()
                secondary = []
                if kind == "barenoidx":  # as core/db/indexes.py: drop, load, build again
                    with dst.transaction():
                        secondary = dst.execute(
                            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                            "WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary "
                            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                            [tables]).fetchall()
                        for index, _ in secondary:
                            dst.execute(f'DROP INDEX "{index}"')
                with dst.transaction():  # the foreign keys are checked at its commit
                    dst.execute("SET CONSTRAINTS ALL DEFERRED")
                    with dst.cursor() as cur:
                        for table in tables:
                            with cur.copy(f'COPY "{table}" FROM STDIN') as copy, dumps[table].open("rb") as f:
                                while chunk := f.read(1 << 20):
                                    copy.write(chunk)
                loaded = time.monotonic() - t0
                for _, definition in secondary:
                    with dst.transaction():
                        dst.execute("SET LOCAL maintenance_work_mem = '256MB'")
                        dst.execute(definition)
                seconds[kind] = time.monotonic() - t0
                if secondary:
                    print(f"{kind:>9}: load {loaded:.1f} s, indexes {seconds[kind] - loaded:.1f} s",
                          file=sys.stderr)
            print(f"{kind:>9}: {seconds[kind]:.1f} s", file=sys.stderr)
    return seconds


def national_bare(args, pg, fresh, admin, name: str) -> int:
    """The bare COPY of a whole national run's rows (--bare-from), into copies of that run's
    database with the 12 tables emptied (TRUNCATE ... CASCADE: the demo's few rows go too)."""
    before = json.loads(args.since)
    tables = list(before)
    targets = {"bare": f"{name}_bare", "barenoidx": f"{name}_barenoidx"}
    try:
        bare = bare_loads(pg, fresh, source=args.bare_from, template=args.bare_from, tables=tables,
                          before=before, targets=targets, truncate=True)
    finally:
        if not args.keep:
            for db in targets.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.close()
    with pg(args.bare_from) as src:
        rows = sum(src.execute(f'SELECT count(*) FROM "{t}" WHERE id > %s', [before[t]]).fetchone()[0]  # noqa: S608
                   for t in tables)
    out = {"rows": rows, "bare_copy_s": round(bare["bare"], 1),
           "bare_copy_noidx_s": round(bare["barenoidx"], 1)}
    if args.generate_seconds:
        out |= {"generate_s": args.generate_seconds,
                "generate_over_bare": round(args.generate_seconds / min(bare.values()), 2)}
    print(json.dumps(out, indent=2))
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--province", default="51", help="province code (default 51, Bali)")
    p.add_argument("--keep", action="store_true", help="keep the databases made")
    p.add_argument("--insert", action="store_true", help="also time INSERTs (executemany)")
    p.add_argument("--bare-from", metavar="DB", help="instead: the bare COPY only, of the rows a whole "
                   "national run wrote into DB (a database of yours, idle), past --since")
    p.add_argument("--since", metavar="JSON", help='with --bare-from: {"table": last id before '
                   'national_generate ran, ...} for the 12 tables')
    p.add_argument("--generate-seconds", type=float, help="with --bare-from: national_generate's "
                   "seconds in that run, for the ratio")
    p.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child is not None:
        child(args.child[-1], args.province)
        return 0
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database of your own")
    base, name = url.rsplit("/", 1)
    admin = psycopg.connect(f"{base}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True)
    modes = ["copy", "indexed", *(["insert"] if args.insert else [])]
    dbs = {k: f"{name}_{k}" for k in ("tpl", *modes, "bare", "barenoidx")}

    def fresh(db: str, template: str | None = None) -> str:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.execute(f'CREATE DATABASE "{db}"' + (f' TEMPLATE "{template}"' if template else ""))
        return f"{base}/{db}"

    def pg(db: str) -> psycopg.Connection:
        return psycopg.connect(f"{base}/{db}".replace("postgres://", "postgresql://", 1))

    if args.bare_from:
        return national_bare(args, pg, fresh, admin, name)
    try:
        t0 = time.monotonic()
        tables = run_child(fresh(dbs["tpl"]), "setup")["tables"]
        print(f"template (migrate, regions, units, province {args.province}'s people): "
              f"{time.monotonic() - t0:.0f} s", file=sys.stderr)
        results = {}
        for mode in modes:
            results[mode] = run_child(fresh(dbs[mode], dbs["tpl"]), "generate", mode)
            r = results[mode]
            print(f"{mode:>7}: {r['seconds']:.1f} s, {r['rows']:,} rows "
                  f"(CPU: Python {r['python_cpu_s']} s, server {r['server_cpu_s']} s)", file=sys.stderr)
        # The same rows, dumped from the COPY run and loaded bare into fresh copies.
        # Only the rows the run wrote: past each table's last id in the template.
        with pg(dbs["tpl"]) as tpl:
            before = {t: tpl.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        bare = bare_loads(pg, fresh, source=dbs["copy"], template=dbs["tpl"], tables=tables,
                          before=before, targets={"bare": dbs["bare"], "barenoidx": dbs["barenoidx"]})
        rows = results["copy"]["rows"]
        copy_s = results["copy"]["seconds"]
        out = {"province": args.province, "resolved": results["copy"]["resolved"], "rows": rows,
               "copy_s": round(copy_s, 1),
               "copy_indexed_s": round(results["indexed"]["seconds"], 1),
               "cpu_s": {m: [r["python_cpu_s"], r["server_cpu_s"]] for m, r in results.items()},
               "bare_copy_s": round(bare["bare"], 1),
               "bare_copy_noidx_s": round(bare["barenoidx"], 1),
               "copy_over_bare": round(copy_s / min(bare.values()), 2),
               "indexed_over_copy": round(results["indexed"]["seconds"] / copy_s, 2)}
        if "insert" in results:
            out |= {"insert_s": round(results["insert"]["seconds"], 1),
                    "insert_over_copy": round(results["insert"]["seconds"] / copy_s, 2)}
        print(json.dumps(out, indent=2))
        print(f"national_generate (COPY, indexes built after) takes {out['copy_over_bare']}x the fastest "
              f"bare COPY of the same rows; with the indexes kept it takes {out['indexed_over_copy']}x "
              f"as long", file=sys.stderr)
    finally:
        if not args.keep:
            for db in dbs.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
