"""Benchmark the dashboards on the national dataset, against a rollup floor and raw GROUP BYs.

    uv run python bench/dashboards.py [--db sqlite|postgres] [--requests 30]

1. The national dataset: `polmas simulate --scale national --year 2017` into
   var/national.sqlite3 (or the PostgreSQL database `polmas_national`), timed; reused when
   it is already there (the time of the build that made it is read back from its sidecar
   file). `--rerun` runs the simulation again and times that too (it must add nothing).
2. `polmas stats --json --year 2017` must print the three published figures.
3. `polmas rebuild_rollups`: the full rebuild, timed.
4. gunicorn (2 sync workers, POLMAS_DEBUG=0) on the dataset; a planner (`bappenas`) logs
   in through the login form; each dashboard level (national, province 51, regency 51.08,
   district 51.08.09) is requested `--warmup` times, then `--requests` times, one after the
   other on a keep-alive connection: median and p95 of the wall time per request.
5. The floor: the same figures (the region's months and categories, its children's sums,
   the coverage of both) in ONE hand-written SQL statement over the rollup tables, with the
   plain driver; and the same figures as plain GROUP BYs over the raw tables (reports,
   cases, activities, meetings, postings, forums). Ratios: dashboard / floor, raw / dashboard.
6. Peak memory: the high-water RSS (VmHWM) of the gunicorn master and each worker.
7. Queries per level: an in-process Django run (test client, logged in as the same
   planner) counts each level's queries and lists the slowest.

Targets (SQLite, national scale): median < 150 ms, p95 < 400 ms, median <= 1.5 x floor;
simulation < 15 min; server memory < 400 MB. Results go to bench/out/dashboards-<db>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
YEAR = 2017
PUBLISHED = {"officers": 49_335, "forums": 48_890, "problems_resolved": 465_921}
LEVELS = [("national", ""), ("province", "51"), ("regency", "51.08"), ("district", "51.08.09")]
TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_RATIO = 150.0, 400.0, 1.5
TARGET_SIMULATION_S, TARGET_RSS_MB = 15 * 60, 400.0
DEFAULT_PG_URL = "postgres://polmas:polmas@127.0.0.1:5432/polmas_national"
PASSWORD = "polmas-demo"  # noqa: S105  the demo accounts' published password


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def summary(ms: list[float]) -> dict:
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2),
            "min_ms": round(min(ms), 2), "max_ms": round(max(ms), 2)}


# --------------------------------------------------------------------------------------
# The database: where it lives, building it, the plain driver.
# --------------------------------------------------------------------------------------


class Target:
    def __init__(self, args: argparse.Namespace) -> None:
        self.kind = args.db
        if self.kind == "sqlite":
            self.path = Path(args.sqlite_path).resolve()
            self.url = f"sqlite:///{self.path}"
            self.sidecar = self.path.with_suffix(".build.json")
        else:
            self.url = args.pg_url
            self.sidecar = ROOT / "var" / f"{urllib.parse.urlsplit(self.url).path.strip('/')}.build.json"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(DATABASE_URL=self.url, PYTHONUNBUFFERED="1", **extra)
        return env

    def connect(self):  # type: ignore[no-untyped-def]
        if self.kind == "sqlite":
            import sqlite3

            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        import psycopg

        return psycopg.connect(self.url.replace("postgres://", "postgresql://", 1))

    def exists(self) -> bool:
        if self.kind == "sqlite" and not self.path.exists():
            return False
        try:
            with contextlib.closing(self.connect()) as conn:
                return conn.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0] > 400_000
        except Exception:  # noqa: BLE001  no database, no table: build it
            return False

    def ensure_pg_database(self) -> None:
        if self.kind != "postgres":
            return
        import psycopg

        parts = urllib.parse.urlsplit(self.url)
        name = parts.path.strip("/")
        admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        admin = admin.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')


def polmas(target: Target, *argv: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run `polmas <argv>` on the target database; (wall seconds, stdout)."""
    cmd = [sys.executable, "-m", "polmas.cli", *argv]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env or target.env(), capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"polmas {' '.join(argv)} failed (exit {done.returncode})")
    return seconds, done.stdout


