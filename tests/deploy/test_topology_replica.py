"""The deployment of deploy/ with its database as issue 22 has it: a private PostgreSQL primary
and a streaming replica made with `pg_basebackup -R` (a second cluster), nginx over TLS in
front of two app servers that both have DATABASE_REPLICA_URL, one task worker and the shared
cache (bench/cluster.py's Topology, as test_topology.py builds it on SQLite).

Through nginx, under a mixed load (intake, dashboards, API reads): the dashboards' and
/statistik/'s reads are served by the replica (pg_stat_statements on the replica), every
write by the primary, a browser that just wrote reads from the primary (its own write is not
on a replica that is behind), and stopping the replica mid-load gives no 5xx and no lost
report (the reads fall back to the primary; /readyz and /metrics say so).

Only where PostgreSQL is the configured database (DATABASE_URL, CI's PostgreSQL run): on
SQLite the run has no PostgreSQL to speak of, and the SQLite topology is test_topology.py's.
Both clusters are private (initdb into a temporary directory, free ports, as the `postgres`
OS user), never the shared server. A few minutes.
"""

import os
import threading
import time

import pytest

from .test_topology import cluster, metric_sum

pytestmark = pytest.mark.topology

SOME_REPORTS = 3


@pytest.fixture(scope="module")
def topology():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("the replica topology runs where PostgreSQL is the configured database "
                    "(DATABASE_URL=postgres://...): a replica needs PostgreSQL")
    if why := cluster.missing() or cluster.replica_missing():
        pytest.skip(why)
    # Under /tmp in a directory of its own: the postgres user cannot enter pytest's.
    primary = cluster.primary_cluster()
    replica = None
    try:
        store = cluster.Store("postgres", primary.dir / "store", primary)
        replica = cluster.Replica(primary)
        with cluster.Topology(store, primary.dir / "run", apps=2, replica=replica) as topo:
            # Everything up, the worker's heartbeat in: a failing part below is the test's.
            client = cluster.Client(topo.url)
            cluster.wait_for(lambda: client.get("/readyz")[0] == 200, 120, "ready", 0.5)
            yield topo
    finally:
        if replica is not None:
            replica.close()
        primary.close()


def on_replica(topo, sql: str) -> int:
    return int(topo.replica.query(topo.dbname, sql)[0][0])


def on_primary(topo, sql: str) -> int:
    return int(topo.db.query(sql)[0][0])


def board_reader(url: str, tally, stop: threading.Event, rounds: int | None = None) -> threading.Thread:
    """A signed-in browser reading the Bali board, once its sign-in's pin has lapsed."""

    def read() -> None:
        client = cluster.Client(url)
        client.login(cluster.SUPERVISOR, cluster.PASSWORD)
        time.sleep(cluster.PIN_SECONDS + 0.5)
        i = 0
        while not stop.is_set() and (rounds is None or i < rounds):
            i += 1
            cluster.timed_get(client, tally, "dashboard", "/dashboard/51/")
        client.close()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_the_app_servers_read_from_the_replica_and_write_on_the_primary(topology):
    topo = topology
    assert topo.replica.query(topo.dbname, "SELECT pg_is_in_recovery()")[0][0] is True
    client = cluster.Client(topo.url)
    assert b'"replica": "ok"' in client.get("/readyz")[1]

    token = cluster.api_token(topo.url)
    reads_before = on_replica(topo, cluster.DASHBOARD_READS)
    inserts_before = on_primary(topo, cluster.REPORT_INSERTS)
    tally = cluster.Tally()
    stop = threading.Event()
    readers = [board_reader(topo.url, tally, stop, rounds=6) for _ in range(2)]
    writes = cluster.run_load(topo.url, seconds=0, rounds=2 * SOME_REPORTS, threads=2,
                              mix=("intake", "api"), token=token)
    for r in readers:
        r.join(300)
    # The public statistics, anonymous (no pin).
    for path in ("/statistik/", "/statistik/51/"):
        assert client.get(path)[0] == 200, path

    boards = len(tally.times.get("dashboard", []))
    assert boards == 12 and not tally.errors, tally.errors
    assert not writes.errors.get("api") and len(writes.times.get("api", [])) == 2 * SOME_REPORTS
    served = on_replica(topo, cluster.DASHBOARD_READS) - reads_before
    # Each board reads at least the rollups' stamp, the statistics pages more.
    assert served > boards, f"only {served} dashboard reads on the replica for {boards} boards"

    counted = cluster.lost(topo.db, writes)
    assert counted["answered"] == 2 * SOME_REPORTS, (counted, topo.tails())
    assert counted["unanswered"] == counted["lost"] == counted["duplicated"] == 0, counted
    assert on_primary(topo, cluster.REPORT_INSERTS) - inserts_before >= counted["answered"]
    assert on_replica(topo, cluster.REPORT_INSERTS) == 0, "a write was run on the replica"
    # Every report reaches the replica too, by streaming.
    topo.replica.wait_replayed(topo.dbname)
    assert on_replica(topo, "SELECT COUNT(*) FROM reports_report") == len(topo.db.reports())


