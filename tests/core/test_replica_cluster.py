"""A real PostgreSQL primary with a streaming replica (pg_basebackup -R), and the app (gunicorn)
on both through DATABASE_REPLICA_URL: the public dashboards read from the replica, writes and a
writer's next reads stay on the primary, a lagging replica and a stopped one fall back to the
primary with no 5xx, and a replica that does not connect at start gets a warning.

Both clusters are private (initdb into a temporary directory, free ports, as the `postgres` OS
user: bench/faults.py's Cluster, see conftest.py), never the shared server. Skipped, with the reason, where
PostgreSQL's server binaries are missing.
"""

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import bench_cluster, bench_faults, gunicorn

faults = bench_faults()
cluster = bench_cluster()  # its Replica: pg_basebackup -R, as docs/deploy.md says

PASSWORD = "replica-test-password-17"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class App:
    """GET and POST to the gunicorn under test; remembers every status it was answered."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.statuses: list[int] = []

    def get(self, path: str, cookie: str = "") -> int:
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        self.statuses.append(status)
        return status

    def login(self, username: str, password: str) -> tuple[str, str]:
        """Sign in through the login form; (the session cookie, the Set-Cookie headers)."""
        with urllib.request.urlopen(self.base + "/accounts/login/", timeout=20) as page:  # noqa: S310
            html = page.read().decode()
            given = page.headers.get_all("Set-Cookie")
        csrf = next(c.split(";")[0] for c in given if c.startswith("csrftoken="))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                       "password": password}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=body, method="POST",  # noqa: S310
                                         headers={"Cookie": csrf, "Referer": self.base + "/accounts/login/"})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(request, timeout=20)
        except urllib.error.HTTPError as answer:  # the 302 after signing in
            assert answer.code == 302, answer.code
            cookies = answer.headers.get_all("Set-Cookie")
        session = next(c.split(";")[0] for c in cookies if c.startswith("sessionid="))
        return session, "; ".join(cookies)

    def report(self) -> tuple[int, str]:
        """POST a report; (status, the Set-Cookie header)."""
        body = json.dumps({"category": "theft", "village": faults.VILLAGES[0],
                           "client_uuid": str(uuid.uuid4()),
                           "description": "Sepeda motor dicuri di depan warung."}).encode()
        request = urllib.request.Request(self.base + "/api/v1/reports", data=body, method="POST",  # noqa: S310
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
            return answer.status, answer.headers.get("Set-Cookie", "")


@pytest.fixture(scope="module")
def topology(pg_primary) -> Iterator[dict]:
    if not (faults.pg_bin_dir() / "pg_basebackup").exists():
        pytest.skip("pg_basebackup is missing: no streaming replica can be made")
    _faults, primary, store = pg_primary
    env, db = store.fresh()
    name = db.url.rsplit("/", 1)[1]
    primary.sql("CREATE EXTENSION pg_stat_statements", db=name)
    faults.polmas(env, "shell", "-c", "from django.contrib.auth.models import User; "
                  f"User.objects.create_superuser('kapolri', 'k@example.org', '{PASSWORD}')")
    replica = cluster.Replica(primary)
    server = None
    try:
        env |= {"DATABASE_REPLICA_URL": replica.url(name), "POLMAS_REPLICA_CHECK_SECONDS": "0",
                "POLMAS_REPLICA_MAX_LAG_SECONDS": "1", "POLMAS_REPLICA_PIN_SECONDS": "30",
                # Pages, not only the API: static files from the finders, no collectstatic.
                "POLMAS_DEBUG": "1"}
        port = faults.free_port()
        log = Path(env["POLMAS_VAR_DIR"]) / "gunicorn.log"
        server = gunicorn(faults, env, port, log)
        yield {"primary": primary, "replica": replica, "db": db, "name": name, "env": env,
               "app": App(port), "log": log, "server": server}
    finally:
        if server is not None:
            server.stop()
        replica.close()


def _reads_on_replica(t: dict) -> int:
    return int(t["replica"].query(t["name"], cluster.DASHBOARD_READS)[0][0])


def _wait_replayed(t: dict) -> None:
    t["replica"].wait_replayed(t["name"])


def test_dashboards_read_from_the_replica_and_writes_go_to_the_primary(topology):
    t, app = topology, topology["app"]
    assert t["replica"].query(t["name"], "SELECT pg_is_in_recovery()")[0][0] is True
    before = _reads_on_replica(t)
    for path in ("/statistik/", "/statistik/51/", "/statistik/data.csv"):
        assert app.get(path) == 200, path
    after = _reads_on_replica(t)
    assert after > before, "the public dashboards' reads should have been served by the replica"

    status, cookie = app.report()
    assert status == 201
    assert t["db"].query("SELECT COUNT(*) FROM reports_report")[0][0] >= 1  # on the primary
    # Nothing was written on the replica (it would refuse), and the writer is pinned.
    assert "polmas_primary=1" in cookie
    pinned = _reads_on_replica(t)
    assert app.get("/statistik/", cookie="polmas_primary=1") == 200
    assert _reads_on_replica(t) == pinned, "a writer's next reads should stay on the primary"


def test_a_signed_in_dashboard_reads_from_the_replica_once_the_sign_in_is_past(topology):
    t, app = topology, topology["app"]
    session, cookies = app.login("kapolri", PASSWORD)
    assert "polmas_primary=1" in cookies  # the sign-in wrote: the next reads stay on the primary
    before = _reads_on_replica(t)
    assert app.get("/dashboard/51/", cookie=f"{session}; polmas_primary=1") == 200
    assert _reads_on_replica(t) == before
    # The pin gone (expired); another region, not the page kept in the cache.
    assert app.get("/dashboard/51.08/", cookie=session) == 200
    assert _reads_on_replica(t) > before, "the dashboard's reads should have been served by the replica"


def test_a_lagging_replica_is_left_alone_until_it_catches_up(topology):
    t, app = topology, topology["app"]
    _wait_replayed(t)
    t["replica"].query(t["name"], "SELECT pg_wal_replay_pause()")
    try:
        app.report()  # a write the replica receives but does not replay
        time.sleep(1.5)  # past POLMAS_REPLICA_MAX_LAG_SECONDS
        before = _reads_on_replica(t)
        assert app.get("/statistik/") == 200
        assert _reads_on_replica(t) == before, "a replica behind by more than the limit was read"
        assert "lagging" in t["log"].read_text()
    finally:
        t["replica"].query(t["name"], "SELECT pg_wal_replay_resume()")
    _wait_replayed(t)
    before = _reads_on_replica(t)
    assert app.get("/statistik/") == 200
    assert _reads_on_replica(t) > before, "a replica caught up again should be read again"
    assert "reads go to the replica again" in t["log"].read_text()


def test_a_replica_stopped_mid_load_gives_no_5xx_and_a_replica_down_at_start_a_warning(topology):
    t, app = topology, topology["app"]
    stop = threading.Event()
    statuses: list[int] = []

    def load() -> None:
        while not stop.is_set():
            statuses.append(app.get("/statistik/51/"))

    readers = [threading.Thread(target=load, daemon=True) for _ in range(2)]
    for r in readers:
        r.start()
    try:
        faults.wait_for(lambda: len(statuses) >= 5, 60, "reads before the stop")
        t["replica"].stop("fast")
        stopped_at = len(statuses)
        faults.wait_for(lambda: len(statuses) >= stopped_at + 10, 60, "reads after the stop")
    finally:
        stop.set()
        for r in readers:
            r.join(30)
    assert statuses and set(statuses) == {200}, statuses
    assert "reads go to the primary" in t["log"].read_text()

    # A new app server while the replica is down: a clear warning, and it serves on the primary.
    port = faults.free_port()
    log = Path(t["env"]["POLMAS_VAR_DIR"]) / "gunicorn-2.log"
    second = gunicorn(faults, t["env"], port, log)
    try:
        assert App(port).get("/statistik/") == 200
        assert "DATABASE_REPLICA_URL: the replica at 127.0.0.1" in log.read_text()
        assert "does not connect" in log.read_text()
    finally:
        second.stop()
