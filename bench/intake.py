"""Benchmark report intake over HTTP against the ORM floor endpoint of the same app.

    uv run python bench/intake.py [--db sqlite|postgres] [--seconds 20] [--concurrency 8]

In a fresh database (migrate, the regions of Bali, the police units: not timed), gunicorn
serves the app with 2 sync workers, as in production but on 127.0.0.1, and the task worker
routes beside it. `wrk` (with the Lua script this file writes) keeps `--concurrency`
connections busy, posting realistic, distinct reports to POST /api/v1/reports, then the same
bodies to POST /bench/floor/report: the ORM floor (bench/floor_urls.py), which parses the same
JSON with the same schema and stores the same row with one `objects.create()`. Each measured
phase follows a warm-up; the rounds alternate which endpoint goes first. Last, an open-loop
generator posts reports at a constant `--rate` (100/s), latency counted from each request's
intended send time.

Targets (issue 13): intake's rate at least half the floor's, in the same run; p99 under
100 ms at a constant 100 reports/s; every answered report stored once and routed within 5 s
of the load's end. Then one in-process profile (--profile N requests through Django's WSGI
handler, no HTTP) says where a request's time goes. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import _TABLE_RE, DEFAULT_PG_URL, DbTimer, machine_info, pg_admin, pg_conninfo, pg_drop, pg_url

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
PG_DBNAME = "polmas_bench_intake"  # the default of --pg-db
PROVINCE = "51"  # Bali
INTAKE_PATH, FLOOR_PATH, BARE_PATH = "/api/v1/reports", "/bench/floor/report", "/ping"
FLOOR_KEY = "bench-floor"  # client_key of the floor's rows (floor_urls.FLOOR_KEY)
TARGET_FLOOR_SHARE = 0.5  # intake rate / ORM floor rate, at least
TARGET_P99_MS = 100.0  # at the constant rate
ROUTED_WITHIN_S = 5.0  # every stored report routed this long after the load's end
POOL = 2048  # distinct bodies; each request adds its own client_uuid
SEED = 2017

# --------------------------------------------------------------------------------------
# Realistic reports: Indonesian text of varied length, Bali villages, mixed categories.
# --------------------------------------------------------------------------------------

OPENINGS = ["Tadi malam", "Sekitar pukul 02.00 dini hari", "Kemarin sore", "Pagi ini",
            "Sudah tiga hari ini", "Minggu lalu", "Barusan", "Setiap malam Minggu",
            "Waktu upacara di pura", "Menjelang subuh"]
EVENTS = [
    "motor saya hilang di depan warung", "rumah tetangga dibobol saat pemiliknya ke pura",
    "sekelompok pemuda mabuk membuat keributan di balai banjar",
    "terjadi perkelahian antar pemuda dari dua banjar", "musik keras diputar sampai larut malam",
    "banyak kendaraan parkir liar di bahu jalan dekat pasar",
    "orang tak dikenal mondar-mandir memotret rumah warga",
    "ada penipuan lewat WhatsApp yang mengaku petugas bank",
    "ada judi sabung ayam di kebun belakang", "anak tetangga belum pulang sejak kemarin",
    "terjadi cekcok soal batas tanah antara dua keluarga", "ada transaksi narkoba di dekat sekolah",
    "seorang ibu dipukuli suaminya dan berteriak minta tolong",
    "wisatawan kehilangan tas berisi paspor di pantai", "arak dijual bebas kepada anak di bawah umur",
]
DETAILS = [
    "Warga sudah menegur tapi tidak dihiraukan.", "Mohon Bhabinkamtibmas segera datang.",
    "Kejadian ini sudah berulang beberapa kali.", "Pelaku diperkirakan dua orang berjaket hitam.",
    "Ada rekaman CCTV dari toko di seberang jalan.", "Kami khawatir kejadian ini terulang lagi.",
    "Lokasinya di gang kecil sebelah pura desa.", "Kerugian sekitar Rp 3.500.000 – belum termasuk "
    "helm dan STNK.", "Pecalang sudah diberi tahu tetapi belum ada tindakan.",
    "Korban sekarang di rumah saudaranya dan masih ketakutan.",
    "Jalan ke sana gelap karena lampu jalan mati sejak bulan lalu.",
    "Saya tidak mau nama saya disebut karena pelaku tinggal dekat rumah.",
]
NAMES = ["Made Suarta", "Ketut Ariani", "Nyoman Sudarsana", "Wayan Sukerta", "Putu Ayu Lestari",
         "Komang Adi Putra", "Gede Wirawan", "Ni Luh Sekar"]


def description(rng: random.Random) -> str:
    text = f"{rng.choice(OPENINGS)}, {rng.choice(EVENTS)}."
    extra = rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 9])
    return " ".join([text, *rng.sample(DETAILS, min(extra, len(DETAILS)))])


def report_bodies(villages: list[tuple[str, float | None, float | None]],
                  categories: list[tuple[str, bool]], n: int, seed: int) -> list[str]:
    """`n` report bodies, each a JSON object left open after `"client_uuid":"` (the load
    generator closes it with a fresh UUID, so no two requests carry the same one)."""
    rng = random.Random(seed)
    # Sensitive matters are fewer: weight them so they make about a tenth of the reports.
    n_sens = sum(s for _c, s in categories)
    weights = [(0.1 / n_sens if s else 0.9 / (len(categories) - n_sens)) if n_sens else 1.0
               for _c, s in categories]
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))  # WITA, Bali's time
    out = []
    for _ in range(n):
        code, lat, lon = rng.choice(villages)
        body: dict = {"category": rng.choices(categories, weights)[0][0],
                      "description": description(rng), "village": code}
        if lat is not None and lon is not None and rng.random() < 0.5:  # "use my location"
            body["latitude"] = round(lat + rng.uniform(-0.003, 0.003), 6)
            body["longitude"] = round(lon + rng.uniform(-0.003, 0.003), 6)
        if rng.random() < 0.4:
            when = now - dt.timedelta(minutes=rng.randint(10, 3 * 24 * 60))
            body["occurred_at"] = when.isoformat(timespec="minutes")
        if rng.random() < 0.2:  # left a contact to hear back
            body.update(anonymous=False, name=rng.choice(NAMES),
                        phone=f"08{rng.randint(11, 99)}{rng.randint(10**7, 10**8 - 1)}",
                        reply_channel=rng.choice(["sms", "whatsapp"]))
        out.append(json.dumps(body, ensure_ascii=False)[:-1] + ', "client_uuid": "')
    return out


def uuid_tail(tag: str, thread: int, n: int) -> str:
    """The Python twin of the Lua request(): tag-thread-4000-8000-counter, closing the body."""
    return f'{tag}-{thread:04d}-4000-8000-{n:012d}"}}'


# wrk's Lua: request() picks a body and appends a UUID unique to (run, phase, thread, n);
# response() counts every status; done() writes the phase's figures as JSON.
LUA = r"""
-- Written by bench/intake.py for one phase; see there.
local path, tag, out_path = %(path)s, %(tag)s, %(out)s
local many_addresses = %(many)s
local bodies = {
%(bodies)s
}
local headers = {["Content-Type"] = "application/json", ["Accept-Language"] = "en"}
local threads = {}
statuses, sent_bytes, n, ids = {}, 0, 0, {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(tid * 7919 + %(seed)d)
end

function request()
  n = n + 1
  local body = bodies[math.random(#bodies)] ..
      string.format('%%s-%%04d-4000-8000-%%012d"}', tag, tid, n)
  sent_bytes = sent_bytes + #body
  if many_addresses then
    headers["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", math.random(0, 255),
                                               math.random(0, 255), math.random(1, 254))
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then ids[#ids + 1] = body:match('"id": *(%%d+)') or "?" end
end

function done(summary, latency, requests)
  local codes, sent, issued = {}, 0, 0
  local idf = assert(io.open(out_path .. ".ids", "w"))
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do codes[k] = (codes[k] or 0) + v end
    sent = sent + t:get("sent_bytes")
    issued = issued + t:get("n")
    for _, id in ipairs(t:get("ids")) do idf:write(id, "\n") end
  end
  idf:close()
  local parts = {}
  for k, v in pairs(codes) do table.insert(parts, string.format('"%%d": %%d', k, v)) end
  local e = summary.errors
  local f = assert(io.open(out_path, "w"))
  f:write(string.format('{"requests": %%d, "issued": %%d, "duration_us": %%d, "bytes_received": %%d, ' ..
    '"bytes_sent": %%d, "socket_errors": {"connect": %%d, "read": %%d, "write": %%d, ' ..
    '"timeout": %%d}, "latency_us": {"min": %%d, "mean": %%.1f, "stdev": %%.1f, "max": %%d, ' ..
    '"p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "p99.9": %%d}, "statuses": {%%s}}',
    summary.requests, issued, summary.duration, summary.bytes, sent, e.connect, e.read, e.write,
    e.timeout, latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency:percentile(99.9), table.concat(parts, ", ")))
  f:close()
end
"""


def lua_string(s: str) -> str:
    level = "=" * 3
    if f"]{level}]" in s:
        raise ValueError("body holds the Lua long-bracket terminator")
    return f"[{level}[{s}]{level}]"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# The fresh database and the server.
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POLMAS_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(
        # The project's settings with the floors' URLconf (floor_settings.py, floor_urls.py).
        DJANGO_SETTINGS_MODULE="floor_settings", PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH_DIR), os.environ.get("PYTHONPATH")])),
        POLMAS_VAR_DIR=str(var_dir), POLMAS_DEBUG="0", POLMAS_SSL_REDIRECT="0",
        POLMAS_SECURE_COOKIES="0", POLMAS_ALLOWED_HOSTS="127.0.0.1",
        POLMAS_SECRET_KEY=secrets.token_urlsafe(50),
        POLMAS_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        # Residents report from many addresses: each request carries its own in X-Forwarded-For,
        # which counts as the client behind our proxy (POLMAS_BEHIND_PROXY), under the default
        # hourly limit. With --one-address every request is 127.0.0.1, and the limit is lifted.
        POLMAS_BEHIND_PROXY="0" if args.one_address else "1",
        DATABASE_URL=(f"sqlite:///{var_dir / 'polmas.sqlite3'}" if args.db == "sqlite"
                      else pg_url(args.pg_url, args.pg_db)),
    )
    if args.one_address:
        env["POLMAS_REPORTS_PER_HOUR"] = str(10**9)
    if args.conn_max_age is not None:
        env["POLMAS_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    return env


def polmas(env: dict[str, str], *argv: str) -> None:
    cmd = [sys.executable, "-m", "polmas.cli", *argv]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"polmas {' '.join(argv)} failed (exit {done.returncode})")


class Database:
    """The bench's database, read with the plain driver (the orchestrator loads no Django)."""

    def __init__(self, kind: str, env: dict[str, str], pg_base: str, pg_db: str) -> None:
        self.kind, self.env, self.pg_base, self.pg_db = kind, env, pg_base, pg_db

    def query(self, sql: str) -> list[tuple]:
        if self.kind == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.env["DATABASE_URL"].removeprefix("sqlite:///"))
        else:
            import psycopg

            conn = psycopg.connect(pg_conninfo(self.pg_base, self.pg_db))
        with contextlib.closing(conn):
            return list(conn.execute(sql).fetchall())

    def villages(self) -> list[tuple[str, float | None, float | None]]:
        return self.query(f"SELECT code, latitude, longitude FROM regions_region "  # noqa: S608
                          f"WHERE level = 4 AND code LIKE '{PROVINCE}.%' ORDER BY code")

    def categories(self) -> list[tuple[str, bool]]:
        return [(c, bool(s)) for c, s in
                self.query("SELECT code, sensitive FROM reports_category WHERE active ORDER BY code")]

    def report_ids(self) -> set[int]:
        """The reports intake stored (not the floor's)."""
        return {r[0] for r in self.query(f"SELECT id FROM reports_report WHERE client_key <> '{FLOOR_KEY}'")}  # noqa: S608

    def unrouted(self) -> int:
        return self.query("SELECT COUNT(*) FROM reports_report WHERE routed_at IS NULL")[0][0]

    def routing(self) -> dict:
        """What routing wrote: reports routed, those without any inbox entry, events and
        audit entries of submission (one each per routed report)."""
        (routed, empty, events, audits), = self.query(
            f"SELECT (SELECT COUNT(*) FROM reports_report WHERE routed_at IS NOT NULL "  # noqa: S608
            f"AND client_key <> '{FLOOR_KEY}'), "
            f"(SELECT COUNT(*) FROM reports_report r WHERE routed_at IS NOT NULL "
            f"AND client_key <> '{FLOOR_KEY}' AND NOT EXISTS "
            "(SELECT 1 FROM reports_recipient x WHERE x.report_id = r.id)), "
            "(SELECT COUNT(*) FROM reports_event WHERE kind = 'received'), "
            "(SELECT COUNT(*) FROM access_auditentry WHERE action = 'report.submit')")
        return {"routed": routed, "routed_without_inbox_entry": empty,
                "received_events": events, "submission_audit_entries": audits}


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process still there, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes, from /proc (0 for one that has gone)."""
    return sum(cpu_by_pid(pids).values())


def cpu_since(before: dict[int, float]) -> float:
    """CPU the processes of `before` have used since, counting only those still there."""
    now = cpu_by_pid(list(before))
    return sum(now[pid] - before[pid] for pid in now)


def postgres_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (its backends among them)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError, ValueError):
            if comm.read_text().strip() == "postgres":
                pids.append(int(comm.parent.name))
    return pids


def machine_busy_seconds() -> tuple[float, float]:
    """CPU seconds the whole machine has been busy and idle (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / ticks, idle / ticks


class Server:
    """gunicorn on 127.0.0.1:<free port>, started with the bench's environment."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], log_file: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "gunicorn", "polmas.wsgi:application",
               "--bind", f"127.0.0.1:{self.port}", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--log-level", "warning",
               "--error-logfile", str(log_file)]
        if args.worker_class == "gthread":
            cmd += ["--threads", str(args.threads)]
        self.cmd = cmd
        # Django logs errors (with their tracebacks) to the workers' stderr: keep them.
        with (log_file.parent / "server-output.log").open("w") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603
        self.log_file = log_file
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + BARE_PATH, timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                logs = (log_file.parent / "server-output.log", log_file)
                raise SystemExit("gunicorn did not come up:\n"
                                 + "".join(f.read_text()[-3000:] for f in logs if f.exists()))
            time.sleep(0.3)

    def pids(self) -> list[int]:
        """The master and its workers."""
        pids = [self.proc.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.append(int(stat.parent.name))
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class TaskWorker:
    """`polmas db_worker`, as beside the app server in production: it routes the reports
    intake stored (ADR 11), in batches, and runs the rollups' recounts."""

    def __init__(self, env: dict[str, str], log_file: Path) -> None:
        self.cmd = [sys.executable, "-m", "polmas.cli", "db_worker", "--interval", "0.2",
                    "--no-startup-delay"]
        # POLMAS_BENCH_WORKER_PROF=<file>: the worker runs under cProfile (stopped by SIGINT,
        # so that the profile is written).
        self.prof = os.environ.get("POLMAS_BENCH_WORKER_PROF")
        if self.prof:
            self.cmd[1:3] = ["-m", "cProfile", "-o", self.prof, "-m", "polmas.cli"]
        with log_file.open("w") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT if self.prof else signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def drain(db: Database, worker: TaskWorker | None, timeout: float = 300) -> dict:
    """Wait until the worker has routed every stored report: how long it took."""
    t0, start = time.perf_counter(), db.unrouted()
    left = start
    while left and worker is not None and worker.proc.poll() is None and time.perf_counter() - t0 < timeout:
        time.sleep(0.2)
        left = db.unrouted()
    return {"unrouted_at_end_of_load": start, "unrouted_after_drain": left,
            "drain_seconds": round(time.perf_counter() - t0, 2)}


# --------------------------------------------------------------------------------------
# Load: one wrk run per phase.
# --------------------------------------------------------------------------------------


def wrk_version() -> str:
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else "?"


def wrk_phase(args: argparse.Namespace, server: Server, run_dir: Path, bodies: list[str],
              path: str, seconds: int, phase: int, name: str, worker: TaskWorker | None = None,
              db: Database | None = None) -> dict:
    out = run_dir / f"{name}.json"
    tag = f"{secrets.randbelow(16**4):04x}{phase:04d}"  # 8 hex digits: this run and phase
    script = run_dir / f"{name}.lua"
    script.write_text(LUA % {
        "path": json.dumps(path), "tag": json.dumps(tag), "out": json.dumps(str(out)),
        "bodies": ",\n".join(lua_string(b) for b in bodies), "seed": SEED + phase,
        "many": "false" if args.one_address else "true",
    })
    threads = min(2, args.concurrency)
    cmd = ["wrk", "-t", str(threads), "-c", str(args.concurrency), "-d", f"{seconds}s",
           "--timeout", "10s", "-s", str(script), server.url + path]
    worker_pids = [worker.proc.pid] if worker is not None else []
    before_server, before_worker = cpu_seconds(server.pids()), cpu_seconds(worker_pids)
    db_pids = postgres_pids() if args.db == "postgres" else []
    before_db, before_machine = cpu_by_pid(db_pids), machine_busy_seconds()
    before_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()[0]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    after_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = cpu_seconds(server.pids()) - before_server
    worker_cpu = cpu_seconds(worker_pids) - before_worker
    db_cpu = cpu_since(before_db)  # backends that ended or began meanwhile are not counted
    after_machine = machine_busy_seconds()
    machine_busy = after_machine[0] - before_machine[0]
    machine_all = machine_busy + after_machine[1] - before_machine[1]
    backlog = db.unrouted() if db is not None and path == INTAKE_PATH else None
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"wrk failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    r = json.loads(out.read_text())
    ids = [line for line in Path(str(out) + ".ids").read_text().split("\n") if line]
    statuses = {int(k): v for k, v in r["statuses"].items()}
    answered = sum(statuses.values())
    ok = sum(v for k, v in statuses.items() if 200 <= k < 300)
    socket_errors = sum(r["socket_errors"].values())
    secs = r["duration_us"] / 1e6
    lat = {k: v / 1000 for k, v in r["latency_us"].items()}
    return {
        "phase": name, "path": path, "seconds": round(secs, 2), "requests": r["requests"],
        "answered": answered, "unanswered_at_stop": r["issued"] - r["requests"],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        # Any answer outside 2xx is an error, and so is a request the socket lost.
        "errors": answered - ok + socket_errors, "socket_errors": r["socket_errors"],
        "rate": round(ok / secs, 1),
        "latency_ms": {k: round(v, 2) for k, v in lat.items()},
        "mean_body_bytes": round(r["bytes_sent"] / max(1, r["requests"])),
        "server_cpu_seconds": round(server_cpu, 2),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, answered), 2),
        "server_cores_busy": round(server_cpu / secs, 2),
        # The task worker routing the reports meanwhile (ADR 11), and what it had left.
        "worker_cpu_seconds": round(worker_cpu, 2),
        "worker_cpu_ms_per_request": round(1000 * worker_cpu / max(1, answered), 2),
        "unrouted_at_end": backlog,
        # PostgreSQL's processes (its backends, WAL writer, checkpointer) on the same cores.
        "db_cpu_ms_per_request": round(1000 * db_cpu / max(1, answered), 2) if db_pids else None,
        "machine_busy_share": round(machine_busy / max(1e-9, machine_all), 3),
        "wrk_cpu_seconds": round((after_wrk.ru_utime - before_wrk.ru_utime)
                                 + (after_wrk.ru_stime - before_wrk.ru_stime), 2),
        "loadavg_1min_before": round(load0, 2),
        "_ids": ids,  # the ids the 201 answers gave (kept out of the JSON file)
    }


# --------------------------------------------------------------------------------------
# Load at a constant rate (open loop): latency from the intended send time.
# --------------------------------------------------------------------------------------


async def _open_loop(port: int, bodies: list[str], rate: float, seconds: float, tag: str,
                     many_addresses: bool, seed: int) -> tuple[list[tuple[int | None, float, str]], float]:
    """Post a report every 1/rate s for `seconds`, each on its own connection (gunicorn's sync
    workers close it after the answer), whether or not earlier ones were answered. Each
    result: (status or None, ms from the intended send time to the whole answer, id or "")."""
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    results: list[tuple[int | None, float, str]] = []

    async def one(i: int, due: float, body: bytes, address: str) -> None:
        head = (f"POST {INTAKE_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Accept-Language: en\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
                + (f"X-Forwarded-For: {address}\r\n" if address else "") + "\r\n").encode()
        status, ident = None, ""
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            writer.write(head + body)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 10)
            writer.close()
            first = answer.split(b"\r\n", 1)[0].split()
            status = int(first[1]) if len(first) > 1 else None
            found = re.search(rb'"id": *(\d+)', answer)
            ident = found.group(1).decode() if found else "?"
        except (OSError, TimeoutError, ValueError):
            pass
        results.append((status, 1000 * (loop.time() - due), ident))

    tasks = []
    start = loop.time() + 0.05
    for i in range(int(rate * seconds)):
        due = start + i / rate
        body = (rng.choice(bodies) + uuid_tail(tag, 1, i)).encode()
        address = (f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                   if many_addresses else "")
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(i, due, body, address)))
    await asyncio.gather(*tasks)
    return results, loop.time() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else 0.0