def build(target: Target, rerun: bool) -> dict:
    out: dict = {}
    if target.exists():
        recorded = json.loads(target.sidecar.read_text()) if target.sidecar.exists() else {}
        out["simulation_s"] = recorded.get("simulation_s")
        out["simulation_load"] = recorded.get("load")
        out["simulation_reused"] = True
        log(f"national dataset found ({target.url}); build time on record: {out['simulation_s']}")
    else:
        target.ensure_pg_database()
        log(f"building the national dataset into {target.url} (polmas simulate --scale national)")
        before = loadavg()
        seconds, _ = polmas(target, "simulate", "--scale", "national", "--year", str(YEAR))
        out.update(simulation_s=round(seconds, 1), simulation_load=[before, loadavg()],
                   simulation_reused=False)
        target.sidecar.write_text(json.dumps({"simulation_s": out["simulation_s"],
                                              "load": out["simulation_load"], "at": time.time()}))
        log(f"built in {seconds:.0f} s")
    if rerun:
        log("running the simulation again (must add nothing)")
        counts_before = table_counts(target)
        seconds, _ = polmas(target, "simulate", "--scale", "national", "--year", str(YEAR))
        out["rerun_s"] = round(seconds, 1)
        out["rerun_added"] = {t: n - counts_before[t] for t, n in table_counts(target).items()
                              if n != counts_before[t]}
    return out


def table_counts(target: Target) -> dict[str, int]:
    tables = ["cases_case", "reports_report", "activities_activity", "forums_meeting", "policing_officer",
              "forums_forum", "cases_timelineentry", "cases_mediation", "cases_referral"]
    with contextlib.closing(target.connect()) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608


