"""A private PostgreSQL primary for the scale-out tests (the replica, several workers), built
once per run: bench/faults.py's Cluster (initdb into a temporary directory, a free port, as
the `postgres` OS user, never the shared server) with pg_stat_statements loaded, and its
template database (migrate, Bali, the police units) that each test copies."""

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

NAME = "polmas_bench_faults_core"


def _bench(file: str, name: str) -> ModuleType:
    """bench/<file>, loaded once under a name that cannot clash with a test package."""
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[2] / "bench" / file
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def bench_faults() -> ModuleType:
    """bench/faults.py: private PostgreSQL clusters and databases."""
    return _bench("faults.py", NAME)


def bench_cluster() -> ModuleType:
    """bench/cluster.py: the deployment's parts, among them a streaming replica."""
    return _bench("cluster.py", "polmas_bench_cluster")


@pytest.fixture(scope="session")
def pg_primary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """(bench/faults as a module, the primary Cluster, its Store of fresh databases)."""
    faults = bench_faults()
    if why := faults.pg_missing():
        pytest.skip(f"no private PostgreSQL cluster possible: {why}")
    faults.GUNICORN_WORKERS = 1  # one worker starts faster on the shared 2 cores
    primary = faults.Cluster()
    try:
        primary.stop()
        primary._run("sh", "-c", f"echo \"shared_preload_libraries = 'pg_stat_statements'\" >> "
                     f"'{primary.data}/postgresql.conf'", raw=True)
        primary.start()
        store = faults.Store("postgres", tmp_path_factory.mktemp("scale-out"), primary)
        yield faults, primary, store
    finally:
        primary.close()


def gunicorn(faults: ModuleType, env: dict[str, str], port: int, log: Path):
    """faults.gunicorn's server, with time to boot on a busy machine (its workers import
    scipy and pandas: past gunicorn's 30 s they are killed and booted again, for ever), and
    stopped again if it never answers."""
    env = env | {"GUNICORN_CMD_ARGS": "--timeout 180"}
    server = faults.Proc([sys.executable, "-m", "gunicorn", "polmas.wsgi:application", "--bind",
                          f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"], env, log)

    def up() -> bool:
        if not server.alive():
            raise RuntimeError("gunicorn exited:\n" + server.tail())
        try:
            with faults.urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        faults.wait_for(up, 240, "gunicorn answering /ping", 0.2)
    except BaseException:
        server.stop()
        raise
    return server
