"""The field app's sync: its speed beside a bare bulk insert, and a chaos run that must lose
nothing and store nothing twice.

    uv run python bench/field_sync.py speed [--db sqlite|postgres]
    uv run python bench/field_sync.py chaos [--records 10000] [--phones 20]

**speed**: in a database with the demo's Bali (migrate, regions, units, people, the demo
accounts: built once, not timed; SQLite: bench/out/field-base.sqlite3, PostgreSQL: the
database polmas_h7_field, dropped at the end), 1,000 distinct activities of the bhabin of Desa
Les are sent as two POST /api/v1/sync batches of 500 through Django's WSGI handler in this
process (server time: parsing, auth, the per-record checks and savepoints, the rows, the
audit entries, the receipts), then the same 1,000 rows are written by one bare
`Activity.objects.bulk_create` (the floor). Printed: both times and their ratio; repeated
`--repeat` times, median. Target (issue 16): the 1,000 records under 1 s.

**chaos**: the same base database, copied, served by gunicorn (2 workers). `--phones`
simulated phones (threads), each logged in as one of the demo's officers, hold `--records`
records in all (activities, and one report in ten) in their own outbox, and sync them as the
app does (batches of 50; on no answer or a 5xx, wait and send again). Meanwhile:
- each phone goes offline at random (no request for 0.5-3 s);
- a send is cut mid-upload at random (half the body written, then the socket closed);
- an answered batch is sent again at random (a phone that never heard the answer);
- half of the phones go through a proxy that lets 256 kbit/s through each connection;
- the server (gunicorn, 2 workers of 8 threads) is killed with SIGKILL (master and workers)
  after 20-60 s of service (`--kill-every 40`) and started again.
At the end every phone must hold an answer created or exists for every record, and the
database is counted against the phones' own lists: each UUID stored exactly once (0 lost, 0
duplicated), and no other new row. Then one phone alone sends 500 records through the
256 kbit/s proxy (issue 16: under 60 s).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from polmas.field.canon import body_hash  # plain standard library: no Django set-up needed

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
PASSWORD = "polmas-demo"  # noqa: S105  the demo accounts' published password
USERS = ("bhabin", "kapolsek", "kapolres", "ppa")
PG_DB = "polmas_h7_field"
SLOW_BYTES_PER_S = 256_000 // 8


# --- the base database --------------------------------------------------------------------

def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    import django

    django.setup()


def build_base(var: Path) -> None:
    """migrate, Bali's regions, the units, the people and the demo accounts (once)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from polmas.regions import loader
    from polmas.regions.models import Region

    if Region.objects.exists():
        return
    from polmas.policing.tree import units_build
    from polmas.simulation.accounts import demo_accounts_create
    from polmas.simulation.generator import generate

    print("building the base database (Bali, once)...", flush=True)
    loader.load(provinces=["51"])
    units_build()
    generate(provinces=["51"], year=2025, seed=2017)
    demo_accounts_create()


def base_dir() -> Path:
    """A var directory (database and keys) with the base data, built once and reused."""
    var = OUT_DIR / "field-base"
    if not (var / "polmas.sqlite3").exists():
        var.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(POLMAS_VAR_DIR=str(var), POLMAS_DEBUG="1")
        subprocess.run([sys.executable, __file__, "build", "--var", str(var)], env=env, check=True)  # noqa: S603
    return var


# --- records as the phone makes them ---------------------------------------------------------

def digest(body: dict) -> str:
    return body_hash(body)  # as the phone hashes and the server checks


def make_record(rng: random.Random, villages: list[str], categories: list[str],
                kind: str | None = None) -> dict:
    key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=rng.randint(5, 60 * 24 * 20))).isoformat()
    village = rng.choice(villages)
    kind = kind or ("report" if rng.random() < 0.1 else "activity")
    if kind == "report":
        body = {"category": rng.choice(categories), "village": village, "occurred_at": when,
                "description": f"Laporan warga nomor {rng.randint(1, 10**9)}: jalan rusak dan gelap."}
    else:
        body = {"kind": "visit", "village": village, "occurred_at": when, "households": rng.randint(1, 30),
                "issues_heard": "Warga menyampaikan soal air bersih dan ronda malam. " * rng.randint(1, 4)}
    body["client_uuid"] = key
    return {"uuid": key, "kind": kind, "hash": digest(body), "body": body}


# --- speed -------------------------------------------------------------------------------------

