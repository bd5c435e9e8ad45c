"""DATABASE_REPLICA_URL is optional: without it nothing changes (no router, no cookie, every
read on the one database); with a SQLite primary it is refused by name. The replica itself is
tested for real in test_replica_cluster.py."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import router

from polmas.core.db import replica
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db


def test_without_a_replica_reads_and_writes_stay_on_the_one_database(client):
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_REPLICA_URL == ""
    with replica.replica_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(Region) == "default"
    assert replica.replica_status() == {
        "configured": False, "ok": False, "lag_seconds": None, "reason": "DATABASE_REPLICA_URL is not set",
        "fallbacks": 0, "reads": 0, "age_seconds": None}
    assert client.get("/statistik/").status_code == 200


def test_without_a_replica_a_post_sets_no_pin_cookie(client):
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert answer.status_code == 302
    assert replica.PIN_COOKIE not in answer.cookies


def test_the_router_sends_writes_and_plain_reads_to_the_primary_and_marked_reads_to_the_replica():
    r = replica.ReplicaRouter()
    assert r.db_for_read(Region) == "default"
    assert r.db_for_write(Region) == "default"
    token = replica._reading.set(True)
    try:
        assert r.db_for_read(Region) == "replica"
        assert r.db_for_write(Region) == "default"  # also the save of a row read there
    finally:
        replica._reading.reset(token)
    assert r.allow_migrate("replica", "reports") is False
    assert r.allow_migrate("default", "reports") is None


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    return subprocess.run([sys.executable, "-c", "import polmas.settings"], env=clean | env,
                          capture_output=True, text=True, check=False)


def test_a_replica_beside_sqlite_is_refused_by_name(tmp_path):
    done = _settings_with(POLMAS_VAR_DIR=str(tmp_path),
                          DATABASE_REPLICA_URL="postgres://u:p@127.0.0.1:1/x")
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL: a replica needs PostgreSQL" in done.stderr


def test_a_replica_url_that_cannot_be_read_is_refused_by_name(tmp_path):
    done = _settings_with(POLMAS_VAR_DIR=str(tmp_path), DATABASE_URL="postgres://u:p@127.0.0.1:1/x",
                          DATABASE_REPLICA_URL="nonsense://what")
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL" in done.stderr