def open_loop_phase(args: argparse.Namespace, server: Server, bodies: list[str], phase: int,
                    worker: TaskWorker | None) -> dict:
    """The constant-rate phase: --rate reports/s for --rate-seconds."""
    tag = f"{secrets.randbelow(16**4):04x}{phase:04d}"
    worker_pids = [worker.proc.pid] if worker is not None else []
    before_server, before_worker = cpu_seconds(server.pids()), cpu_seconds(worker_pids)
    before_machine, load0 = machine_busy_seconds(), os.getloadavg()[0]
    results, secs = asyncio.run(_open_loop(server.port, bodies, args.rate, args.rate_seconds, tag,
                                           not args.one_address, SEED + phase))
    after_machine = machine_busy_seconds()
    machine_busy = after_machine[0] - before_machine[0]
    machine_all = machine_busy + after_machine[1] - before_machine[1]
    statuses: dict[str, int] = {}
    for status, _ms, _id in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    lat = [ms for _s, ms, _id in results]
    ok = sum(1 for st, _ms, _id in results if st is not None and 200 <= st < 300)
    return {
        "phase": f"intake-rate-{args.rate:g}", "path": INTAKE_PATH, "rate_wanted": args.rate,
        "seconds": round(secs, 2), "requests": len(results),
        "answered": len(results) - statuses.get("None", 0),
        # Given up after 10 s: the server may still store them, unanswered.
        "unanswered_at_stop": statuses.get("None", 0), "statuses": statuses, "errors": len(results) - ok,
        "rate": round(ok / secs, 1) if secs else 0.0,
        "latency_ms": {"p50": round(percentile(lat, 50), 2), "p90": round(percentile(lat, 90), 2),
                       "p99": round(percentile(lat, 99), 2), "p99.9": round(percentile(lat, 99.9), 2),
                       "max": round(max(lat, default=0.0), 2)},
        "latency_from": "the intended send time (open loop: queueing and a late generator count)",
        "server_cpu_ms_per_request":
            round(1000 * (cpu_seconds(server.pids()) - before_server) / max(1, ok), 2),
        "worker_cpu_ms_per_request": round(1000 * (cpu_seconds(worker_pids) - before_worker) / max(1, ok), 2),
        "machine_busy_share": round(machine_busy / max(1e-9, machine_all), 3),
        "loadavg_1min_before": round(load0, 2),
        "_ids": [i for st, _ms, i in results if st == 201],
    }