def speed(args: argparse.Namespace) -> dict:
    if args.db == "postgres":
        sys.path.insert(0, str(BENCH_DIR))
        from run import pg_admin, pg_drop, pg_url

        base = os.environ.get("POLMAS_BENCH_PG_URL", "postgres://polmas:polmas@127.0.0.1:5432/")
        pg_drop(base, PG_DB)
        pg_admin(base, f'CREATE DATABASE "{PG_DB}"')
        var = OUT_DIR / "field-pg"
        var.mkdir(parents=True, exist_ok=True)
        env = {"DATABASE_URL": pg_url(base, PG_DB), "POLMAS_VAR_DIR": str(var), "POLMAS_DEBUG": "1"}
    else:
        var = OUT_DIR / "field-speed"
        shutil.rmtree(var, ignore_errors=True)
        shutil.copytree(base_dir(), var)
        env = {"POLMAS_VAR_DIR": str(var), "POLMAS_DEBUG": "1"}
        os.environ.pop("DATABASE_URL", None)
    try:
        _django(env)
        build_base(var)
        return _speed_runs(args.repeat)
    finally:
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            pg_drop(base, PG_DB)


def _speed_runs(repeat: int) -> dict:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.test import Client

    from polmas.access.tokens import token_issue
    from polmas.activities.models import Activity
    from polmas.policing.models import Officer
    from polmas.regions.models import Region

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # Django's test client
    user = User.objects.get(username="bhabin")
    officer = Officer.objects.get(user=user)
    token = token_issue(user=user, name="bench")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    rng = random.Random(16)
    les = ["51.08.09.2007"]
    runs = []
    for i in range(repeat + 1):  # the first warms up (imports, first queries): not counted
        records = [make_record(rng, les, [], "activity") for _ in range(1000)]
        started = time.perf_counter()
        for half in (records[:500], records[500:]):
            answer = client.post("/api/v1/sync", {"records": half}, content_type="application/json")
            assert answer.status_code == 200, answer.content[:300]
            statuses = {r["status"] for r in answer.json()["results"]}
            assert statuses == {"created"}, statuses
        synced = time.perf_counter() - started
        village = Region.objects.get(code=les[0])
        rows = [Activity(client_uuid=uuid.uuid4(), officer=officer, village=village, kind="visit",
                         occurred_at=dt.datetime.fromisoformat(r["body"]["occurred_at"]),
                         households=r["body"]["households"], issues_heard=r["body"]["issues_heard"])
                for r in records]
        started = time.perf_counter()
        with transaction.atomic():
            Activity.objects.bulk_create(rows)
        bare = time.perf_counter() - started
        if i:
            runs.append((synced, bare))
        label = "warm-up: " if not i else ""
        print(f"  {label}1000 records: sync {synced * 1000:.0f} ms, bare bulk insert {bare * 1000:.0f} ms, "
              f"ratio {synced / bare:.1f}", flush=True)
    synced = statistics.median(r[0] for r in runs)
    bare = statistics.median(r[1] for r in runs)
    return {"sync_1000_ms": round(synced * 1000), "bare_1000_ms": round(bare * 1000),
            "ratio": round(synced / bare, 1), "load": os.getloadavg()[0]}


