"""Fault drills: report intake and routing through a crash of the app server, a PostgreSQL
restart and a task worker killed mid-task.

    uv run python bench/faults.py [--db sqlite|postgres] [--reports 600] [--faults 3]
                                  [--scenario all|server-kill|pg-restart|worker-kill]

Each scenario runs the real processes on loopback: gunicorn (2 sync workers, POLMAS_DEBUG=0)
on a free port, `polmas db_worker`, and client threads posting reports to POST /api/v1/reports,
each with its own client UUID, sending the same body again (same UUID) whenever a request
fails. The database is a fresh copy of a template (migrate, the regions of Bali, the police
units). PostgreSQL runs in a private cluster this script creates (initdb into a temporary
directory, its own port, as the `postgres` OS user), never the machine's shared one.

- server-kill: kill -9 of gunicorn's whole process group in the middle of intake, then a new
  gunicorn on the same port; `--faults` times.
- pg-restart (PostgreSQL only): the cluster stopped (fast) and started again `--outage`
  seconds later, in the middle of intake, with the worker running; `--faults` times.
- worker-kill: a backlog of reports, a worker stopped and killed (kill -9) while a task row is
  RUNNING, then a new worker; the stale claim must be taken back after
  POLMAS_TASK_STALE_SECONDS (`--stale`) and the task run to its end.

Every scenario ends with 0 lost (every answered report stored, with the id it was answered
with), 0 duplicated (each client UUID stored once) and every stored report routed. The figures
printed: reports, answers, resends, how long routing took to finish after the last fault.
tests/faults/ runs the same scenarios, small. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PROVINCE = "51"  # Bali
VILLAGES = ["51.08.09.2007", "51.08.09.2001", "51.71.01.1001", "51.03.05.1006"]
PG_BIN_ROOT = Path("/usr/lib/postgresql")
GUNICORN_WORKERS = 2  # as in production; the short CI drills use 1


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], bool], seconds: float, what: str, step: float = 0.1) -> float:
    """Poll `check` until true; how long it took. Raises TimeoutError naming `what`."""
    t0 = time.monotonic()
    while not check():
        if time.monotonic() - t0 > seconds:
            raise TimeoutError(f"{what}: not within {seconds:g} s")
        time.sleep(step)
    return time.monotonic() - t0


# --------------------------------------------------------------------------------------
# A private PostgreSQL cluster.
# --------------------------------------------------------------------------------------


def pg_bin_dir() -> Path | None:
    """The newest PostgreSQL server binaries installed (Debian's layout), or None."""
    found = sorted((p.parent for p in PG_BIN_ROOT.glob("*/bin/initdb")),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def pg_missing() -> str | None:
    """Why a private cluster cannot be made here, or None."""
    if pg_bin_dir() is None:
        return f"no PostgreSQL server binaries under {PG_BIN_ROOT} (apt-get install postgresql)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "runuser is missing: cannot run PostgreSQL as the postgres user"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "no `postgres` OS user to run a private cluster as"
    return None


class Cluster:
    """PostgreSQL in a temporary directory on 127.0.0.1:<free port>, trust authentication,
    run as the `postgres` OS user when we are root. Stop it with close()."""

    def __init__(self, base: Path | None = None) -> None:
        reason = pg_missing()
        if reason:
            raise RuntimeError(reason)
        self.bin = pg_bin_dir()
        self.dir = Path(tempfile.mkdtemp(prefix="polmas-pg-", dir=base))
        self.data = self.dir / "data"
        self.logfile = self.dir / "server.log"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
                  "-E", "UTF8", "--locale", "C.UTF-8")
        conf = (f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\nfsync = off\nmax_connections = 60\n")
        self._run("sh", "-c", f"cat >> '{self.data}/postgresql.conf' <<'EOF'\n{conf}EOF\n", raw=True)
        self.start()

    def _run(self, prog: str, *args: str, raw: bool = False, check: bool = True) -> str:
        cmd = [prog if raw else str(self.bin / prog), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, cwd="/", capture_output=True, text=True, check=False)  # noqa: S603
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}"
                               + (self.logfile.read_text()[-2000:] if self.logfile.exists() else ""))
        return done.stdout

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(db).replace("postgres://", "postgresql://"), autocommit=True) as c:
            c.execute(statement)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------------------
