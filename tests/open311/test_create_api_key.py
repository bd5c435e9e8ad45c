"""`polmas create_api_key --name NAME`: the key is the last line, shown once, kept as a hash."""

import hashlib
import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from polmas.access.models import AuditEntry, Open311Key

from .tools import new_key

pytestmark = pytest.mark.django_db


def test_it_prints_a_new_key_as_the_last_line_and_stores_only_its_hash() -> None:
    out = io.StringIO()
    call_command("create_api_key", "--name", "Aplikasi Desa Aman", stdout=out)
    lines = out.getvalue().strip().splitlines()
    secret = lines[-1]
    assert secret.startswith("o311_") and len(secret) > 40
    assert "Aplikasi Desa Aman" in lines[0]
    key = Open311Key.objects.get(key_hash=hashlib.sha256(secret.encode()).hexdigest())
    assert key.name == "Aplikasi Desa Aman" and key.revoked_at is None and key.last_used_at is None
    assert secret not in str(Open311Key.objects.filter(pk=key.pk).values().get())
    assert AuditEntry.objects.filter(action="open311_key.create", object_id=str(key.pk)).exists()


def test_every_key_is_different() -> None:
    assert len({new_key("a"), new_key("a"), new_key("b")}) == 3


@pytest.mark.parametrize(("name", "reason"), [
    ("   ", "name"),
    ("x" * 101, "100"),
    ("tab\there", "control"),
])
def test_a_bad_name_is_refused_and_nothing_stored(name: str, reason: str) -> None:
    before = Open311Key.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match=reason):
        call_command("create_api_key", "--name", name, stdout=io.StringIO())
    assert Open311Key.objects.count() == before


def test_the_name_is_required() -> None:
    with pytest.raises(CommandError, match="--name"):
        call_command("create_api_key", stdout=io.StringIO())


def test_the_polmas_command_prints_the_key_last(tmp_path) -> None:
    # Through the real `polmas` entry point, against a throw-away database.
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "POLMAS_VAR_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "polmas.cli"]
    subprocess.run([*run, "migrate", "-v0", "access"], env=env, check=True,  # noqa: S603
                   capture_output=True)
    done = subprocess.run([*run, "create_api_key", "--name", "Lapor App"], env=env,  # noqa: S603
                          check=True, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1].startswith("o311_")