# --- chaos -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on the copied database; kill() is SIGKILL to master and workers."""

    def __init__(self, var: Path, port: int) -> None:
        self.var, self.port, self.proc = var, port, None
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(POLMAS_VAR_DIR=str(var), POLMAS_DEBUG="1")

    def start(self) -> None:
        log = (self.var / "gunicorn.log").open("a")
        self.proc = subprocess.Popen(  # noqa: S603
            # Threads: a phone on a slow link holds a thread, not a whole worker, while its
            # request trickles in.
            [sys.executable, "-m", "gunicorn", "polmas.wsgi:application", "-w", "2", "-k", "gthread",
             "--threads", "8", "--preload", "-b", f"127.0.0.1:{self.port}", "--timeout", "120"],
            env=self.env, stdout=log, stderr=log, start_new_session=True, cwd=ROOT)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(  # noqa: S310
                    f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                return
            time.sleep(0.2)
        raise SystemExit("gunicorn did not come up: see " + str(self.var / "gunicorn.log"))

    def kill(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None


class SlowProxy(threading.Thread):
    """A TCP proxy letting `rate` bytes a second through each connection, each way."""

    def __init__(self, target: int, rate: int) -> None:
        super().__init__(daemon=True)
        self.target, self.rate = target, rate
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]

    def run(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._pair, args=(client,), daemon=True).start()

    def _pair(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
        except OSError:
            client.close()
            return
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        chunk = max(1, self.rate // 20)
        try:
            while True:
                data = src.recv(chunk)
                if not data:
                    break
                dst.sendall(data)
                time.sleep(len(data) / self.rate)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n


def _post(port: int, path: str, body: dict, token: str = "", timeout: float = 60) -> tuple[int, dict]:
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:  # noqa: S310
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _cut_upload(port: int, body: dict, token: str) -> None:
    """Write the headers and half the body, then drop the connection (a page killed mid-send)."""
    data = json.dumps(body).encode()
    head = (f"POST /api/v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(data)}\r\n\r\n").encode()
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(head + data[: len(data) // 2])


def phone(n: int, port: int, user: str, records: list[dict], stats: Stats, rng: random.Random,
          chaos: bool, batch_size: int = 100) -> dict[str, str]:
    """Sync `records` as the app does; the answer each record finally got."""
    token = ""
    answers: dict[str, str] = {}
    waiting = list(records)
    backoff = 0.5
    while waiting:
        if chaos and rng.random() < 0.05:
            stats.add("offline periods")
            time.sleep(rng.uniform(0.5, 3))
        try:
            if not token:
                status, got = _post(port, "/api/v1/auth/token", {"username": user, "password": PASSWORD,
                                                                  "name": f"phone {n}"}, timeout=30)
                if status != 200:
                    raise OSError(f"login {status}")
                token = got["token"]
            batch = waiting[:batch_size]
            body = {"records": batch}
            if chaos and rng.random() < 0.08:
                stats.add("uploads cut")
                _cut_upload(port, body, token)
                continue
            status, got = _post(port, "/api/v1/sync", body, token)
        except (OSError, TimeoutError, ValueError):
            stats.add("no answer (retried)")
            time.sleep(backoff)
            backoff = min(backoff * 2, 8)
            continue
        if status == 401:
            token = ""
            continue
        if status != 200:
            stats.add(f"answer {status} (retried)")
            time.sleep(backoff)
            backoff = min(backoff * 2, 8)
            continue
        backoff = 0.5
        for r in got["results"]:
            answers[r["uuid"]] = r["status"]
            stats.add(r["status"])
        done = {r["uuid"] for r in got["results"] if r["status"] in ("created", "exists")}
        waiting = [r for r in waiting if r["uuid"] not in done]
        if any(r["status"] in ("conflict", "rejected") for r in got["results"]):
            bad = [r for r in got["results"] if r["status"] in ("conflict", "rejected")]
            raise SystemExit(f"phone {n}: refused {bad[:3]}")
        if chaos and rng.random() < 0.15:
            stats.add("batches replayed")
            with contextlib.suppress(OSError, TimeoutError, ValueError):
                _s, again = _post(port, "/api/v1/sync", body, token)
                for r in again.get("results", []):
                    stats.add("replayed " + r["status"])
                    if r["status"] not in ("created", "exists"):
                        raise SystemExit(f"phone {n}: a replay got {r}")
    return answers


def _count(db: Path, table: str, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        for i in range(0, len(keys), 500):
            part = [k.replace("-", "") for k in keys[i:i + 500]]
            marks = ",".join("?" * len(part))
            for key, n in c.execute(f"SELECT client_uuid, count(*) FROM {table} "  # noqa: S608
                                    f"WHERE client_uuid IN ({marks}) GROUP BY client_uuid", part):
                found[key] = n
    return found


def chaos(records: int = 10_000, phones: int = 20, seed: int = 16, kill_every: float = 15.0,
          var: Path | None = None, solo: int = 500, batch_size: int = 50) -> dict:
    """The chaos run on a copy of `var` (default: the base database); returns the figures."""
    source = var or base_dir()
    work = OUT_DIR / f"field-chaos-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work, ignore=shutil.ignore_patterns("*.log"))
    db = work / "polmas.sqlite3"
    with sqlite3.connect(db) as c:
        villages = {u: [] for u in USERS}
        villages["bhabin"] = [r[0] for r in c.execute(
            "SELECT a.region_code FROM auth_user u JOIN policing_officer o ON o.user_id = u.id "
            "JOIN policing_assignment a ON a.officer_id = o.id AND a.\"end\" IS NULL "
            "WHERE u.username = 'bhabin'")]
        tejakula = [r[0] for r in c.execute(
            "SELECT code FROM regions_region WHERE level = 4 AND code LIKE '51.08.09.%'")]
        for u in ("kapolsek", "kapolres"):
            villages[u] = tejakula
        categories = [r[0] for r in c.execute("SELECT code FROM reports_category WHERE active = 1")]
        before = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                  for t in ("activities_activity", "reports_report")}
    users = ("bhabin", "kapolsek", "kapolres")
    port = free_port()
    server = Server(work, port)
    server.start()
    proxy = SlowProxy(port, SLOW_BYTES_PER_S)
    proxy.start()
    rng = random.Random(seed)
    lists = []
    for i in range(phones):
        user = users[i % len(users)]
        lists.append((user, [make_record(rng, villages[user], categories) for _ in range(records // phones)]))
    stats = Stats()
    failures: list[BaseException] = []
    stop = threading.Event()
    restarts = [0]

    def killer() -> None:
        try:
            # The first kill comes early, while every phone is sending; then every kill_every.
            while not stop.wait(rng.uniform(1, 3) if not restarts[0] else
                                rng.uniform(kill_every / 2, kill_every * 1.5)):
                server.kill()
                time.sleep(rng.uniform(0.2, 1.5))
                server.start()
                restarts[0] += 1
        except BaseException as exc:  # noqa: BLE001  reported below
            failures.append(exc)
            stop.set()

    results: list[dict[str, str]] = [{} for _ in range(phones)]

    def run_phone(i: int) -> None:
        try:
            via = proxy.port if i % 2 else port
            results[i] = phone(i, via, lists[i][0], lists[i][1], stats, random.Random(seed + i), True,
                               batch_size)
        except BaseException as exc:  # noqa: BLE001  reported below
            failures.append(exc)

    started = time.monotonic()
    chaos_thread = threading.Thread(target=killer, daemon=True)
    chaos_thread.start()
    threads = [threading.Thread(target=run_phone, args=(i,)) for i in range(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    chaos_thread.join()
    elapsed = time.monotonic() - started
    if failures:
        server.kill()
        raise SystemExit(f"a phone failed: {failures[0]!r}")
    solo_s = None
    if solo:
        solo_records = [make_record(rng, villages["bhabin"], categories, "activity") for _ in range(solo)]
        t0 = time.monotonic()
        got = phone(-1, proxy.port, "bhabin", solo_records, Stats(), random.Random(seed), False)
        solo_s = time.monotonic() - t0
        assert set(got.values()) == {"created"}
        lists.append(("bhabin", solo_records))
    server.kill()
    sent = {"activity": [], "report": []}
    for _user, recs in lists:
        for r in recs:
            sent[r["kind"]].append(r["uuid"])
    lost = duplicated = 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        after = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                 for t in ("activities_activity", "reports_report")}
    for kind, table in (("activity", "activities_activity"), ("report", "reports_report")):
        found = _count(db, table, sent[kind])
        lost += sum(1 for k in sent[kind] if found.get(k.replace("-", ""), 0) == 0)
        duplicated += sum(n - 1 for n in found.values() if n > 1)
        # Any row beyond the phones' own is a duplicate under another key.
        duplicated += after[table] - before[table] - len(found)
    out = {"records": sum(len(r) for _u, r in lists), "phones": phones, "lost": lost,
           "duplicated": duplicated, "server_kills": restarts[0], "seconds": round(elapsed, 1),
           "solo_500_at_256kbit_s": round(solo_s, 1) if solo_s is not None else None,
           **dict(sorted(stats.counts.items()))}
    shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    s.add_argument("--repeat", type=int, default=3)
    c = sub.add_parser("chaos")
    c.add_argument("--records", type=int, default=10_000)
    c.add_argument("--phones", type=int, default=20)
    c.add_argument("--kill-every", type=float, default=40.0)
    b = sub.add_parser("build")
    b.add_argument("--var")
    args = parser.parse_args()
    OUT_DIR.mkdir(exist_ok=True)
    if args.what == "build":
        _django({"POLMAS_VAR_DIR": args.var, "POLMAS_DEBUG": "1"})
        build_base(Path(args.var))
        return
    if args.what == "speed":
        result = speed(args)
    else:
        result = chaos(args.records, args.phones, kill_every=args.kill_every)
    print(json.dumps(result, indent=2))
    (OUT_DIR / f"field_sync-{args.what}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
