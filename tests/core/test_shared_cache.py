"""POLMAS_CACHE_URL: the kept dashboard pages in a real Redis (Debian's redis-server, or
valkey-server), shared by all app servers; a server that goes away costs no answer."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.django_db

SERVER = shutil.which("valkey-server") or shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    if SERVER is None:
        pytest.skip("no valkey-server or redis-server (apt-get install -y redis-server)")
    port = free_port()
    proc = subprocess.Popen([SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield proc, port, client
    proc.kill()
    proc.wait()


def shared(port: int) -> dict:
    return {"default": {"BACKEND": "polmas.core.cache.SharedCache",
                        "LOCATION": f"redis://127.0.0.1:{port}/0", "KEY_PREFIX": "polmas",
                        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}}}


def test_the_setting_chooses_the_shared_cache(monkeypatch):
    import importlib

    import polmas.settings as module

    monkeypatch.setenv("POLMAS_CACHE_URL", "redis://127.0.0.1:6399/2")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.CACHES["default"]["BACKEND"] == "polmas.core.cache.SharedCache"
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6399/2"
        monkeypatch.setenv("POLMAS_CACHE_URL", "http://127.0.0.1:6399")
        with pytest.raises(module.SettingError, match="POLMAS_CACHE_URL"):
            importlib.reload(module)
    finally:
        monkeypatch.delenv("POLMAS_CACHE_URL")
        importlib.reload(module)


def test_a_board_is_kept_in_the_shared_cache_and_drawn_without_it_once_it_is_gone(
        redis_server, login, settings):
    proc, port, client = redis_server
    with override_settings(CACHES=shared(port), POLMAS_CACHE_URL=f"redis://127.0.0.1:{port}/0",
                           POLMAS_WORKER_HEARTBEAT_SECONDS=0):
        caches["default"].clear()
        browser = login("kapolres")
        first = browser.get("/dashboard/51.08/")
        kept = [key for key in client.keys("polmas:*")]
        second = browser.get("/dashboard/51.08/")
        assert browser.get("/readyz").status_code == 200

        proc.kill()
        proc.wait()
        started = time.monotonic()
        gone = browser.get("/dashboard/51.08/")
        again = browser.get("/dashboard/51.08/")
        elapsed = time.monotonic() - started
        ready = browser.get("/readyz")

    assert first.status_code == second.status_code == 200
    assert kept, "the board was not kept in the shared cache"
    assert gone.status_code == again.status_code == 200
    # The same board, drawn afresh.
    assert b"51.08" in gone.content and gone.content.count(b"<tr") == second.content.count(b"<tr")
    # The second draw did not wait for the server again (5 s without trying).
    assert elapsed < 5
    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")  # it still serves
    assert ready.json()["failing"] == ["cache"]