# --------------------------------------------------------------------------------------
# Profile: requests through Django's WSGI handler in this process (a worker), no HTTP.
# --------------------------------------------------------------------------------------


# Stages of report_submit timed in the profile, by the names intake.py calls them under.
STAGES = {"report_check": "report_check (reads only)", "report_store": "report_store (writes)",
          "_check": "check (category, text, village, phone)",
          "_ask_before_storing": "resend, blocks, hourly limit and likely duplicate (one statement)",
          "route_soon": "routing run queued (at most once a second)"}


class Stages:
    """Wall and CPU time spent in named functions (and in opening, committing and closing
    database connections), patched in place for the profile worker only."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def wrap(self, owner: object, name: str, label: str) -> None:
        real = getattr(owner, name, None)
        if real is None:  # renamed since: leave it out rather than fail
            return

        def timed(*a, **kw):
            w, c = time.perf_counter(), time.process_time()
            try:
                return real(*a, **kw)
            finally:
                self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - w
                self.cpu[label] = self.cpu.get(label, 0.0) + time.process_time() - c

        setattr(owner, name, timed)

    def reset(self) -> None:
        self.wall.clear()
        self.cpu.clear()


class TransactionTimer:
    """How long each outermost transaction.atomic block lasts, from entering (on SQLite:
    BEGIN IMMEDIATE, which takes the database's single write lock) to the end of its COMMIT."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0
        self.begun: float | None = None

    def install(self) -> None:
        from django.db import transaction

        real_enter, real_exit = transaction.Atomic.__enter__, transaction.Atomic.__exit__
        timer = self

        def enter(atomic):
            if not transaction.get_connection(atomic.using).in_atomic_block:
                timer.begun = time.perf_counter()
            return real_enter(atomic)

        def exit_(atomic, *exc):
            try:
                return real_exit(atomic, *exc)
            finally:
                if timer.begun is not None and not transaction.get_connection(atomic.using).in_atomic_block:
                    timer.seconds += time.perf_counter() - timer.begun
                    timer.count += 1
                    timer.begun = None

        transaction.Atomic.__enter__ = enter
        transaction.Atomic.__exit__ = exit_


_WHERE_COLUMN = re.compile(r'"\w+"\."(\w+)" (?:=|>=|<=|<|>|IN|IS)')


class StatementTimer(DbTimer):
    """run.py's DbTimer, keyed finer: verb, table, COUNT or not, and the columns filtered on."""

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.lstrip().split(None, 1)
            key = words[0].upper()
            table = _TABLE_RE.search(sql)
            if table:
                key += " " + table.group(1)
            if key.startswith("SELECT"):
                if "COUNT(" in sql.upper():
                    key += " count"
                where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
                cols = list(dict.fromkeys(_WHERE_COLUMN.findall(where)))
                if cols:
                    key += " by " + ", ".join(cols[:5])
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - start
            self.calls[key] = self.calls.get(key, 0) + 1


def profile_worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    from polmas.reports import intake

    app = get_wsgi_application()
    bodies = json.loads(Path(args.bodies).read_text())

    def call(path: str, body: bytes) -> int:
        address = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)), "HTTP_ACCEPT_LANGUAGE": "en",
            **({} if args.one_address else {"HTTP_X_FORWARDED_FOR": address}),
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http", "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []
        result = app(environ, lambda s, h, exc_info=None: status.append(s))
        b"".join(result)
        result.close()  # request_finished: closes the connection as gunicorn's workers do
        return int(status[0].split()[0])

    stages = Stages()
    tx = TransactionTimer()
    tx.install()
    from polmas.reports import api as reports_api

    for name, label in STAGES.items():
        stages.wrap(intake, name, label)
        if name.startswith("report_"):  # the API calls them by the names it imported
            stages.wrap(reports_api, name, label)
    for name, label in (("connect", "db: open connection"), ("_commit", "db: commit"),
                        ("_close", "db: close connection")):
        stages.wrap(BaseDatabaseWrapper, name, label)
    n = args.profile
    out: dict = {"reports_in_database_before": None}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM reports_report")
        out["reports_in_database_before"] = cur.fetchone()[0]
    connection.close()
    for label, path in (("intake", INTAKE_PATH), ("floor", FLOOR_PATH)):
        def payloads(tag: str, count: int) -> list[bytes]:
            return [(bodies[i % len(bodies)] + uuid_tail(tag, 9, i)).encode() for i in range(count)]

        # Warm-up: for intake, long enough that this process has met most villages (its
        # copies of each village's Polsek fill as in a server that has run a while).
        prefix = ("9f0f" if label == "intake" else "9f1f") + "0000"
        for p in payloads(prefix, 1500 if path == INTAKE_PATH else 20):
            call(path, p)
        # 1. Plain: wall and CPU per request, by stage and by SQL statement.
        timer = StatementTimer()
        stages.reset()
        tx.seconds, tx.count, tx.begun = 0.0, 0, None
        connection.execute_wrappers.append(timer)
        codes: dict[int, int] = {}
        w0, c0 = time.perf_counter(), time.process_time()
        for p in payloads(("9f0f" if label == "intake" else "9f1f") + "0001", n):
            c = call(path, p)
            codes[c] = codes.get(c, 0) + 1
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        connection.execute_wrappers.remove(timer)
        tx_seconds, tx_count = tx.seconds, tx.count
        db = timer.summary(wall)
        per = {k: {"wall_ms": round(1000 * v / n, 3), "cpu_ms": round(1000 * stages.cpu[k] / n, 3)}
               for k, v in sorted(stages.wall.items(), key=lambda kv: -kv[1])}
        stages.reset()
        # 2. Under cProfile: which functions (slower; compare shares, not totals).
        prof = cProfile.Profile()
        prof.enable()
        for p in payloads(("9f0f" if label == "intake" else "9f1f") + "0002", n):
            call(path, p)
        prof.disable()
        prof.dump_stats(args.prof_out.replace(".prof", f"-{label}.prof"))
        funcs = []
        for (file, line, func), (_cc, nc, tt, ct, _callers) in pstats.Stats(prof).stats.items():
            funcs.append({"function": f"{Path(file).name}:{line}({func})", "file": file, "calls": nc,
                          "tottime_ms_per_request": round(1000 * tt / n, 3),
                          "cumtime_ms_per_request": round(1000 * ct / n, 3)})
        in_app = [f for f in funcs if "/polmas/" in f["file"] and "/bench/" not in f["file"]]
        out[label] = {
            "requests": n, "statuses": {str(k): v for k, v in codes.items()},
            "wall_ms_per_request": round(1000 * wall / n, 3),
            "cpu_ms_per_request": round(1000 * cpu / n, 3),
            "driver_ms_per_request": round(1000 * db["driver_seconds"] / n, 3),
            "statements_per_request": round(sum(timer.calls.values()) / n, 2),
            "transaction_ms_per_request": round(1000 * tx_seconds / n, 3),
            "transactions": tx_count,
            "stages": per,
            "stages_note": "stages may overlap: a connection is opened inside whichever stage "
                           "runs the request's first query",
            "by_statement": {k: {"ms_per_request": round(1000 * v["seconds"] / n, 3),
                                 "calls_per_request": round(v["calls"] / n, 2)}
                             for k, v in db["by_statement"].items()},
            "cprofile_top_app_cumulative": sorted(in_app, key=lambda f: -f["cumtime_ms_per_request"])[:25],
            "cprofile_top_tottime": sorted(funcs, key=lambda f: -f["tottime_ms_per_request"])[:25],
        }
    Path(args.result).write_text(json.dumps(out, indent=2))


