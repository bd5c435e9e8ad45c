"""The deployment of deploy/, built on this machine from Debian's packages (nginx, Redis or
Valkey) and run for real: nginx with deploy/nginx/polmas.conf over TLS in front of two app
servers started as deploy/systemd/polmas-web@.service starts them, one task worker, the shared
cache, and a SQLite database of its own. A short mixed load (intake, dashboards, API reads)
goes through nginx while one app server is stopped; nothing answered is lost.

The harness is bench/cluster.py (which also measures the throughput); it takes a minute or
two. The same topology on a PostgreSQL primary with a streaming replica is
test_topology_replica.py's (where PostgreSQL is the configured database).
"""

import importlib.util
import re
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.topology


def _bench_cluster():
    path = Path(__file__).resolve().parents[2] / "bench" / "cluster.py"
    spec = importlib.util.spec_from_file_location("polmas_bench_cluster", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cluster = _bench_cluster()


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    if why := cluster.missing():
        pytest.skip(why)
    workdir = tmp_path_factory.mktemp("topology")
    store = cluster.Store("sqlite", workdir / "store")
    with cluster.Topology(store, workdir / "run", apps=2) as topo:
        yield topo


def metric_sum(text: str, name: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name + "{") or line.startswith(name + " "))


def test_the_units_and_site_of_deploy_are_what_runs():
    web = cluster.exec_start("polmas-web@.service", "8001")
    assert web[1:3] == ["-m", "gunicorn"] and "127.0.0.1:8001" in web
    assert cluster.exec_start("polmas-worker@.service", "1")[3] == "db_worker"
    site = (cluster.DEPLOY / "nginx" / "polmas.conf").read_text()
    for needed in ("X-Forwarded-Proto $scheme", "X-Forwarded-For $proxy_add_x_forwarded_for",
                   "X-Request-ID $request_id", "client_max_body_size", "ssl_protocols TLSv1.2 TLSv1.3",
                   "location /media/"):
        assert needed in site


def test_a_mixed_load_loses_nothing_when_an_app_server_stops(topology):
    token = cluster.api_token(topology.url)
    tally_box: list = []
    load = threading.Thread(target=lambda: tally_box.append(cluster.run_load(
        topology.url, seconds=0, rounds=9, threads=3, mix=("intake", "dashboard", "api"), token=token)))
    load.start()
    # One app server stopped (SIGTERM, as systemctl stop) once the load is under way.
    cluster.wait_for(lambda: len(topology.db.reports()) >= 3, 300, "the load under way", 0.2)
    topology.stop_app(topology.ports[0])
    load.join()
    tally = tally_box[0]
    assert not topology.procs[f"app-{topology.ports[0]}"].alive()

    counted = cluster.lost(topology.db, tally)
    assert counted["answered"] == 9, (counted, topology.tails())  # 3 clients x 3 reports
    assert counted["unanswered"] == counted["lost"] == counted["duplicated"] == 0, counted
    # Reads that met the stopping server were sent on by nginx: no 5xx. A POST already sent
    # to it is not (nginx never sends a POST twice): it may get a 502, and the client sends
    # it again with its client UUID, answered above.
    assert not [s for kind in ("dashboard", "api") for s in tally.errors.get(kind, []) if s >= 500], \
        tally.errors
    assert set(tally.errors.get("intake", [])) <= {502}, tally.errors
    for kind in ("intake", "dashboard", "api"):
        assert tally.times.get(kind), f"no {kind} answered: {tally.errors}"
    # The worker routes every stored report.
    cluster.wait_for(lambda: topology.db.unrouted() == 0, 60, "every report routed", 0.2)


def test_readyz_metrics_and_request_ids_through_nginx(topology):
    client = cluster.Client(topology.url)
    cluster.wait_for(lambda: client.get("/readyz")[0] == 200, 30, "ready", 0.5)
    status, body = client.get("/readyz")
    assert status == 200 and b'"cache": "ok"' in body and b'"worker": "ok"' in body

    assert client.get("/metrics")[0] == 404
    status, text = client.get("/metrics", Authorization=f"Bearer {cluster.METRICS_TOKEN}")
    assert status == 200
    assert metric_sum(text.decode(), "polmas_http_requests_total") > 0
    assert "polmas_routing_backlog " in text.decode()

    conn = client._connect()
    conn.request("GET", "/healthz")
    answer = conn.getresponse()
    answer.read()
    rid = answer.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    time.sleep(0.5)
    assert f"rid={rid}" in (topology.workdir / "access.log").read_text()  # nginx's id, kept by the app


def test_the_cache_going_away_costs_no_answer(topology):
    client = cluster.Client(topology.url)
    client.login(cluster.SUPERVISOR, cluster.PASSWORD)
    assert client.get("/dashboard/51/")[0] == 200
    topology.procs["cache"].stop()

    assert [client.get("/dashboard/51/")[0] for _ in range(3)] == [200, 200, 200]
    status, body = client.get("/readyz")
    assert status == 200 and b'"status": "degraded"' in body and b'"failing": ["cache"]' in body
