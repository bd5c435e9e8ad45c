"""The deployment of deploy/ on this machine, through nginx, and what it serves.

    uv run python bench/cluster.py [--seconds 20] [--threads 8] [--db sqlite|postgres [--replica]]

Builds the topology from Debian's packages and the files in deploy/: nginx with
deploy/nginx/polmas.conf (TLS with a throw-away certificate, names and ports replaced), app
servers started with the command line of deploy/systemd/polmas-web@.service, one task worker
with that of polmas-worker@.service, and Redis or Valkey as the shared cache. The database is
a fresh copy of a template (migrate, the regions of Bali, the police units; bench/faults.py),
SQLite, or a private PostgreSQL cluster (never the machine's shared server).

It measures requests per second and p50/p99 through nginx for intake (POST /api/v1/reports)
and dashboard reads (GET /dashboard/51/ signed in), with one app server and with two.
tests/deploy/test_topology.py runs the same topology, short, with a mixed load and one app
server stopped in the middle.

With `--db postgres --replica`, the private cluster gets a streaming replica made with
`pg_basebackup -R` (a second cluster on a port of its own) and the app servers read the
dashboards from it through DATABASE_REPLICA_URL; the runs are then made with and without it.
tests/deploy/test_topology_replica.py runs that topology.

Each phase also reports `machine_cpu_busy`: the share of the machine's CPU time (all cores,
every process) spent while it ran. With two workers per app server (the default) one server
can already fill both cores; `--app-workers 1` gives each server one worker, so the second
server's gain is what a second machine's core would add.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import re
import secrets
import shlex
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DEPLOY = ROOT / "deploy"
METRICS_TOKEN = "bench-metrics-" + secrets.token_hex(8)
PASSWORD = "bench-" + secrets.token_hex(8)
SUPERVISOR = "kapolda_bench"


def _faults():
    path = BENCH_DIR / "faults.py"
    spec = importlib.util.spec_from_file_location("polmas_bench_faults", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


faults = sys.modules.get("polmas_bench_faults") or _faults()
log, free_port, wait_for = faults.log, faults.free_port, faults.wait_for
Proc, Store = faults.Proc, faults.Store


def missing() -> str | None:
    """Why the topology cannot be built here, or None."""
    for prog in ("nginx", "openssl"):
        if not shutil.which(prog):
            return f"{prog} is missing (apt-get install -y nginx openssl)"
    if not cache_server():
        return "no valkey-server or redis-server (apt-get install -y valkey-server, or redis-server)"
    return None


def cache_server() -> str | None:
    return shutil.which("valkey-server") or shutil.which("redis-server")


# --------------------------------------------------------------------------------------
# deploy/ files, run here.
# --------------------------------------------------------------------------------------


def exec_start(unit: str, instance: str) -> list[str]:
    """The ExecStart of a deploy/systemd unit, for this checkout: its program from our
    environment, %i the instance, %H this host."""
    text = (DEPLOY / "systemd" / unit).read_text()
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    argv = shlex.split(line.removeprefix("ExecStart=").replace("%i", instance).replace("%H", "bench"))
    program = Path(argv[0]).name
    if program == "gunicorn":
        return [sys.executable, "-m", "gunicorn", *argv[1:]]
    if program == "polmas":
        return [sys.executable, "-m", "polmas.cli", *argv[1:]]
    raise ValueError(f"{unit}: unknown program {argv[0]}")


def nginx_site(*, ports: list[int], https_port: int, http_port: int, cert: Path, key: Path,
               static: Path, access_log: Path) -> str:
    """deploy/nginx/polmas.conf with this run's ports, certificate and paths."""
    site = (DEPLOY / "nginx" / "polmas.conf").read_text()
    upstream = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in ports)
    site, n = re.subn(r"(upstream polmas_app \{\n(?:\s*#.*\n)*)(?:\s*server .*\n)+",
                      rf"\g<1>{upstream}", site)
    assert n == 1, "deploy/nginx/polmas.conf: the upstream block is not where expected"
    for old, new in [("listen [::]:443 ssl http2;", ""), ("listen [::]:80;", ""),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("/etc/ssl/polmas/fullchain.pem", str(cert)),
                     ("/etc/ssl/polmas/privkey.pem", str(key)),
                     ("/var/lib/polmas/static/", f"{static}/"),
                     ("/var/log/nginx/polmas.access.log", str(access_log)),
                     # Not on 443 here: the Host the app sees must carry the port, as the
                     # browser's Origin and Referer do (CSRF).
                     ("proxy_set_header Host $host;", "proxy_set_header Host $http_host;")]:
        assert old in site, f"deploy/nginx/polmas.conf: {old!r} not found"
        site = site.replace(old, new)
    return site