def run_profile(args: argparse.Namespace, env: dict[str, str], run_dir: Path,
                bodies: list[str]) -> dict:
    bodies_file, result = run_dir / "bodies.json", run_dir / "profile.json"
    bodies_file.write_text(json.dumps(bodies))
    prof_out = OUT_DIR / (f"intake-{args.db}-{args.label}.prof" if args.label else f"intake-{args.db}.prof")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--profile-worker", "--db", args.db,
           "--profile", str(args.profile), "--bodies", str(bodies_file), "--result", str(result),
           "--prof-out", str(prof_out)] + (["--one-address"] if args.one_address else [])
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr[:6000] + "\n...\n" + done.stderr[-3000:])
        raise SystemExit(f"profile worker failed (exit {done.returncode})")
    return json.loads(result.read_text())


# --------------------------------------------------------------------------------------
# Orchestrator
# --------------------------------------------------------------------------------------


def machine_snapshot() -> dict:
    """run.py's snapshot, leaving out this bench's own processes (wrk, gunicorn, itself)."""
    snap: dict = {"loadavg": [round(x, 2) for x in os.getloadavg()]}
    with contextlib.suppress(OSError, ValueError, subprocess.SubprocessError):
        ps = subprocess.run(["ps", "-eo", "pcpu,comm,args", "--sort=-pcpu", "--no-headers"],  # noqa: S607
                            capture_output=True, text=True, timeout=10, check=False).stdout
        busy = []
        for line in ps.splitlines():
            pcpu, comm, cmdline = (line.split(None, 2) + ["", ""])[:3]
            mine = "bench/intake.py" in cmdline or "polmas.wsgi" in cmdline or comm == "wrk"
            if float(pcpu) >= 5 and not mine and comm != "ps":
                busy.append(f"{pcpu}% {cmdline[:100]}")
        snap["busy_processes"] = busy[:8]
    return snap