# --------------------------------------------------------------------------------------
# The server and the planner's session.
# --------------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, target: Target, workers: int, log_file: Path) -> None:
        self.port = free_port()
        key_file = ROOT / "var" / "encryption_key"
        # Production settings (POLMAS_DEBUG=0) serve hashed static files: collect them into
        # the bench's own var directory, the database stays where it is.
        var_dir = OUT_DIR / "dashboards-var"
        (var_dir / "static").mkdir(parents=True, exist_ok=True)
        env = target.env(POLMAS_DEBUG="0", POLMAS_SSL_REDIRECT="0", POLMAS_SECURE_COOKIES="0",
                         POLMAS_ALLOWED_HOSTS="127.0.0.1", POLMAS_SECRET_KEY=secrets.token_urlsafe(50),
                         DJANGO_SETTINGS_MODULE="polmas.settings", POLMAS_VAR_DIR=str(var_dir))
        if key_file.exists() and not env.get("POLMAS_ENCRYPTION_KEY"):
            env["POLMAS_ENCRYPTION_KEY"] = key_file.read_text().strip()
        polmas(target, "collectstatic", "--noinput", "--verbosity", "0", env=env)
        self.cmd = [sys.executable, "-m", "gunicorn", "polmas.wsgi:application", "--bind",
                    f"127.0.0.1:{self.port}", "--workers", str(workers), "--worker-class", "sync",
                    "--log-level", "warning", "--error-logfile", str(log_file), "--timeout", "120"]
        self.log_file = log_file
        with log_file.with_suffix(".out").open("w") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603
        deadline = time.monotonic() + 90
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = log_file.with_suffix(".out").read_text()[-3000:]
                raise SystemExit("gunicorn did not come up:\n" + output)
            time.sleep(0.3)

    def pids(self) -> list[int]:
        pids = [self.proc.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.append(int(stat.parent.name))
        return pids

    def peak_rss_mb(self) -> dict[str, float]:
        """VmHWM (peak resident set) of the master and each worker, in MB."""
        out = {}
        for pid in self.pids():
            with contextlib.suppress(OSError):
                m = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
                if m:
                    name = "master" if pid == self.proc.pid else f"worker {pid}"
                    out[name] = round(int(m.group(1)) / 1024, 1)
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Browser:
    """One keep-alive connection with cookies: enough to log in and fetch pages."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Accept-Language": "id"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return r.status, data, dict(r.headers)

    def login(self, username: str) -> None:
        status, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"login page: {status}")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "username": username,
                                       "password": PASSWORD})
        status, _, headers = self.request("POST", "/accounts/login/", body)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed: {status}")


def dashboard_path(code: str) -> str:
    return (f"/dashboard/{code}/" if code else "/dashboard/") + f"?year={YEAR}"


def time_dashboards(server: Server, requests: int, warmup: int) -> dict:
    browser = Browser(server.port)
    browser.login("bappenas")
    out = {}
    for level, code in LEVELS:
        path = dashboard_path(code)
        for _ in range(warmup):
            status, body, _ = browser.request("GET", path)
            if status != 200:
                raise SystemExit(f"{path}: {status}\n{body[:2000].decode(errors='replace')}")
        ms = []
        for _ in range(requests):
            start = time.perf_counter()
            status, body, _ = browser.request("GET", path)
            ms.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise SystemExit(f"{path}: {status}")
        out[level] = {**summary(ms), "path": path, "bytes": len(body)}
        t = out[level]
        log(f"  {level:<9} {path:<32} median {t['median_ms']:7.1f} ms  p95 {t['p95_ms']:7.1f} ms")
    return out


# --------------------------------------------------------------------------------------
# The floor (one SQL statement over the rollups) and the raw GROUP BYs.
# --------------------------------------------------------------------------------------


def counter_columns(conn, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    if kind == "sqlite":
        cols = [r[1] for r in conn.execute("PRAGMA table_info(analytics_monthlyfigures)")]
    else:
        cols = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'analytics_monthlyfigures' ORDER BY ordinal_position")]
    return [c for c in cols if c not in ("id", "level", "prefix", "month", "category_id")]


def floor_sql(kind: str, counters: list[str], code: str) -> tuple[str, list]:
    """The region's rows (by month and category), its children's sums, the coverage of both:
    one statement, three parts told apart by the first column."""
    level = code.count(".") + 1 if code else 0
    mark = "?" if kind == "sqlite" else "%s"
    under = f" AND prefix >= {mark} AND prefix < {mark}" if code else ""
    under_params = [code, code + "/"] if code else []
    months = [YEAR * 100 + 1, YEAR * 100 + 12]
    own_cols = ", ".join(counters)
    sums = ", ".join(f"SUM({c})" for c in counters)
    pad = ", ".join(["0"] * (len(counters) - 5))
    sql = (
        f"SELECT 'own', month, category_id, prefix, {own_cols} FROM analytics_monthlyfigures "  # noqa: S608
        f"WHERE level = {mark} AND prefix = {mark} AND month BETWEEN {mark} AND {mark} "
        f"UNION ALL SELECT 'child', 0, 0, prefix, {sums} FROM analytics_monthlyfigures "
        f"WHERE level = {mark}{under} AND month BETWEEN {mark} AND {mark} GROUP BY prefix "
        f"UNION ALL SELECT 'coverage', 0, 0, prefix, villages, villages_with_officer, villages_with_forum, "
        f"officers, forums, {pad} FROM analytics_coveragefigures WHERE year = {mark} "
        f"AND level IN ({mark}, {mark}){under}"
    )
    params = [level, code, *months, level + 1, *under_params, *months, YEAR, level, level + 1, *under_params]
    return sql, params


def raw_queries(kind: str, code: str) -> list[tuple[str, list]]:
    """The same figures from the raw tables: per child and month, or per category."""
    n = {0: 2, 1: 5, 2: 8, 3: 13}[code.count(".") + 1 if code else 0]
    mark = "?" if kind == "sqlite" else "%s"
    if kind == "sqlite":
        month = lambda c: f"substr({c}, 1, 4) || substr({c}, 6, 2)"  # noqa: E731
        start, end, day = f"{YEAR}-01-01 00:00:00", f"{YEAR + 1}-01-01 00:00:00", f"{YEAR}-12-31"
        false = "0"
    else:
        import datetime as dt

        month = lambda c: f"to_char({c} AT TIME ZONE 'UTC', 'YYYYMM')"  # noqa: E731
        start, end = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC), dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC)
        day = dt.date(YEAR, 12, 31)
        false = "false"
    where = f"region_code >= {mark} AND region_code < {mark}" if code else "1 = 1"
    rp = [code, code + "/"] if code else []
    child = f"substr(region_code, 1, {n})"
    q = [
        (f"SELECT {child}, {month('created_at')}, category_id, COUNT(*), "  # noqa: S608
         f"SUM(CASE WHEN first_response_at IS NOT NULL THEN 1 ELSE 0 END) FROM reports_report "
         f"WHERE {where} AND created_at >= {mark} AND created_at < {mark} AND spam = {false} "
         f"AND duplicate_of_id IS NULL GROUP BY 1, 2, 3", [*rp, start, end]),
        (f"SELECT {child}, {month('opened_at')}, category_id, COUNT(*) FROM cases_case "  # noqa: S608
         f"WHERE {where} AND opened_at >= {mark} AND opened_at < {mark} GROUP BY 1, 2, 3", [*rp, start, end]),
        (f"SELECT {child}, {month('closed_at')}, category_id, outcome, COUNT(*) FROM cases_case "  # noqa: S608
         f"WHERE {where} AND closed_at >= {mark} AND closed_at < {mark} AND outcome <> '' "
         f"GROUP BY 1, 2, 3, 4",
         [*rp, start, end]),
        (f"SELECT {child}, {month('occurred_at')}, COUNT(*), SUM(CASE WHEN kind = 'visit' THEN 1 ELSE 0 END) "  # noqa: S608
         f"FROM activities_activity WHERE {where} AND occurred_at >= {mark} AND occurred_at < {mark} "
         f"GROUP BY 1, 2", [*rp, start, end]),
        (f"SELECT {child}, {month('held_at')}, COUNT(*) FROM forums_meeting WHERE {where} "  # noqa: S608
         f"AND held_at >= {mark} AND held_at < {mark} AND status = 'held' GROUP BY 1, 2", [*rp, start, end]),
        (f"SELECT {child}, COUNT(DISTINCT region_code), COUNT(DISTINCT officer_id) FROM policing_assignment "  # noqa: S608
         f"WHERE {where} AND start <= {mark} AND (\"end\" IS NULL OR \"end\" > {mark}) GROUP BY 1",
         [*rp, day, day]),
        (f"SELECT {child}, COUNT(*), COUNT(DISTINCT region_code) FROM forums_forum WHERE {where} "  # noqa: S608
         f"AND status <> 'dissolved' GROUP BY 1", [*rp]),
    ]
    return q


def time_sql(target: Target, make, repeats: int) -> dict:  # type: ignore[no-untyped-def]
    with contextlib.closing(target.connect()) as conn:
        ms, rows = [], 0
        for i in range(repeats + 1):
            start = time.perf_counter()
            rows = 0
            for sql, params in make(conn):
                rows += len(conn.execute(sql, params).fetchall())
            if i:  # the first run warms the cache, as the dashboards' warm-up requests do
                ms.append((time.perf_counter() - start) * 1000)
        return {**summary(ms), "rows": rows}


def time_floor_and_raw(target: Target, requests: int, raw_repeats: int) -> dict:
    out = {}
    for level, code in LEVELS:
        def floor(conn, code=code):  # type: ignore[no-untyped-def]
            return [floor_sql(target.kind, counter_columns(conn, target.kind), code)]

        floor = time_sql(target, floor, requests)
        raw = time_sql(target, lambda conn, code=code: raw_queries(target.kind, code), raw_repeats)
        out[level] = {"floor": floor, "raw": raw}
        log(f"  {level:<9} floor median {floor['median_ms']:7.2f} ms ({floor['rows']} rows)   "
            f"raw GROUP BY median {raw['median_ms']:9.1f} ms")
    return out


# --------------------------------------------------------------------------------------
# Queries per level (in-process, Django test client).
# --------------------------------------------------------------------------------------


def profile_worker() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bappenas"))
    out = {}
    for level, code in LEVELS:
        client.get(dashboard_path(code))
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(dashboard_path(code))
            wall = (time.perf_counter() - start) * 1000
        queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
        out[level] = {"status": response.status_code, "wall_ms": round(wall, 1), "queries": len(queries),
                      "sql_ms": round(sum(t for t, _ in queries), 1),
                      "slowest": [{"ms": round(t, 1), "sql": s[:300]}
                                  for t, s in sorted(queries, reverse=True)[:4]]}
    print(json.dumps(out))


def profile(target: Target) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--profile-worker"]
    done = subprocess.run(cmd, cwd=ROOT, env=target.env(POLMAS_ALLOWED_HOSTS="127.0.0.1"),  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log(done.stderr[-3000:])
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------


def stats_check(target: Target) -> dict:
    _, text = polmas(target, "stats", "--json", "--year", str(YEAR))
    totals = json.loads(text)["totals"]
    got = {k: totals[k] for k in PUBLISHED}
    return {"figures": got, "exact": got == PUBLISHED}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--sqlite-path", default=str(ROOT / "var" / "national.sqlite3"))
    p.add_argument("--pg-url", default=os.environ.get("POLMAS_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--requests", type=int, default=30, help="timed requests per level")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--raw-repeats", type=int, default=3, help="timed runs of the raw GROUP BYs")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rerun", action="store_true", help="run the simulation again and time it")
    p.add_argument("--skip-rebuild", action="store_true", help="do not time rebuild_rollups")
    p.add_argument("--profile-worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.profile_worker:
        profile_worker()
        return
    target = Target(args)
    OUT_DIR.mkdir(exist_ok=True)
    res: dict = {"db": args.db, "database": target.url, "cpus": os.cpu_count(), "load_start": loadavg(),
                 "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    res.update(build(target, args.rerun))
    res["rows"] = table_counts(target)
    res["stats"] = stats_check(target)
    log(f"stats --year {YEAR}: {res['stats']['figures']} exact={res['stats']['exact']}")
    if not args.skip_rebuild:
        res["rebuild_load"] = loadavg()
        res["rebuild_rollups_s"] = round(polmas(target, "rebuild_rollups")[0], 1)
        log(f"rebuild_rollups: {res['rebuild_rollups_s']} s")
    log(f"gunicorn, {args.workers} sync workers; {args.requests} requests per level as bappenas")
    server = Server(target, args.workers, OUT_DIR / f"dashboards-{args.db}-gunicorn.log")
    try:
        res["load_dashboards"] = loadavg()
        res["dashboards"] = time_dashboards(server, args.requests, args.warmup)
        res["server_peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    log("floor (one SQL statement over the rollups) and raw GROUP BYs, plain driver")
    res["sql"] = time_floor_and_raw(target, args.requests, args.raw_repeats)
    res["queries"] = profile(target)
    res["load_end"] = loadavg()
    (OUT_DIR / f"dashboards-{args.db}.json").write_text(json.dumps(res, indent=2))
    report(res)


def report(res: dict) -> None:
    print(f"\nPolmas dashboards on the national dataset: {res['db']}, {res['cpus']} CPUs, "
          f"load {res['load_start']} -> {res['load_end']}")
    sim = res.get("simulation_s")
    on_record = " (on record)" if res.get("simulation_reused") else ""
    verdict = "?" if sim is None else ("PASS" if sim < TARGET_SIMULATION_S else "FAIL")
    shown = sim if sim is not None else "?"
    print(f"simulation: {shown} s{on_record}  target < {TARGET_SIMULATION_S} s  {verdict}")
    if "rerun_s" in res:
        print(f"simulation again: {res['rerun_s']} s, rows added: {res['rerun_added'] or 'none'}")
    print(f"stats --year {YEAR}: {res['stats']['figures']}  {'EXACT' if res['stats']['exact'] else 'WRONG'}")
    if "rebuild_rollups_s" in res:
        print(f"rebuild_rollups: {res['rebuild_rollups_s']} s")
    print(f"\n{'level':<9} {'median':>8} {'p95':>8} {'floor':>8} {'ratio':>6} {'raw':>9} {'raw/dash':>8} "
          f"{'queries':>7}  result")
    for level, _code in LEVELS:
        d, s = res["dashboards"][level], res["sql"][level]
        ratio = d["median_ms"] / s["floor"]["median_ms"] if s["floor"]["median_ms"] else float("inf")
        raw_ratio = s["raw"]["median_ms"] / d["median_ms"]
        ok = d["median_ms"] < TARGET_MEDIAN_MS and d["p95_ms"] < TARGET_P95_MS and ratio <= TARGET_RATIO
        q = res["queries"].get(level, {}).get("queries", "?")
        print(f"{level:<9} {d['median_ms']:8.1f} {d['p95_ms']:8.1f} {s['floor']['median_ms']:8.2f} "
              f"{ratio:6.1f} "
              f"{s['raw']['median_ms']:9.1f} {raw_ratio:8.1f} {q:>7}  {'PASS' if ok else 'FAIL'}")
    rss = res["server_peak_rss_mb"]
    print(f"\nserver peak RSS (VmHWM, MB): {rss}; largest {max(rss.values())} MB, "
          f"target < {TARGET_RSS_MB} MB per process")
    print(f"targets: median < {TARGET_MEDIAN_MS} ms, p95 < {TARGET_P95_MS} ms, "
          f"median <= {TARGET_RATIO} x floor")
    for level, info in res["queries"].items():
        slow = "; ".join(f"{q['ms']} ms {q['sql'][:90]}" for q in info["slowest"][:2])
        print(f"  {level}: {info['queries']} queries, {info['sql_ms']} ms in SQL "
              f"of {info['wall_ms']} ms; {slow}")


if __name__ == "__main__":
    main()