def test_a_browser_reads_its_own_write_from_the_primary_while_the_replica_is_behind(topology):
    topo = topology
    topo.replica.wait_replayed(topo.dbname)
    browser = cluster.Client(topo.url)
    browser.login(cluster.SUPERVISOR, cluster.PASSWORD)
    time.sleep(cluster.PIN_SECONDS + 0.5)
    before = on_replica(topo, cluster.DASHBOARD_READS)
    assert browser.get("/dashboard/51/")[0] == 200
    assert on_replica(topo, cluster.DASHBOARD_READS) > before, "an unpinned board was not read on the replica"

    # The replica receives the next write but does not replay it: behind, though within
    # POLMAS_REPLICA_MAX_LAG_SECONDS, so still read by browsers that did not write.
    topo.replica.query(topo.dbname, "SELECT pg_wal_replay_pause()")
    try:
        tally = cluster.Tally()
        cluster.intake(browser, tally, "own-write")
        (key, pk), = tally.answered.items()
        assert "polmas_primary" in browser.cookies, browser.cookies
        assert on_primary(topo, f"SELECT COUNT(*) FROM reports_report WHERE id = {pk}") == 1  # noqa: S608
        assert on_replica(topo, f"SELECT COUNT(*) FROM reports_report WHERE id = {pk}") == 0  # noqa: S608

        before = on_replica(topo, cluster.DASHBOARD_READS)
        assert browser.get("/dashboard/51/")[0] == 200
        assert browser.get("/statistik/51/")[0] == 200
        assert on_replica(topo, cluster.DASHBOARD_READS) == before, \
            "a browser that just wrote read from a replica that does not have its write"

        time.sleep(cluster.PIN_SECONDS + 0.5)  # the pin lapses: the replica again
        assert browser.get("/dashboard/51/")[0] == 200
        assert "polmas_primary" not in browser.cookies
        assert on_replica(topo, cluster.DASHBOARD_READS) > before
    finally:
        topo.replica.query(topo.dbname, "SELECT pg_wal_replay_resume()")
    topo.replica.wait_replayed(topo.dbname)


def test_the_replica_stopped_mid_load_costs_no_answer_and_loses_nothing(topology):
    topo = topology
    token = cluster.api_token(topo.url)
    reports_before = len(topo.db.reports())
    tally = cluster.Tally()
    stop = threading.Event()
    readers = [board_reader(topo.url, tally, stop) for _ in range(2)]
    writes_box: list = []
    writer = threading.Thread(target=lambda: writes_box.append(cluster.run_load(
        topo.url, seconds=0, rounds=2 * SOME_REPORTS, threads=2, mix=("intake", "api"), token=token)))
    writer.start()
    try:
        cluster.wait_for(lambda: len(tally.times.get("dashboard", [])) >= 4, 300, "boards read", 0.2)
        reads = on_replica(topo, cluster.DASHBOARD_READS)
        assert reads > 0
        topo.replica.stop("fast")  # mid-load
        stopped_at = len(tally.times.get("dashboard", []))
        cluster.wait_for(lambda: len(tally.times.get("dashboard", [])) >= stopped_at + 8, 300,
                         "boards read after the replica stopped", 0.2)
        writer.join(300)
    finally:
        stop.set()
        for r in readers:
            r.join(120)
    writes = writes_box[0]
    assert not tally.errors, f"boards answered {tally.errors} with the replica stopped\n{topo.tails()}"
    assert not writes.errors, writes.errors
    counted = cluster.lost(topo.db, writes)
    assert counted["answered"] == 2 * SOME_REPORTS
    assert counted["unanswered"] == counted["lost"] == counted["duplicated"] == 0, counted
    assert len(topo.db.reports()) == reports_before + counted["answered"]

    client = cluster.Client(topo.url)
    status, body = client.get("/readyz")
    assert status == 200 and b'"status": "degraded"' in body and b'"failing": ["replica"]' in body, body
    logs = "".join((topo.workdir / f"app-{port}.log").read_text() for port in topo.ports)
    assert "reads go to the primary" in logs
    # Some app process counted the reads it left for the primary (each process its own).
    scraped = [metric_sum(client.get("/metrics", Authorization=f"Bearer {cluster.METRICS_TOKEN}")[1].decode(),
                          "polmas_replica_fallbacks_total") for _ in range(8)]
    assert max(scraped) > 0, scraped
