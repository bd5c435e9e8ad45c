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
   other: median and p95 of the wall time per request. Three ways: kept (the page body kept
   since the rollups last changed, ADR 10), cold (the rollups' update time moved before each
   request, so each draws the board afresh) and the served floor (/bench/floor/<code>/ from
   floor_urls.py: the floor statements on the app's own connection, as JSON, same login).
5. The floor: what the page shows, the cheapest hand-written way: ONE statement over the
   rollups for the figures (the region's months and categories, its children's sums, the
   coverage of both), then one each for the names, the category names, the worst gaps, the
   most overdue cases and the update time; with the plain driver. And the same figures as
   plain GROUP BYs over the raw tables (reports, cases, activities, meetings, postings,
   forums). Ratios: kept / served floor (the target), kept and cold / driver floor.
6. Peak memory: the high-water RSS (VmHWM) of the gunicorn master and each worker.
7. Queries per level: an in-process Django run (test client, logged in as the same
   planner) counts the queries of a cold view of each level and lists the slowest.

Targets (SQLite, national scale): median < 150 ms, p95 < 400 ms, median <= 1.5 x floor (kept
page against the served floor);
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

    def connect(self):
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
                         DJANGO_SETTINGS_MODULE="floor_settings", POLMAS_VAR_DIR=str(var_dir),
                         PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH_DIR),
                                                                  os.environ.get("PYTHONPATH")])))
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


def floor_path(code: str) -> str:
    return f"/bench/floor/{code}/" if code else "/bench/floor/"


class Stamp:
    """Moves the rollups' update time, as every refresh does, so that the next view of a
    board draws it afresh (a cold view); puts the old time back at the end."""

    def __init__(self, target: Target) -> None:
        self.target = target
        if target.kind == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(target.path, timeout=30, isolation_level=None)
            self.mark = "?"
        else:
            import psycopg

            url = target.url.replace("postgres://", "postgresql://", 1)
            self.conn = psycopg.connect(url, autocommit=True)
            self.mark = "%s"
        self.saved = self.conn.execute("SELECT updated_at FROM analytics_rollupstate WHERE id = 1").fetchone()

    def touch(self) -> None:
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        value = now.strftime("%Y-%m-%d %H:%M:%S.%f") if self.target.kind == "sqlite" else now
        self.conn.execute(f"UPDATE analytics_rollupstate SET updated_at = {self.mark} WHERE id = 1", [value])  # noqa: S608

    def close(self) -> None:
        if self.saved is not None:
            self.conn.execute(f"UPDATE analytics_rollupstate SET updated_at = {self.mark} WHERE id = 1",  # noqa: S608
                              [self.saved[0]])
        self.conn.close()


def time_dashboards(server: Server, target: Target, requests: int, warmup: int) -> dict:
    """Per level: the board viewed again and again (warm: the page kept since the rollups
    last changed), the board viewed first after a change (cold), and the served floor."""
    browser = Browser(server.port)
    browser.login("bappenas")
    stamp = Stamp(target)
    out = {}
    try:
        for level, code in LEVELS:
            out[level] = {}
            for kind, path, before in (("warm", dashboard_path(code), None),
                                       ("cold", dashboard_path(code), stamp.touch),
                                       ("served_floor", floor_path(code), None)):
                for _ in range(warmup):
                    status, body, _ = browser.request("GET", path)
                    if status != 200:
                        raise SystemExit(f"{path}: {status}\n{body[:2000].decode(errors='replace')}")
                ms = []
                for _ in range(requests):
                    if before:
                        before()
                    start = time.perf_counter()
                    status, body, _ = browser.request("GET", path)
                    ms.append((time.perf_counter() - start) * 1000)
                    if status != 200:
                        raise SystemExit(f"{path}: {status}")
                out[level][kind] = {**summary(ms), "path": path, "bytes": len(body)}
                t = out[level][kind]
                log(f"  {level:<9} {kind:<12} {path:<32} median {t['median_ms']:7.1f} ms  "
                    f"p95 {t['p95_ms']:7.1f} ms")
    finally:
        stamp.close()
    return out


