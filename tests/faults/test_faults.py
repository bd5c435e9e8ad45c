"""Fault drills, short: reports go through a killed app server, a PostgreSQL restart and a
task worker killed mid-task, with 0 lost, 0 duplicated and every report routed.

The real processes run (gunicorn on a free loopback port, `polmas db_worker`, client threads
that send each report again with the same client UUID until it is answered), on databases of
their own: a SQLite file, or a PostgreSQL cluster these tests create (initdb into a temporary
directory, a free port, as the `postgres` OS user), never the shared server of the test run.
The app server and worker drills use the kind of database the run uses (DATABASE_URL); the
restart drill always uses the private cluster. The harness, and longer versions of the same
drills, live in bench/faults.py.
"""

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bench_faults():
    """bench/faults.py, under a name that cannot clash with this package's."""
    path = Path(__file__).resolve().parents[2] / "bench" / "faults.py"
    spec = importlib.util.spec_from_file_location("polmas_bench_faults", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


faults = _bench_faults()
faults.GUNICORN_WORKERS = 1  # one worker starts faster; a kill -9 takes the whole group anyway

RUN_DB = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


@pytest.fixture(scope="module")
def cluster() -> Iterator[faults.Cluster]:
    if why := faults.pg_missing():
        pytest.skip(f"no private PostgreSQL cluster possible: {why}")
    c = faults.Cluster()
    yield c
    c.close()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """store(kind): the template database of that kind, built on first use."""
    built: dict[str, faults.Store] = {}
    workdir = tmp_path_factory.mktemp("faults")

    def store(kind: str) -> faults.Store:
        if kind not in built:
            pg = request.getfixturevalue("cluster") if kind == "postgres" else None
            built[kind] = faults.Store(kind, workdir / kind, pg)
        return built[kind]

    return store


def assert_nothing_lost(result: dict) -> None:
    assert result.get("problem") is None, result["problem"]
    counts = (result["unanswered"], result["lost"], result["duplicated"], result["unrouted"])
    assert counts == (0, 0, 0, 0), result
    assert result["stored"] == result["answered"] == result["sent"], result


def test_reports_survive_the_app_server_killed_mid_intake(stores):
    result = faults.server_kill(stores(RUN_DB), reports=40, faults=1, threads=3)
    assert_nothing_lost(result)
    assert result["resends"] > 0, "the kill should have cut some requests short"
    assert result["worker_alive"]


def test_the_worker_routes_every_report_through_a_postgresql_restart(stores, cluster):
    result = faults.pg_restart(stores("postgres"), cluster, reports=40, faults=1, outage=2, threads=3)
    assert_nothing_lost(result)  # the workers are alive, and each routes on its own
    assert result["workers_alive"] == 2
    assert result["resends"] > 0, "requests during the outage should have failed and been sent again"


def test_a_task_left_running_by_a_killed_worker_is_taken_back_and_finished(stores):
    result = faults.worker_kill(stores(RUN_DB), reports=60, stale=2, threads=3)
    assert_nothing_lost(result)
    assert result["killed_tasks"] >= 1
    assert result["killed_tasks_finished"] == result["killed_tasks"], result