# The app's database: a template set up once, fresh copies per scenario.
# --------------------------------------------------------------------------------------


def base_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POLMAS_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="polmas.settings", PYTHONUNBUFFERED="1",
        POLMAS_VAR_DIR=str(var_dir), POLMAS_DEBUG="0", POLMAS_SSL_REDIRECT="0",
        POLMAS_SECURE_COOKIES="0", POLMAS_ALLOWED_HOSTS="127.0.0.1",
        POLMAS_SECRET_KEY=secrets.token_urlsafe(50),
        POLMAS_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        POLMAS_REPORTS_PER_HOUR=str(10**9), POLMAS_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
    )
    return env


def polmas(env: dict[str, str], *argv: str) -> None:
    cmd = [sys.executable, "-m", "polmas.cli", *argv]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"polmas {' '.join(argv)} failed (exit {done.returncode}):\n"
                           f"{done.stdout[-3000:]}{done.stderr[-3000:]}")


class Store:
    """Where scenarios get a fresh, loaded database: a SQLite file or a private cluster's
    database, each copied from a template built once (migrate, Bali, the police units)."""

    def __init__(self, kind: str, workdir: Path, cluster: Cluster | None = None) -> None:
        self.kind, self.workdir, self.cluster = kind, workdir, cluster
        self.count = 0
        template_var = workdir / "template-var"
        (template_var / "static").mkdir(parents=True, exist_ok=True)
        if kind == "postgres":
            assert cluster is not None
            cluster.sql("CREATE DATABASE polmas_template")
            url = cluster.url("polmas_template")
        else:
            url = f"sqlite:///{template_var / 'polmas.sqlite3'}"
        env = base_env(template_var, url)
        t0 = time.monotonic()
        # One process, not three: each start of Django costs seconds on a busy machine.
        polmas(env, "shell", "-c", "from django.core.management import call_command; "
               "from polmas.policing.tree import units_build; "
               "call_command('migrate', verbosity=0); "
               f"call_command('load_regions', provinces='{PROVINCE}', verbosity=0); units_build()")
        log(f"{kind} template database ready in {time.monotonic() - t0:.1f} s")
        self.template_var = template_var

    def fresh(self) -> tuple[dict[str, str], Database]:
        """A new database copied from the template: the environment of its processes and a
        plain-driver reader."""
        self.count += 1
        var = self.workdir / f"var-{self.count}"
        shutil.copytree(self.template_var, var)
        if self.kind == "postgres":
            assert self.cluster is not None
            name = f"polmas_{self.count}"
            self.cluster.sql(f"CREATE DATABASE {name} TEMPLATE polmas_template")
            url = self.cluster.url(name)
        else:
            url = f"sqlite:///{var / 'polmas.sqlite3'}"
        env = base_env(var, url)
        return env, Database(url)