def check_stored(phases: list[dict], stored: set[int]) -> dict:
    """Every 201 answer stored its report once, and nothing else was stored but the requests
    still in flight when wrk stopped (the server finishes them; wrk no longer reads them)."""
    intake = [p for p in phases if p["path"] == INTAKE_PATH]
    answered: list[int] = []
    for p in intake:
        answered += [int(i) if i.isdigit() else -1 for i in p.pop("_ids")]
    for p in phases:
        p.pop("_ids", None)
    created = sum(int(p["statuses"].get("201", 0)) for p in intake)
    unanswered = sum(p["unanswered_at_stop"] for p in intake)
    ids = set(answered)
    missing, extra = ids - stored, stored - ids
    ok = (len(ids) == len(answered) == created and not missing and len(extra) <= unanswered)
    return {
        "reports_in_database": len(stored), "created_201": created,
        "distinct_ids_in_201s": len(ids), "ids_of_201s_not_in_database": len(missing),
        "unanswered_at_stop": unanswered, "stored_without_answer": len(extra), "ok": ok,
        "rule": "reports in the database == 201 answers (each with its own id, all stored) + "
                "at most the requests wrk left unanswered when it stopped; every intake phase, "
                "warm-ups included",
    }


def summarise(phases: list[dict], label: str) -> dict:
    runs = [p for p in phases if p["phase"].startswith(label + "-measure")]
    med = statistics.median
    return {
        "requests": sum(r["requests"] for r in runs), "errors": sum(r["errors"] for r in runs),
        "statuses": {k: sum(int(r["statuses"].get(k, 0)) for r in runs)
                     for k in sorted({k for r in runs for k in r["statuses"]})},
        "rate": round(med([r["rate"] for r in runs]), 1),
        "p50_ms": round(med([r["latency_ms"]["p50"] for r in runs]), 2),
        "p95_ms": round(med([r["latency_ms"]["p95"] for r in runs]), 2),
        "p99_ms": round(med([r["latency_ms"]["p99"] for r in runs]), 2),
        "max_ms": round(max(r["latency_ms"]["max"] for r in runs), 2),
        "server_cpu_ms_per_request": round(med([r["server_cpu_ms_per_request"] for r in runs]), 2),
        "server_cores_busy": round(med([r["server_cores_busy"] for r in runs]), 2),
        "worker_cpu_ms_per_request": round(med([r["worker_cpu_ms_per_request"] for r in runs]), 2),
        "db_cpu_ms_per_request": (round(med([r["db_cpu_ms_per_request"] for r in runs]), 2)
                                  if runs and runs[0]["db_cpu_ms_per_request"] is not None else None),
        "machine_busy_share": round(med([r["machine_busy_share"] for r in runs]), 3),
        "unrouted_at_end_max": max((r["unrouted_at_end"] or 0) for r in runs),
        "mean_body_bytes": round(med([r["mean_body_bytes"] for r in runs])),
        "rounds": [{k: r[k] for k in ("phase", "seconds", "requests", "errors", "rate",
                                      "latency_ms", "server_cpu_ms_per_request", "server_cores_busy",
                                      "worker_cpu_ms_per_request", "db_cpu_ms_per_request",
                                      "machine_busy_share", "unrouted_at_end",
                                      "loadavg_1min_before")} for r in runs],
    }