def nginx_main(workdir: Path, site: Path) -> str:
    """A main configuration of our own (not /etc/nginx/nginx.conf) that includes the site."""
    temp = workdir / "nginx-temp"
    temp.mkdir(exist_ok=True)
    return f"""
user root;
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""


def self_signed(workdir: Path) -> tuple[Path, Path]:
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S603,S607
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


# --------------------------------------------------------------------------------------
# The topology.
# --------------------------------------------------------------------------------------


# Statements of the dashboards' own tables (not the router's lag check, not `SELECT 1`),
# counted by pg_stat_statements on the server it is asked on.
DASHBOARD_READS = ("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d "
                   "ON d.oid = s.dbid WHERE d.datname = current_database() AND s.query ILIKE 'SELECT%' "
                   "AND (s.query ILIKE '%\"analytics_%' OR s.query ILIKE '%\"regions_%')")
REPORT_INSERTS = ("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d "
                  "ON d.oid = s.dbid WHERE d.datname = current_database() "
                  "AND s.query ILIKE 'INSERT INTO \"reports_report\"%'")
# A browser that wrote reads from the primary this long after (POLMAS_REPLICA_PIN_SECONDS);
# short here, so that a client's sign-in does not keep its dashboard reads off the replica
# for the whole of a short run.
PIN_SECONDS = 2


def primary_cluster(base: Path | None = None) -> faults.Cluster:
    """A private PostgreSQL cluster (bench/faults.py) with pg_stat_statements loaded: the
    primary of the replica below (initdb's defaults already allow streaming replication
    from 127.0.0.1: wal_level = replica, max_wal_senders, a trusted `replication` line)."""
    primary = faults.Cluster(base)
    primary.stop()
    primary._run("sh", "-c", f"echo \"shared_preload_libraries = 'pg_stat_statements'\" >> "
                 f"'{primary.data}/postgresql.conf'", raw=True)
    primary.start()
    return primary


def replica_missing() -> str | None:
    """Why no private primary with a streaming replica can be made here, or None."""
    if why := faults.pg_missing():
        return why
    if not (faults.pg_bin_dir() / "pg_basebackup").exists():
        return "pg_basebackup is missing: no streaming replica can be made"
    return None


class Replica:
    """A streaming replica of `primary`, made with `pg_basebackup -R` (it writes
    standby.signal and primary_conninfo), on a port of its own: what docs/deploy.md tells an
    operator to do, on this machine."""

    def __init__(self, primary: faults.Cluster) -> None:
        self.primary = primary
        self.data = primary.dir / "replica"
        self.logfile = primary.dir / "replica.log"
        self.port = free_port()
        primary._run("pg_basebackup", "-D", str(self.data), "-R", "-X", "stream", "-h", "127.0.0.1",
                     "-p", str(primary.port), "-U", "postgres", "--no-sync", "--checkpoint=fast")
        primary._run("sh", "-c", f"echo 'port = {self.port}' >> '{self.data}/postgresql.auto.conf'", raw=True)
        self.start()

    def start(self) -> None:
        self.primary._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.primary._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def query(self, db: str, sql: str) -> list[tuple]:
        return faults.Database(self.url(db)).query(sql)

    def wait_replayed(self, db: str) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        lsn = faults.Database(self.primary.url(db)).query("SELECT pg_current_wal_lsn()")[0][0]
        wait_for(lambda: self.query(db, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0][0],  # noqa: S608
                 60, "the replica caught up", 0.2)

    def close(self) -> None:
        self.primary._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)


def replica_env(replica: Replica | None, db: str) -> dict[str, str]:
    """The app's variables for `replica` (DATABASE_REPLICA_URL and its knobs), or none."""
    if replica is None:
        return {}
    return {"DATABASE_REPLICA_URL": replica.url(db), "POLMAS_REPLICA_PIN_SECONDS": str(PIN_SECONDS)}