# --------------------------------------------------------------------------------------
# The floor (one SQL statement over the rollups) and the raw GROUP BYs.
# --------------------------------------------------------------------------------------


def counter_columns(conn, kind: str) -> list[str]:
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


def page_sql(kind: str, code: str) -> list[tuple[str, list]]:
    """The rest of what the page shows, each the cheapest hand-written way: the names and
    places of the region, its ancestors and its children; the category names; the 20 worst
    coverage gaps with their names; the 10 open cases longest without progress (one index
    walk per open stage, as a planner would write it); the rollups' update time."""
    import datetime as dt

    mark = "?" if kind == "sqlite" else "%s"
    level = code.count(".") + 1 if code else 0
    if code:
        parts = code.split(".")
        ancestors = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        regions = (f"SELECT code, name, level, latitude, longitude FROM regions_region "  # noqa: S608
                   f"WHERE code IN ({', '.join([mark] * len(ancestors))}) OR parent_id = {mark}",
                   [*ancestors, code])
    else:
        regions = ("SELECT code, name, level, latitude, longitude FROM regions_region "  # noqa: S608
                   f"WHERE level = {mark}", [1])
    under = f" AND prefix >= {mark} AND prefix < {mark}" if code else ""
    under_params = [code, code + "/"] if code else []
    # Villages lacking both first, then those lacking one: two walks of the (year, level,
    # lacks, prefix) index, as the dashboard does; names joined to the 20 kept.
    walk = ("SELECT * FROM (SELECT prefix, lacks, villages_with_officer, villages_with_forum "  # noqa: S608
            f"FROM analytics_coveragefigures WHERE year = {mark} AND level = 4 AND lacks = {{lacks}}{under} "
            "ORDER BY prefix LIMIT 20) AS l{lacks}")
    gaps = (f"SELECT g.prefix, v.name, d.name, g.villages_with_officer, g.villages_with_forum "  # noqa: S608
            f"FROM ({walk.format(lacks=2)} UNION ALL {walk.format(lacks=1)}) AS g "
            "JOIN regions_region v ON v.code = g.prefix LEFT JOIN regions_region d ON d.code = v.parent_id "
            "ORDER BY g.lacks DESC, g.prefix LIMIT 20", [YEAR, *under_params] * 2)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=14)
    since_param = since.strftime("%Y-%m-%d %H:%M:%S") if kind == "sqlite" else since
    cols = "id, opened_at, region_code, category_id, sensitive, stage, last_activity_at"
    where = f"last_activity_at < {mark}"
    if code:
        where += f" AND region_code >= {mark} AND region_code < {mark}"
    where_params = [since_param, *([code, code + "/"] if code else [])]
    if level <= 1:  # tens of thousands of open cases: walk each stage's index, keep the oldest
        walks = " UNION ALL ".join(
            f"SELECT * FROM (SELECT {cols} FROM cases_case WHERE stage = '{stage}' AND {where} "  # noqa: S608
            f"ORDER BY last_activity_at LIMIT 10) AS s{i}"
            for i, stage in enumerate(("scanning", "analysis", "response", "assessment")))
        overdue = (f"SELECT {cols} FROM ({walks}) AS w ORDER BY last_activity_at LIMIT 10", where_params * 4)  # noqa: S608
    else:  # few cases under a regency or district: the region range does the work
        # `stage || ''`: no index on the stage, so the region range's index does the work.
        overdue = (f"SELECT {cols} FROM cases_case WHERE {where} AND stage || '' IN "  # noqa: S608
                   f"('scanning', 'analysis', 'response', 'assessment') ORDER BY last_activity_at LIMIT 10",
                   where_params)
    return [regions, ("SELECT id, name_id, name_en, sensitive FROM reports_category", []), gaps, overdue,
            ("SELECT updated_at, built_at FROM analytics_rollupstate WHERE id = 1", [])]


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


def time_sql(target: Target, make, repeats: int) -> dict:
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