def verdicts(intake: dict, floor: dict, constant: dict | None, consistency: dict, routed: dict,
             routing: str) -> list[dict]:
    share = intake["rate"] / floor["rate"] if floor["rate"] else 0.0
    out = [{"target": f"intake rate / ORM floor rate >= {TARGET_FLOOR_SHARE:g}", "value": round(share, 3),
            "result": "PASS" if share >= TARGET_FLOOR_SHARE else "FAIL"}]
    if constant is not None:
        p99 = constant["latency_ms"]["p99"]
        out.append({"target": f"p99 < {TARGET_P99_MS:g} ms at {constant['rate_wanted']:g}/s", "value": p99,
                    "result": "PASS" if p99 < TARGET_P99_MS and constant["errors"] == 0 else "FAIL"})
    out.append({"target": "every answered report stored once", "value": consistency["reports_in_database"],
                "result": "PASS" if consistency["ok"] else "FAIL"})
    if routing == "during":
        out.append({"target": f"all routed within {ROUTED_WITHIN_S:g} s of the load's end",
                    "value": routed.get("drain_seconds"),
                    "result": "PASS" if routed.get("within_target") else "FAIL"})
    return out


def print_report(res: dict) -> None:
    a = res["setup"]
    print(f"\nPolmas intake benchmark: {res['db']}, gunicorn {a['workers']} {a['worker_class']} "
          f"workers, wrk {a['concurrency']} connections, {a['rounds']} round(s) of {a['seconds']} s "
          f"per endpoint (medians over rounds)")
    head = (f"{'endpoint':<22} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'CPU ms/req':>10} {'CPUs busy':>9}")
    print(head)
    print("-" * len(head))
    for label, path in (("intake", INTAKE_PATH), ("floor", FLOOR_PATH)):
        s = res["endpoints"][label]
        print(f"{'POST ' + path:<22} {s['requests']:>8} {s['errors']:>6} {s['rate']:>7.1f} "
              f"{s['p50_ms']:>7.1f} {s['p95_ms']:>7.1f} {s['p99_ms']:>7.1f} {s['max_ms']:>7.1f} "
              f"{s['server_cpu_ms_per_request']:>10.2f} {s['server_cores_busy']:>9.2f}")
    print()
    for label in ("intake", "floor"):
        rounds = ", ".join(f"{r['rate']:.0f}/s p99 {r['latency_ms']['p99']:.0f} ms "
                           f"(load {r['loadavg_1min_before']:.1f})"
                           for r in res["endpoints"][label]["rounds"])
        print(f"{label} per round: {rounds}")
    for label in ("intake", "floor"):
        s = res["endpoints"][label]
        print(f"{label}: machine {100 * s['machine_busy_share']:.0f} % busy"
              + (f", PostgreSQL CPU {s['db_cpu_ms_per_request']:.2f} ms/request"
                 if s["db_cpu_ms_per_request"] is not None else ""))
    k = res.get("constant_rate")
    if k:
        print(f"\nconstant rate {k['rate_wanted']:g}/s for {k['seconds']:.0f} s (open loop, latency from "
              f"the intended send time): {k['requests']} requests, {k['errors']} errors, p50 "
              f"{k['latency_ms']['p50']:.1f} ms, p90 {k['latency_ms']['p90']:.1f} ms, p99 "
              f"{k['latency_ms']['p99']:.1f} ms, max {k['latency_ms']['max']:.1f} ms; server CPU "
              f"{k['server_cpu_ms_per_request']:.2f} ms/report, "
              f"machine {100 * k['machine_busy_share']:.0f} % busy")
    print(f"\nratio intake/ORM floor: {res['ratio']:.3f}")
    for v in res["targets"]:
        print(f"  {v['target']:<44} {v['value']!s:>8}  {v['result']}")
    c = res["consistency"]
    print(f"  {'reports stored == 201 answers':<34} {c['reports_in_database']} == {c['created_201']} "
          f"+ {c['stored_without_answer']} in flight at wrk's stop (of {c['unanswered_at_stop']} "
          f"unanswered)  {'OK' if c['ok'] else 'MISMATCH'}")
    r, i = res["routing"], res["endpoints"]["intake"]
    print(f"  {'every stored report routed':<34} {r['routed']} routed, {r['received_events']} received "
          f"events, {r['submission_audit_entries']} audit entries, {r['routed_without_inbox_entry']} "
          f"without an inbox entry  {'OK' if r['ok'] else 'MISMATCH'}")
    print(f"\nrouting ({res['setup']['task_worker']}): worker CPU during the load "
          f"{i['worker_cpu_ms_per_request']:.2f} ms per report; at most {i['unrouted_at_end_max']} reports "
          f"waiting at the end of a measured phase; {r['unrouted_at_end_of_load']} when the load "
          f"stopped, {r['unrouted_after_drain']} left {r['drain_seconds']} s later"
          + (f" ({r['unrouted_at_end_of_load'] / r['drain_seconds']:.0f} reports/s routed)"
             if r["drain_seconds"] and r["unrouted_at_end_of_load"] else ""))
    if res["server_log_tail"].strip():
        errs = [ln for ln in res["server_log_tail"].splitlines() if "Error" in ln or "error" in ln]
        print(f"\nthe server logged (see server_log_tail in the JSON): {errs[-1] if errs else '...'}")
    if res.get("profile"):
        p, b = res["profile"]["intake"], res["profile"]["floor"]
        print(f"\nprofile: {p['requests']} requests in-process (WSGI handler, no HTTP), "
              f"{res['profile']['reports_in_database_before']} reports already stored")
        print(f"  intake {p['wall_ms_per_request']:.2f} ms/request ({p['cpu_ms_per_request']:.2f} ms CPU), "
              f"{p['statements_per_request']:.1f} SQL statements, {p['driver_ms_per_request']:.2f} ms "
              f"inside the driver; {p['transaction_ms_per_request']:.2f} ms inside the write transaction "
              f"(BEGIN to end of COMMIT); floor {b['wall_ms_per_request']:.2f} ms "
              f"({b['cpu_ms_per_request']:.2f} ms CPU)")
        print(f"  {'stage':<42} {'wall ms':>8} {'CPU ms':>7}")
        for k, v in p["stages"].items():
            print(f"  {k:<42} {v['wall_ms']:>8.3f} {v['cpu_ms']:>7.3f}")
        print("  slowest statements (ms/request, statements/request):")
        for k, v in list(p["by_statement"].items())[:10]:
            print(f"  {v['ms_per_request']:>8.3f}  x{v['calls_per_request']:<5} {k[:90]}")