class Database:
    """The scenario's database, read with the plain driver (no Django in this process)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite:///"):
            import sqlite3

            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            with contextlib.closing(conn):
                return list(conn.execute(sql).fetchall())
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), connect_timeout=5) as c:
            return list(c.execute(sql).fetchall())

    def try_query(self, sql: str) -> list[tuple] | None:
        """query(), or None while the database does not answer (a restart)."""
        try:
            return self.query(sql)
        except Exception:  # noqa: BLE001 - sqlite3 or psycopg, whichever is down
            return None

    def reports(self) -> list[tuple[uuid.UUID, int, bool]]:
        """(client UUID, id, routed) of every stored report."""
        return [(uuid.UUID(str(u)), pk, routed is not None) for u, pk, routed in
                self.query("SELECT client_uuid, id, routed_at FROM reports_report")]

    def unrouted(self) -> int | None:
        rows = self.try_query("SELECT COUNT(*) FROM reports_report WHERE routed_at IS NULL")
        return None if rows is None else rows[0][0]

    def tasks(self, status: str) -> list[tuple[str, str]]:
        """(id, worker_ids) of the task rows in `status`."""
        return [(str(i), w if isinstance(w, str) else json.dumps(w)) for i, w in self.query(
            f"SELECT id, worker_ids FROM django_tasks_database_dbtaskresult WHERE status = '{status}'")]  # noqa: S608


# --------------------------------------------------------------------------------------
# The processes.
# --------------------------------------------------------------------------------------


class Proc:
    """A child in a session of its own, so that kill() reaches its children too."""

    def __init__(self, cmd: list[str], env: dict[str, str], log_file: Path) -> None:
        self.cmd, self.log_file = cmd, log_file
        with log_file.open("a") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out,  # noqa: S603
                                         start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """kill -9 of the whole process group."""
        self.signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.alive():
            self.signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.signal(signal.SIGKILL)  # anything of its group left behind

    def tail(self, chars: int = 3000) -> str:
        return self.log_file.read_text()[-chars:] if self.log_file.exists() else ""


def gunicorn(env: dict[str, str], port: int, log_file: Path) -> Proc:
    server = Proc([sys.executable, "-m", "gunicorn", "polmas.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(GUNICORN_WORKERS),
                   "--log-level", "warning"],
                  env, log_file)

    def up() -> bool:
        if not server.alive():
            raise RuntimeError("gunicorn exited:\n" + server.tail())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as r:  # noqa: S310
                return r.status == 200
        except OSError:
            return False

    wait_for(up, 60, "gunicorn answering /ping", 0.2)
    return server


def task_worker(env: dict[str, str], log_file: Path, worker_id: str | None = None) -> Proc:
    cmd = [sys.executable, "-m", "polmas.cli", "db_worker", "--interval", "0.2", "--no-startup-delay"]
    if worker_id:
        cmd += ["--worker-id", worker_id]
    return Proc(cmd, env, log_file)


# --------------------------------------------------------------------------------------
# The client: reports with client UUIDs, sent again until answered.
# --------------------------------------------------------------------------------------


@dataclass
class Sent:
    """What the clients sent and what they were answered."""
    answered: dict[uuid.UUID, int] = field(default_factory=dict)  # client UUID -> report id
    unanswered: set[uuid.UUID] = field(default_factory=set)
    attempts: int = 0
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def resends(self) -> int:
        return self.attempts - len(self.answered) - len(self.unanswered)


def post_once(url: str, body: bytes) -> tuple[int, dict | None]:
    request = urllib.request.Request(url + "/api/v1/reports", data=body, method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError, http.client.HTTPException):  # refused, reset, timed out, cut short
        return 0, None


def send(url: str, sent: Sent, n: int | None, *, tag: str, stop: threading.Event | None = None,
         give_up_after: float = 120) -> None:
    """Send `n` reports one after another (or until `stop` is set), each again with the same
    client UUID until it is answered 201 (stored) or 200 (stored before)."""
    i = 0
    while (n is None or i < n) and not (stop is not None and stop.is_set()):
        i += 1
        client_uuid = uuid.uuid4()
        body = json.dumps({"category": "theft", "village": VILLAGES[i % len(VILLAGES)],
                           "client_uuid": str(client_uuid),
                           "description": f"Sepeda motor dicuri di depan warung ({tag} {i})."}).encode()
        deadline = time.monotonic() + give_up_after
        while True:
            status, answer = post_once(url, body)
            with sent.lock:
                sent.attempts += 1
                if status in (200, 201) and answer is not None:
                    sent.answered[client_uuid] = answer["id"]
                    break
                sent.failures += 1
            if time.monotonic() > deadline:
                with sent.lock:
                    sent.unanswered.add(client_uuid)
                break
            time.sleep(0.2)


def clients(url: str, sent: Sent, threads: int, tag: str, *, total: int | None = None,
            stop: threading.Event | None = None) -> list[threading.Thread]:
    """Start `threads` client threads sending `total` reports between them, or sending until
    `stop` is set."""
    if total is None:
        share: list[int | None] = [None] * threads
    else:
        share = [total // threads + (1 if k < total % threads else 0) for k in range(threads)]
    started = [threading.Thread(target=send, args=(url, sent, n), kwargs={"tag": f"{tag}-{k}", "stop": stop},
                                daemon=True) for k, n in enumerate(share)]
    for t in started:
        t.start()
    return started


def faults_amid_intake(url: str, sent: Sent, *, reports: int, faults: int, threads: int, tag: str,
                       fault: Callable[[], None]) -> float:
    """Clients send reports without pause while `fault()` strikes `faults` times, evenly spread
    over the first `reports` answers; they stop once `reports` are answered after the last
    one, each finishing the report in hand. Returns when the last fault ended (monotonic)."""
    stop = threading.Event()
    senders = clients(url, sent, threads, tag, stop=stop)
    ended = 0.0
    try:
        for k in range(faults):
            goal = reports * (k + 1) // (faults + 1)
            wait_for(lambda g=goal: len(sent.answered) >= g, 120, f"{goal} reports answered", 0.01)
            fault()
            ended = time.monotonic()
        wait_for(lambda: len(sent.answered) >= reports, 300, f"{reports} reports answered", 0.05)
    finally:
        stop.set()
    join(senders, 300)
    return ended


def join(threads: list[threading.Thread], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
    if any(t.is_alive() for t in threads):
        raise TimeoutError(f"clients still sending after {seconds:g} s")


# --------------------------------------------------------------------------------------
# The verdict.
# --------------------------------------------------------------------------------------


def verdict(db: Database, sent: Sent, *, route_within: float) -> dict:
    """Wait until every stored report is routed (at most `route_within` s), then count lost,
    duplicated and unrouted reports."""
    t0 = time.monotonic()
    with contextlib.suppress(TimeoutError):
        wait_for(lambda: db.unrouted() == 0, route_within, "every report routed", 0.2)
    routing_s = time.monotonic() - t0
    stored = db.reports()
    by_uuid: dict[uuid.UUID, list[int]] = {}
    for u, pk, _routed in stored:
        by_uuid.setdefault(u, []).append(pk)
    lost = [u for u, pk in sent.answered.items() if pk not in by_uuid.get(u, [])]
    return {
        "sent": len(sent.answered) + len(sent.unanswered), "answered": len(sent.answered),
        "unanswered": len(sent.unanswered), "attempts": sent.attempts, "resends": sent.resends,
        "stored": len(stored), "lost": len(lost),
        "duplicated": sum(len(ids) - 1 for ids in by_uuid.values() if len(ids) > 1),
        "stored_unasked": len(set(by_uuid) - set(sent.answered) - sent.unanswered),
        "unrouted": sum(1 for _u, _pk, routed in stored if not routed),
        "routing_done_s": round(routing_s, 2),
    }


def ok(result: dict) -> bool:
    return (result["lost"] == result["duplicated"] == result["unrouted"] == result["unanswered"] == 0
            and result["stored"] == result["answered"] and result.get("problem") is None)


# --------------------------------------------------------------------------------------
# The scenarios.
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def running(*procs: Proc) -> Iterator[None]:
    try:
        yield
    finally:
        for p in procs:
            p.stop()


def server_kill(store: Store, *, reports: int, faults: int, threads: int = 4) -> dict:
    """kill -9 of gunicorn mid-intake, `faults` times, a new one on the same port each time."""
    env, db = store.fresh()
    logs = Path(env["POLMAS_VAR_DIR"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    worker = task_worker(env, logs / "worker.log")
    servers = [gunicorn(env, port, logs / "gunicorn.log")]
    sent = Sent()
    try:
        t0 = time.monotonic()

        def kill() -> None:
            servers[-1].kill()
            log(f"  gunicorn killed (-9) after {len(sent.answered)} answers")
            time.sleep(0.5)
            servers.append(gunicorn(env, port, logs / "gunicorn.log"))

        faults_amid_intake(url, sent, reports=reports, faults=faults, threads=threads, tag="kill", fault=kill)
        intake_s = time.monotonic() - t0
        result = verdict(db, sent, route_within=60)
        result.update(scenario="server-kill", faults=faults, intake_s=round(intake_s, 1),
                      worker_alive=worker.alive())
    finally:
        for p in [*servers, worker]:
            p.stop()
    return result


def pg_restart(store: Store, cluster: Cluster, *, reports: int, faults: int, outage: float,
               threads: int = 4) -> dict:
    """PostgreSQL stopped and started again `outage` seconds later mid-intake, `faults` times,
    with two workers running throughout: one as in production (POLMAS_DEBUG=0), one with the
    development default (POLMAS_DEBUG=1: under the autoreloader). Every report must be routed,
    and afterwards each worker alone (the other stopped with SIGSTOP) must still route."""
    env, db = store.fresh()
    logs = Path(env["POLMAS_VAR_DIR"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    workers = {"production": task_worker(env, logs / "worker.log"),
               "debug": task_worker(env | {"POLMAS_DEBUG": "1"}, logs / "worker-debug.log")}
    server = gunicorn(env, port, logs / "gunicorn.log")
    sent = Sent()
    with running(server, *workers.values()):
        # Both polling before the first fault (the loop of each has logged its start).
        wait_for(lambda: all("Starting worker" in w.tail(100_000) for w in workers.values()), 90,
                 "both workers started")
        def restart() -> None:
            cluster.stop("fast")
            log(f"  PostgreSQL stopped after {len(sent.answered)} answers; {outage:g} s outage")
            time.sleep(outage)
            cluster.start()

        back_at = faults_amid_intake(url, sent, reports=reports, faults=faults, threads=threads,
                                     tag="restart", fault=restart)
        result = verdict(db, sent, route_within=90)
        result.update(scenario="pg-restart", faults=faults, outage_s=outage,
                      routed_s_after_last_restart=round(time.monotonic() - back_at, 1))
        problems = [f"the {name} worker exited:\n{w.tail()}" for name, w in workers.items() if not w.alive()]
        if not problems:
            for name, w in workers.items():
                if not routes_alone(url, db, sent, [o for o in workers.values() if o is not w]):
                    problems.append(f"the {name} worker routes nothing on its own:\n{w.tail()}")
        result["workers_alive"] = sum(w.alive() for w in workers.values())
        if problems:
            result["problem"] = "\n".join(problems)
    return result


def routes_alone(url: str, db: Database, sent: Sent, others: list[Proc], seconds: float = 30) -> bool:
    """With `others` frozen (SIGSTOP), are two new reports routed within `seconds`?"""
    for other in others:
        other.signal(signal.SIGSTOP)
    try:
        before = set(sent.answered)
        for i in range(2):
            time.sleep(1.1)  # past tasks.ROUTE_EVERY: intake queues a routing run
            send(url, sent, 1, tag=f"alone-{i}")
        ids = ",".join(str(pk) for u, pk in sent.answered.items() if u not in before)
        query = f"SELECT COUNT(*) FROM reports_report WHERE id IN ({ids}) AND routed_at IS NULL"  # noqa: S608
        try:
            wait_for(lambda: db.query(query)[0][0] == 0, seconds, "new reports routed", 0.2)
        except TimeoutError:
            return False
        return True
    finally:
        for other in others:
            other.signal(signal.SIGCONT)


def worker_kill(store: Store, *, reports: int, stale: int, threads: int = 4) -> dict:
    """A worker killed (-9) while a task row is RUNNING; a new worker must take the claim back
    after `stale` seconds and run the task to its end."""
    env, db = store.fresh()
    env["POLMAS_TASK_STALE_SECONDS"] = str(stale)
    logs = Path(env["POLMAS_VAR_DIR"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = gunicorn(env, port, logs / "gunicorn.log")
    sent = Sent()
    killed: list[str] = []
    with running(server):
        for attempt in range(5):  # a task may finish between two looks: try again with more
            join(clients(url, sent, threads, f"backlog{attempt}", total=reports * 2**attempt), 300)
            dead = task_worker(env, logs / "worker-killed.log", worker_id=f"doomed-{attempt}")
            try:
                wait_for(lambda: bool(db.tasks("RUNNING")), 60, "a task RUNNING", 0.01)
                dead.signal(signal.SIGSTOP)  # frozen: what the database shows now stays so
                killed = [i for i, _w in db.tasks("RUNNING")]
            except TimeoutError:
                killed = []
            dead.kill()
            if killed:
                break
        if not killed:
            return {"scenario": "worker-kill", "problem": "never saw a task RUNNING"}
        log(f"  worker killed (-9) with {len(killed)} task(s) RUNNING; "
            f"{db.unrouted()} reports unrouted")
        t0 = time.monotonic()
        worker = task_worker(env, logs / "worker.log", worker_id="successor")
        with running(worker):
            result = verdict(db, sent, route_within=stale + 60)
            # The killed rows themselves, run again by the successor and finished.
            wait_for(lambda: not set(killed) & {i for i, _w in db.tasks("RUNNING")}, stale + 30,
                     "the killed tasks taken back", 0.2)
            taken_back_s = time.monotonic() - t0
            done = {i: w for i, w in db.tasks("SUCCESSFUL")}
        result.update(scenario="worker-kill", stale_s=stale, killed_tasks=len(killed),
                      taken_back_s=round(taken_back_s, 1),
                      killed_tasks_finished=sum(1 for i in killed if i in done and "successor" in done[i]))
        if result["killed_tasks_finished"] != len(killed):
            result["problem"] = f"killed tasks not finished by the successor: {killed}, {done}"
    return result


# --------------------------------------------------------------------------------------


def print_result(r: dict) -> None:
    keys = [k for k in r if k not in ("scenario", "problem")]
    log(f"{r['scenario']:<12} {'PASS' if ok(r) else 'FAIL'}  " + ", ".join(f"{k} {r[k]}" for k in keys))
    if r.get("problem"):
        log(f"  problem: {r['problem']}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite",
                   help="database of server-kill and worker-kill (pg-restart: always PostgreSQL)")
    p.add_argument("--scenario", choices=["all", "server-kill", "pg-restart", "worker-kill"], default="all")
    p.add_argument("--reports", type=int, default=600, help="reports per scenario (default 600)")
    p.add_argument("--faults", type=int, default=3, help="kills / restarts per scenario (default 3)")
    p.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down (default 5)")
    p.add_argument("--stale", type=int, default=5, help="POLMAS_TASK_STALE_SECONDS (default 5)")
    p.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    args = p.parse_args()
    wanted = ["server-kill", "pg-restart", "worker-kill"] if args.scenario == "all" else [args.scenario]
    need_pg = args.db == "postgres" or "pg-restart" in wanted
    if need_pg and (why := pg_missing()):
        raise SystemExit(f"cannot run a private PostgreSQL cluster: {why}")
    workdir = Path(tempfile.mkdtemp(prefix="polmas-faults-"))
    cluster = None
    results = []
    try:
        if need_pg:
            cluster = Cluster()
            log(f"private PostgreSQL cluster on 127.0.0.1:{cluster.port} in {cluster.dir}")
        kinds = {"postgres"} if "pg-restart" in wanted else set()
        if set(wanted) - {"pg-restart"}:
            kinds.add(args.db)
        stores = {kind: Store(kind, workdir / kind, cluster) for kind in sorted(kinds)}
        for name in wanted:
            log(f"{name}: {args.reports} reports, {args.threads} client threads")
            if name == "server-kill":
                r = server_kill(stores[args.db], reports=args.reports, faults=args.faults,
                                threads=args.threads)
            elif name == "pg-restart":
                assert cluster is not None
                r = pg_restart(stores["postgres"], cluster, reports=args.reports, faults=args.faults,
                               outage=args.outage, threads=args.threads)
            else:
                r = worker_kill(stores[args.db], reports=args.reports, stale=args.stale, threads=args.threads)
            r["db"] = "postgres" if name == "pg-restart" else args.db
            print_result(r)
            results.append(r)
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, indent=2))
    return 0 if all(ok(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