def floor_statements(kind: str, counters: list[str], code: str) -> list[tuple[str, list]]:
    """Everything the page shows, the cheapest way: the figures in one statement over the
    rollups, then the names, gaps, overdue cases and update time (page_sql)."""
    return [floor_sql(kind, counters, code), *page_sql(kind, code)]


def time_floor_and_raw(target: Target, requests: int, raw_repeats: int) -> dict:
    out = {}
    with contextlib.closing(target.connect()) as conn:
        counters = counter_columns(conn, target.kind)
    for level, code in LEVELS:
        floor = time_sql(target, lambda conn, code=code: floor_statements(target.kind, counters, code),
                         requests)
        figures = time_sql(target, lambda conn, code=code: [floor_sql(target.kind, counters, code)], requests)
        raw = time_sql(target, lambda conn, code=code: raw_queries(target.kind, code), raw_repeats)
        out[level] = {"floor": floor, "figures_only": figures, "raw": raw}
        log(f"  {level:<9} floor median {floor['median_ms']:7.2f} ms ({floor['rows']} rows; figures alone "
            f"{figures['median_ms']:.2f} ms)   raw GROUP BY median {raw['median_ms']:9.1f} ms")
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
    from django.core.cache import cache

    for level, code in LEVELS:
        client.get(dashboard_path(code))
        cache.clear()  # a cold view: the board drawn afresh, every query it needs
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
        res["dashboards"] = time_dashboards(server, target, args.requests, args.warmup)
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
    print(f"\n{'':<9} {'board, kept':>15} {'board, cold':>15} {'floors, median':>22} {'ratios':>24} "
          f"{'raw':>9}")
    print(f"{'level':<9} {'median':>7} {'p95':>7} {'median':>7} {'p95':>7} {'served':>7} {'driver':>7} "
          f"{'figures':>7} {'kept/srv':>8} {'kept/drv':>8} {'cold/drv':>8} {'GROUP BY':>9} "
          f"{'queries':>7}  result")
    for level, _code in LEVELS:
        d, s = res["dashboards"][level], res["sql"][level]
        warm, cold, served = d["warm"], d["cold"], d["served_floor"]
        drv = s["floor"]["median_ms"]
        r_srv = warm["median_ms"] / served["median_ms"]
        r_drv = warm["median_ms"] / drv if drv else float("inf")
        r_cold = cold["median_ms"] / drv if drv else float("inf")
        ok = (max(warm["median_ms"], cold["median_ms"]) < TARGET_MEDIAN_MS
              and max(warm["p95_ms"], cold["p95_ms"]) < TARGET_P95_MS and r_srv <= TARGET_RATIO)
        q = res["queries"].get(level, {}).get("queries", "?")
        print(f"{level:<9} {warm['median_ms']:7.1f} {warm['p95_ms']:7.1f} {cold['median_ms']:7.1f} "
              f"{cold['p95_ms']:7.1f} {served['median_ms']:7.2f} {drv:7.2f} "
              f"{s['figures_only']['median_ms']:7.2f} "
              f"{r_srv:8.2f} {r_drv:8.2f} {r_cold:8.2f} {s['raw']['median_ms']:9.1f} {q:>7}  "
              f"{'PASS' if ok else 'FAIL'}")
    rss = res["server_peak_rss_mb"]
    print(f"\nserver peak RSS (VmHWM, MB): {rss}; largest {max(rss.values())} MB, "
          f"target < {TARGET_RSS_MB} MB per process")
    print(f"targets: median < {TARGET_MEDIAN_MS} ms, p95 < {TARGET_P95_MS} ms (kept and cold), "
          f"kept median <= {TARGET_RATIO} x served floor (kept/srv); kept/drv and cold/drv compare "
          f"with the same statements run by the plain driver in the bench process")
    for level, info in res["queries"].items():
        slow = "; ".join(f"{q['ms']} ms {q['sql'][:90]}" for q in info["slowest"][:2])
        print(f"  {level}: {info['queries']} queries, {info['sql_ms']} ms in SQL "
              f"of {info['wall_ms']} ms; {slow}")


if __name__ == "__main__":
    main()