def orchestrate(args: argparse.Namespace) -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian/Ubuntu)")
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    info = machine_info(args.db, args.pg_url)
    info.update(wrk=wrk_version(), gunicorn=_gunicorn_version())
    conditions = [{"when": "start", **machine_snapshot()}]
    run_dir = Path(tempfile.mkdtemp(prefix=f"polmas-bench-intake-{args.db}-"))
    var_dir = run_dir / "var"
    (var_dir / "static").mkdir(parents=True)  # whitenoise warns about a missing STATIC_ROOT
    env = server_env(args, var_dir)
    server = worker = None
    phases: list[dict] = []
    routed: dict = {}
    try:
        if args.db == "postgres":
            pg_drop(args.pg_url, args.pg_db)
            pg_admin(args.pg_url, f'CREATE DATABASE "{args.pg_db}"')
        log(f"set-up ({args.db}): migrate, load_regions --provinces {PROVINCE}, units_build")
        polmas(env, "migrate", "--verbosity", "0")
        polmas(env, "load_regions", "--provinces", PROVINCE)
        polmas(env, "shell", "-c", "from polmas.policing.tree import units_build; units_build()")
        db = Database(args.db, env, args.pg_url, args.pg_db)
        villages, categories = db.villages(), db.categories()
        if not villages or not categories:
            raise SystemExit("no villages or no categories in the bench database")
        bodies = report_bodies(villages, categories, POOL, SEED)
        server = Server(args, env, run_dir / "gunicorn.log")
        log(f"gunicorn on {server.url}: {' '.join(server.cmd[2:])}")
        if args.routing == "during":
            worker = TaskWorker(env, run_dir / "worker.log")
            log(f"task worker beside it: {' '.join(worker.cmd[2:])}")
        phase = 0
        for rnd in range(args.rounds):
            order = [("intake", INTAKE_PATH), ("floor", FLOOR_PATH)]
            if rnd % 2:
                order.reverse()
            for label, path in order:
                for kind, secs in (("warmup", args.warmup), ("measure", args.seconds)):
                    if secs <= 0:
                        continue
                    phase += 1
                    name = f"{label}-{kind}-{rnd}"
                    log(f"round {rnd + 1}/{args.rounds} {label} {kind} {secs} s; load average "
                        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
                    phases.append(wrk_phase(args, server, run_dir, bodies, path, secs, phase, name,
                                            worker, db))
                    p = phases[-1]
                    log(f"  {p['requests']} requests, {p['errors']} errors, {p['rate']:.0f}/s, "
                        f"p99 {p['latency_ms']['p99']:.1f} ms, server CPU "
                        f"{p['server_cpu_ms_per_request']:.2f} ms/request, worker CPU "
                        f"{p['worker_cpu_ms_per_request']:.2f} ms/request, "
                        f"wrk CPU {p['wrk_cpu_seconds']:.1f} s"
                        + (f", PostgreSQL CPU {p['db_cpu_ms_per_request']:.2f} ms/request"
                           if p["db_cpu_ms_per_request"] is not None else "")
                        + f", machine {100 * p['machine_busy_share']:.0f} % busy"
                        + (f", {p['unrouted_at_end']} not yet routed" if p["unrouted_at_end"] is not None
                           else ""))
            conditions.append({"when": f"after round {rnd}", **machine_snapshot()})
        if args.rate > 0 and args.rate_seconds > 0:
            if worker is not None:  # start the constant-rate phase with nothing waiting
                drain(db, worker)
            phase += 1
            log(f"constant rate: {args.rate:g} reports/s for {args.rate_seconds} s; load average "
                f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
            phases.append(open_loop_phase(args, server, bodies, phase, worker))
            p = phases[-1]
            log(f"  {p['requests']} requests, {p['errors']} errors, {p['rate']:.0f}/s, p50 "
                f"{p['latency_ms']['p50']:.1f} ms, p99 {p['latency_ms']['p99']:.1f} ms, machine "
                f"{100 * p['machine_busy_share']:.0f} % busy")
        if args.routing == "during":  # the load's end: how long until every report is routed
            routed = drain(db, worker)
        server.stop()
        if args.routing == "after":
            worker = TaskWorker(env, run_dir / "worker.log")
            log(f"load over: task worker started to route what intake stored: {' '.join(worker.cmd[2:])}")
            routed = drain(db, worker)
        elif args.routing == "none":
            routed = drain(db, None)
        log(f"routing: {routed['unrouted_at_end_of_load']} reports waiting when the load stopped, "
            f"{routed['unrouted_after_drain']} after {routed['drain_seconds']} s")
        routed.update(db.routing())
        if worker is not None:
            worker.stop()
        server_log = "".join(f.read_text()[-4000:] for f in (run_dir / "gunicorn.log",
                                                                run_dir / "server-output.log",
                                                                run_dir / "worker.log")
                             if f.exists())
        consistency = check_stored(phases, db.report_ids())
        stored = consistency["reports_in_database"]
        routed["ok"] = args.routing == "none" or (routed["routed"] == routed["received_events"]
                                          == routed["submission_audit_entries"] == stored)
        routed["within_target"] = (args.routing == "during" and routed["ok"]
                                   and routed["unrouted_after_drain"] == 0
                                   and routed["drain_seconds"] <= ROUTED_WITHIN_S)
        profile = None
        if args.profile:
            log(f"profile: {args.profile} requests in-process")
            OUT_DIR.mkdir(exist_ok=True)
            profile = run_profile(args, env, run_dir, bodies)
    finally:
        if server is not None:
            server.stop()
        if worker is not None:
            worker.stop()
        if args.db == "postgres":
            with contextlib.suppress(Exception):
                pg_drop(args.pg_url, args.pg_db)
        shutil.rmtree(run_dir, ignore_errors=True)
    intake, floor = summarise(phases, "intake"), summarise(phases, "floor")
    ratio = intake["rate"] / floor["rate"] if floor["rate"] else 0.0
    constant = next((p for p in phases if p["phase"].startswith("intake-rate-")), None)
    res = {
        "db": args.db, "started": started.isoformat(timespec="seconds"),
        "wall_seconds": round(time.perf_counter() - t0, 1),
        "setup": {"workers": args.workers, "worker_class": args.worker_class,
                  "threads": args.threads if args.worker_class == "gthread" else 1,
                  "concurrency": args.concurrency, "wrk_threads": min(2, args.concurrency),
                  "task_worker": {"none": "none: reports stay unrouted",
                                  "after": "polmas db_worker --interval 0.2, started when the load "
                                           "is over (intake alone; routing timed afterwards)",
                                  "during": "polmas db_worker --interval 0.2, routing while the "
                                            "load runs, on the same cores"}[args.routing],
                  "seconds": args.seconds, "warmup": args.warmup, "rounds": args.rounds,
                  "rate": args.rate, "rate_seconds": args.rate_seconds,
                  "db_conn_max_age": args.conn_max_age if args.conn_max_age is not None else "default (60)",
                  "villages": len(villages), "categories": len(categories), "body_pool": POOL,
                  "reports_per_hour_limit": env.get("POLMAS_REPORTS_PER_HOUR", "default (20)"),
                  "client_addresses": "one (127.0.0.1)" if args.one_address
                  else "random 10.x.y.z per request, in X-Forwarded-For"},
        "method": "wrk keeps `concurrency` connections busy (closed loop) for `seconds` after a "
                  "warm-up; distinct report bodies (random Bali villages, weighted categories, "
                  "half with coordinates, a fifth with a contact), each with a unique client_uuid; "
                  "the ORM floor gets the same bodies. Rates count 2xx answers per second; "
                  "figures are medians over rounds; the rounds alternate which endpoint goes first. "
                  "Then `rate` reports/s for `rate_seconds`, open loop, latency from the intended "
                  "send time; routing is timed from the end of that load.",
        "targets": verdicts(intake, floor, constant, consistency, routed, args.routing),
        "ratio": round(ratio, 3),
        "endpoints": {"intake": intake, "floor": floor}, "constant_rate": constant,
        "consistency": consistency,
        "routing": routed,
        "profile": profile, "phases": phases, "machine": info,
        "conditions": conditions + [{"when": "end", **machine_snapshot()}],
        "server_log_tail": server_log,
    }
    print_report(res)
    OUT_DIR.mkdir(exist_ok=True)
    name = f"intake-{args.db}-{args.label}" if args.label else f"intake-{args.db}"
    out = OUT_DIR / f"{name}.json"
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)} ({time.perf_counter() - t0:.0f} s in all)")
    return 0 if consistency["ok"] and routed.get("ok") else 1


