"""The national year's bulk load on PostgreSQL: COPY against INSERT, and against a bare COPY of
the same rows.

    DATABASE_URL=postgres://polmas:polmas@127.0.0.1:5432/polmas_<you> \\
        uv run python bench/national_copy.py [--province 51]

One province's slice of `polmas simulate --scale national --year 2017` (its true share of the
national total, with its officers and forums from the demo generator) is written three times,
each into a fresh copy of one template database (migrate, every region, the police units, the
province's planned people): by national_generate with COPY (national_bulk.USE_COPY, the
default), by national_generate with INSERTs (executemany, as before), and as a bare COPY of
exactly the rows the first run wrote (dumped with COPY TO, loaded with COPY FROM into the same
tables, holding the template's rows, with the same indexes and constraints; no Python building
rows). It prints the seconds
and rows of each and the ratios; multiply by the national rows / the province's rows to
estimate the national year (stated as an estimate, not measured).

Databases made: <name>_tpl, <name>_copy, <name>_insert, <name>_bare (dropped again at the end
unless --keep), where <name> is DATABASE_URL's database. Never the shared cluster's others.
"""

import argparse
import io
import json
import os
import subprocess
import sys
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
    t0 = time.monotonic()
    written = national_generate(year=YEAR, seed=SEED, provinces=[province], resolved_total=share)
    seconds = time.monotonic() - t0
    print(json.dumps({"seconds": seconds, "rows": sum(written.counts.values()), "resolved": share,
                      "counts": written.counts}))


def run_child(url: str, *argv: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"} | {"DATABASE_URL": url}
    done = subprocess.run([sys.executable, __file__, "--child", *argv], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child {argv} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--province", default="51", help="province code (default 51, Bali)")
    p.add_argument("--keep", action="store_true", help="keep the databases made")
    p.add_argument("--insert", action="store_true", help="also time INSERTs (executemany)")
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

    try:
        t0 = time.monotonic()
        tables = run_child(fresh(dbs["tpl"]), "setup")["tables"]
        print(f"template (migrate, regions, units, province {args.province}'s people): "
              f"{time.monotonic() - t0:.0f} s", file=sys.stderr)
        results = {}
        for mode in modes:
            results[mode] = run_child(fresh(dbs[mode], dbs["tpl"]), "generate", mode)
            print(f"{mode:>7}: {results[mode]['seconds']:.1f} s, {results[mode]['rows']:,} rows",
                  file=sys.stderr)
        # The same rows, dumped from the COPY run and loaded bare into a fresh copy.
        # Only the rows the run wrote: past each table's last id in the template.
        with pg(dbs["tpl"]) as tpl:
            before = {t: tpl.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        dumps = {}
        with pg(dbs["copy"]) as src:
            for table in tables:
                buf = io.BytesIO()
                query = f'COPY (SELECT * FROM "{table}" WHERE id > {before[table]}) TO STDOUT'  # noqa: S608
                with src.cursor().copy(query) as copy:
                    for chunk in copy:
                        buf.write(chunk)
                dumps[table] = buf.getvalue()
        bare = {}
        for kind in ("bare", "barenoidx"):
            fresh(dbs[kind], dbs["tpl"])
            with pg(dbs[kind]) as dst:
                t0 = time.monotonic()
                with dst.transaction():
                    dst.execute("SET CONSTRAINTS ALL DEFERRED")
                    secondary = []
                    if kind == "barenoidx":  # as core/db/indexes.py: drop, load, build again
                        secondary = dst.execute(
                            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                            "WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary "
                            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                            [tables]).fetchall()
                        for index, _ in secondary:
                            dst.execute(f'DROP INDEX "{index}"')
                    with dst.cursor() as cur:
                        for table in tables:
                            with cur.copy(f'COPY "{table}" FROM STDIN') as copy:
                                copy.write(dumps[table])
                    if secondary:
                        dst.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    for _, definition in secondary:
                        dst.execute(definition)
                bare[kind] = time.monotonic() - t0
            print(f"{kind:>9}: {bare[kind]:.1f} s", file=sys.stderr)
        rows = results["copy"]["rows"]
        copy_s = results["copy"]["seconds"]
        out = {"province": args.province, "resolved": results["copy"]["resolved"], "rows": rows,
               "copy_s": round(copy_s, 1),
               "copy_indexed_s": round(results["indexed"]["seconds"], 1),
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