@dataclass
class Topology:
    """nginx in front of `apps` app servers, a task worker and the shared cache, on a fresh
    copy of `store`'s database. Use as a context manager; `url` is nginx's https address."""

    store: object
    workdir: Path
    apps: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    replica: Replica | None = None
    app_workers: int = 2
    procs: dict[str, Proc] = field(default_factory=dict)
    ports: list[int] = field(default_factory=list)

    def __enter__(self) -> Topology:
        try:
            return self._start()
        except BaseException:
            log(self.tails())
            self.__exit__()
            raise

    def _start(self) -> Topology:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env, self.db = self.store.fresh()
        self.dbname = self.db.url.rsplit("/", 1)[1]
        if self.replica is not None:
            self.store.cluster.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", db=self.dbname)
        cache_port = free_port()
        self.procs["cache"] = Proc([cache_server(), "--port", str(cache_port), "--bind", "127.0.0.1",
                                    "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
                                   self.env, self.workdir / "cache.log")
        self.env.update(POLMAS_CACHE_URL=f"redis://127.0.0.1:{cache_port}/0", POLMAS_BEHIND_PROXY="1",
                        POLMAS_METRICS_TOKEN=METRICS_TOKEN, POLMAS_LOG_FORMAT="json",
                        POLMAS_WORKER_HEARTBEAT_SECONDS="30", POLMAS_ALLOWED_HOSTS="127.0.0.1,localhost",
                        **replica_env(self.replica, self.dbname), **self.extra_env)
        self._prepare()
        self.ports = [free_port() for _ in range(self.apps)]
        for port in self.ports:
            self.start_app(port)
        self.procs["worker"] = Proc(exec_start("polmas-worker@.service", "1"), self.env,
                                    self.workdir / "worker.log")
        cert, key = self_signed(self.workdir)
        self.https_port, http_port = free_port(), free_port()
        static = Path(self.env["POLMAS_VAR_DIR"]) / "static"
        site = self.workdir / "polmas-site.conf"
        site.write_text(nginx_site(ports=self.ports, https_port=self.https_port, http_port=http_port,
                                   cert=cert, key=key, static=static, access_log=self.workdir / "access.log"))
        main = self.workdir / "nginx.conf"
        main.write_text(nginx_main(self.workdir, site))
        self.procs["nginx"] = Proc(["nginx", "-c", str(main), "-p", str(self.workdir)], self.env,
                                   self.workdir / "nginx.log")
        self.url = f"https://127.0.0.1:{self.https_port}"
        wait_for(lambda: Client(self.url).get("/healthz")[0] == 200, 30, "nginx answering /healthz", 0.2)
        return self

    def _prepare(self) -> None:
        # One process (each start of Django costs seconds): the static files nginx serves
        # (POLMAS_DEBUG=0 reads their manifest), and a supervisor of Polda Bali.
        faults.polmas(self.env, "shell", "-c", (
            "from django.core.management import call_command; "
            "call_command('collectstatic', interactive=False, verbosity=0); "
            "from django.contrib.auth.models import User; "
            "from polmas.access.models import Role, RoleGrant; "
            "from polmas.policing.models import PoliceUnit; "
            f"u = User.objects.create_user('{SUPERVISOR}', password='{PASSWORD}'); "
            "RoleGrant.objects.create(user=u, role=Role.SUPERVISOR, "
            "unit=PoliceUnit.objects.get(kind='polda', region_id='51'))"))

    def start_app(self, port: int) -> None:
        env = dict(self.env)
        metrics_dir = self.workdir / f"metrics-{port}"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        argv = exec_start("polmas-web@.service", str(port))
        # The unit's worker count is for a production machine; two here, on two cores
        # (--app-workers 1: one per app server, so that a second server has a core to add).
        argv[argv.index("--workers") + 1] = str(self.app_workers)
        self.procs[f"app-{port}"] = Proc(argv, env, self.workdir / f"app-{port}.log")
        # Slow on a busy 2-core machine: the statistics libraries take seconds to import.
        wait_for(lambda: Client(f"http://127.0.0.1:{port}").get("/healthz")[0] == 200, 180,
                 f"app server on {port}", 0.2)

    def stop_app(self, port: int) -> None:
        """SIGTERM, as systemctl stop does: gunicorn finishes the requests in hand."""
        self.procs[f"app-{port}"].stop()

    def __exit__(self, *exc: object) -> None:
        for name in ("nginx", *[k for k in self.procs if k.startswith("app-")], "worker", "cache"):
            if name in self.procs:
                self.procs[name].stop()

    def tails(self) -> str:
        return "\n".join(f"--- {name}\n{proc.tail(1500)}" for name, proc in self.procs.items())


# --------------------------------------------------------------------------------------
# The client: one kept-alive TLS connection per thread.
# --------------------------------------------------------------------------------------


class Client:
    def __init__(self, url: str) -> None:
        self.https = url.startswith("https")
        host_port = url.split("://", 1)[1]
        self.host, port = host_port.split(":")
        self.port = int(port)
        self.cookies: dict[str, str] = {}
        self.expires: dict[str, float] = {}  # cookie name: time.monotonic() it lapses
        self.conn: http.client.HTTPConnection | None = None

    def _keep(self, header: str) -> None:
        """A Set-Cookie, kept as a browser keeps it: with its Max-Age (the replica's pin
        cookie lapses after POLMAS_REPLICA_PIN_SECONDS)."""
        pair, *attrs = header.split(";")
        name, _, value = pair.partition("=")
        name = name.strip()
        self.cookies[name] = value.strip()
        self.expires.pop(name, None)
        for attr in attrs:
            key, _, arg = attr.strip().partition("=")
            if key.lower() == "max-age" and arg.strip().lstrip("-").isdigit():
                self.expires[name] = time.monotonic() + int(arg)

    def _connect(self) -> http.client.HTTPConnection:
        if self.https:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, self.port, timeout=90, context=ctx)
        return http.client.HTTPConnection(self.host, self.port, timeout=90)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body); status 0 when the connection failed."""
        headers = dict(headers or {})
        now = time.monotonic()
        for name in [n for n, until in self.expires.items() if until <= now]:
            self.cookies.pop(name, None)
            del self.expires[name]
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            if self.conn is None:
                self.conn = self._connect()
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
            data = answer.read()
            for value in answer.headers.get_all("Set-Cookie") or []:
                self._keep(value)
            if answer.headers.get("Connection", "").lower() == "close":
                self.close()
            return answer.status, data
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, b""

    def get(self, path: str, **headers: str) -> tuple[int, bytes]:
        return self.request("GET", path, headers=headers)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, username: str, password: str) -> None:
        status, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, f"login page: {status}"
        body = f"username={username}&password={password}&csrfmiddlewaretoken={token.group(1).decode()}"
        status, _ = self.request("POST", "/accounts/login/", body.encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{self.host}:{self.port}/accounts/login/"})
        assert status == 302, f"login answered {status}"


# --------------------------------------------------------------------------------------
# The load.
# --------------------------------------------------------------------------------------

VILLAGES = faults.VILLAGES


@dataclass
class Tally:
    """Answers per kind: latencies (s) of 2xx/3xx, statuses of the rest, reports answered."""
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[int]] = field(default_factory=dict)
    answered: dict[uuid.UUID, int] = field(default_factory=dict)
    unanswered: set[uuid.UUID] = field(default_factory=set)
    resends: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            if 200 <= status < 400:
                self.times.setdefault(kind, []).append(seconds)
            else:
                self.errors.setdefault(kind, []).append(status)

    def fivexx(self) -> int:
        return sum(1 for codes in self.errors.values() for s in codes if s >= 500)


def intake(client: Client, tally: Tally, tag: str, give_up_after: float = 60) -> None:
    """One report, sent again with the same client UUID until answered (as the field app)."""
    key = uuid.uuid4()
    body = json.dumps({"category": "theft", "village": VILLAGES[hash(tag) % len(VILLAGES)],
                       "client_uuid": str(key), "description": f"Sepeda motor dicuri ({tag})."}).encode()
    deadline = time.monotonic() + give_up_after
    first = True
    while True:
        t0 = time.perf_counter()
        status, data = client.request("POST", "/api/v1/reports", body, {"Content-Type": "application/json"})
        tally.add("intake", status, time.perf_counter() - t0)
        if status in (200, 201):
            with tally.lock:
                tally.answered[key] = json.loads(data)["id"]
            return
        if not first:
            with tally.lock:
                tally.resends += 1
        first = False
        if time.monotonic() > deadline:
            with tally.lock:
                tally.unanswered.add(key)
            return
        time.sleep(0.1)


def timed_get(client: Client, tally: Tally, kind: str, path: str, **headers: str) -> None:
    t0 = time.perf_counter()
    status, _ = client.get(path, **headers)
    tally.add(kind, status, time.perf_counter() - t0)


def run_load(url: str, *, seconds: float, threads: int, mix: tuple[str, ...], token: str = "",
             stop: threading.Event | None = None, rounds: int | None = None) -> Tally:
    """`threads` clients, each doing the kinds of `mix` in turn, for `seconds` (or until `stop`),
    or `rounds` requests each whatever the time (a busy machine's tests)."""
    tally = Tally()
    stop = stop or threading.Event()
    end = time.monotonic() + seconds

    def one(k: int) -> None:
        client = Client(url)
        if "dashboard" in mix:
            client.login(SUPERVISOR, PASSWORD)
        i = 0
        while ((i < rounds) if rounds is not None else time.monotonic() < end) and not stop.is_set():
            kind = mix[(i + k) % len(mix)]
            i += 1
            if kind == "intake":
                intake(client, tally, f"{k}-{i}")
            elif kind == "dashboard":
                timed_get(client, tally, kind, "/dashboard/51/")
            elif kind == "api":
                timed_get(client, tally, kind, "/api/v1/reports", Authorization=f"Bearer {token}")
        client.close()

    workers = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(None if rounds is not None else seconds + 120)
    return tally


def api_token(url: str) -> str:
    client = Client(url)
    for _ in range(3):  # a busy machine may time the first one out
        status, data = client.request("POST", "/api/v1/auth/token",
                                      json.dumps({"username": SUPERVISOR, "password": PASSWORD}).encode(),
                                      {"Content-Type": "application/json"})
        if status:
            break
    assert status == 200, f"token: {status} {data[:200]!r}"
    return json.loads(data)["token"]


def summary(tally: Tally, seconds: float) -> dict:
    out = {}
    for kind, times in sorted(tally.times.items()):
        ordered = sorted(times)
        out[kind] = {"n": len(times), "req_s": round(len(times) / seconds, 1),
                     "p50_ms": round(1000 * statistics.median(ordered), 1),
                     "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
                     "errors": len(tally.errors.get(kind, []))}
    return out


def lost(db: object, tally: Tally) -> dict:
    """Answered reports that are not stored under the id they were answered with; duplicates."""
    stored = db.reports()
    by_uuid: dict[uuid.UUID, list[int]] = {}
    for u, pk, _routed in stored:
        by_uuid.setdefault(u, []).append(pk)
    return {"answered": len(tally.answered), "unanswered": len(tally.unanswered),
            "lost": sum(1 for u, pk in tally.answered.items() if pk not in by_uuid.get(u, [])),
            "duplicated": sum(len(v) - 1 for v in by_uuid.values())}


def tasks_done(db: object) -> dict[str, int]:
    rows = db.try_query("SELECT task_path, COUNT(*) FROM django_tasks_database_dbtaskresult "
                        "WHERE status IN ('SUCCESSFUL', 'FAILED') GROUP BY task_path") or []
    return {path.rsplit(".", 1)[-1]: n for path, n in rows}


def rollup_stamp(db: object) -> str:
    return str(db.try_query("SELECT updated_at, built_at FROM analytics_rollupstate"))


def cpu_ticks() -> tuple[int, int]:
    """The machine's (busy, total) CPU ticks so far, all cores (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def measure(topo: Topology, *, seconds: float, threads: int, label: str, results: dict) -> None:
    """Intake, dashboard reads and API reads, one after the other, through nginx."""
    token = api_token(topo.url)
    run_load(topo.url, seconds=3, threads=2, mix=("dashboard", "intake"))  # warm
    for mix in (("intake",), ("dashboard",), ("api",)):
        # Reads measured once the worker has routed the intake phase's reports and refreshed
        # the rollups: else each refresh moves the boards' stamp and every board is drawn
        # afresh (docs/deploy.md, capacity).
        wait_for(lambda db=topo.db: not db.try_query(
            "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE status IN "
            "('READY', 'RUNNING') LIMIT 1"), 300, "the task queue drained", 0.5)
        if topo.replica is not None:
            topo.replica.wait_replayed(topo.dbname)
            before = int(topo.replica.query(topo.dbname, DASHBOARD_READS)[0][0])
        done, stamp = tasks_done(topo.db), rollup_stamp(topo.db)
        busy0, total0 = cpu_ticks()
        tally = run_load(topo.url, seconds=seconds, threads=threads, mix=mix, token=token)
        busy1, total1 = cpu_ticks()
        key = f"{label}_{mix[0]}"
        results[key] = summary(tally, seconds).get(mix[0], {"n": 0, "errors": tally.errors})
        # How much of the machine the phase used (every process: clients, nginx, app servers,
        # database): near 100% means a second app server has no core left to add.
        results[key]["machine_cpu_busy"] = round((busy1 - busy0) / max(total1 - total0, 1), 3)
        # What ran beside the phase: tasks the worker finished, and whether the rollups'
        # stamp moved (every board then drawn afresh); the slowest answers.
        after = tasks_done(topo.db)
        results[key]["tasks_run"] = {k: n - done.get(k, 0) for k, n in after.items() if n > done.get(k, 0)}
        results[key]["stamp_moved"] = rollup_stamp(topo.db) != stamp
        results[key]["slowest_ms"] = [round(1000 * t) for t in sorted(tally.times.get(mix[0], []))[-3:]]
        if topo.replica is not None and mix[0] == "dashboard":
            after = int(topo.replica.query(topo.dbname, DASHBOARD_READS)[0][0])
            results[key]["replica_reads"] = after - before
        log(f"{label}: {mix[0]}: {results[key]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--replica", action="store_true",
                        help="postgres only: also run with a streaming replica (pg_basebackup -R)")
    parser.add_argument("--app-workers", type=int, default=2,
                        help="gunicorn workers per app server (1: each server gets one core of two)")
    args = parser.parse_args()
    if args.replica and args.db != "postgres":
        parser.error("--replica needs --db postgres")
    if why := missing() or (replica_missing() if args.replica else None):
        log(why)
        return 2
    results: dict = {"conditions": {"cores": os.cpu_count(), "threads": args.threads,
                                    "seconds": args.seconds, "db": args.db,
                                    "app_workers": args.app_workers,
                                    "loadavg_before": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="polmas-cluster-") as tmp:
        # The cluster in a directory of its own under /tmp (the postgres user cannot enter ours).
        cluster = primary_cluster() if args.db == "postgres" else None
        replica = None
        try:
            store = Store(args.db, Path(tmp) / "store", cluster)
            if args.replica:
                replica = Replica(cluster)
            for with_replica in ((False, True) if args.replica else (False,)):
                for apps in (1, 2):
                    label = f"{apps}_app" + ("_replica" if with_replica else "")
                    with Topology(store, Path(tmp) / label, apps=apps, app_workers=args.app_workers,
                                  replica=replica if with_replica else None) as topo:
                        measure(topo, seconds=args.seconds, threads=args.threads, label=label,
                                results=results)
        finally:
            if replica is not None:
                replica.close()
            if cluster is not None:
                cluster.close()
    results["conditions"]["loadavg_after"] = os.getloadavg()
    for suffix in ("", "_replica"):
        for kind in ("intake", "dashboard", "api"):
            one, two = results.get(f"1_app{suffix}_{kind}"), results.get(f"2_app{suffix}_{kind}")
            if one and two and one.get("req_s"):
                results[f"gain{suffix}_{kind}"] = round(two.get("req_s", 0) / one["req_s"], 2)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