def _gunicorn_version() -> str:
    import gunicorn

    return gunicorn.__version__


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--seconds", type=int, default=20, help="measured seconds per endpoint and round")
    p.add_argument("--warmup", type=int, default=5, help="warm-up seconds before each measured run")
    p.add_argument("--rounds", type=int, default=2, help="rounds, alternating which endpoint goes first")
    p.add_argument("--concurrency", type=int, default=8, help="connections kept busy by wrk")
    p.add_argument("--rate", type=float, default=100.0,
                   help="reports/s of the constant-rate (open-loop) phase (0: none)")
    p.add_argument("--rate-seconds", type=int, default=20, help="seconds of the constant-rate phase")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    p.add_argument("--threads", type=int, default=4, help="threads per worker, with gthread")
    p.add_argument("--conn-max-age", type=int, default=None,
                   help="POLMAS_DB_CONN_MAX_AGE for the server (default: the settings' default, 60)")
    p.add_argument("--routing", choices=["during", "after", "none"], default="during",
                   help="the task worker that routes the stored reports (ADR 11) runs during the "
                        "load (default), starts after it (intake alone, then the routing is "
                        "timed), or not at all")
    p.add_argument("--one-address", action="store_true",
                   help="every request from 127.0.0.1, the hourly limit lifted (the old set-up)")
    p.add_argument("--pg-db", default=os.environ.get("POLMAS_BENCH_PG_DB", PG_DBNAME),
                   help=f"database created (and dropped) for --db postgres (default {PG_DBNAME})")
    p.add_argument("--profile", type=int, default=300,
                   help="requests profiled in-process after the load (0: none)")
    p.add_argument("--label", default="", help="written to bench/out/intake-<db>-<label>.json "
                   "instead of intake-<db>.json (for runs with other server settings)")
    p.add_argument("--pg-url", default=os.environ.get("POLMAS_BENCH_PG_URL", DEFAULT_PG_URL),
                   help=f"server for --db postgres; the role needs CREATEDB (default {DEFAULT_PG_URL})")
    p.add_argument("--profile-worker", action="store_true", help=argparse.SUPPRESS)
    for hidden in ("--bodies", "--result", "--prof-out"):
        p.add_argument(hidden, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.profile_worker:
        profile_worker(args)
        return
    if min(args.seconds, args.rounds, args.concurrency, args.workers) < 1 or args.warmup < 0:
        p.error("--seconds, --rounds, --concurrency and --workers must be at least 1")
    sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
