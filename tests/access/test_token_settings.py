"""POLMAS_API_TOKEN_TTL_HOURS, POLMAS_API_REFRESH_TTL_DAYS and the old POLMAS_API_TOKEN_TTL_DAYS,
read by the settings in a fresh process, strictly."""

import os
import subprocess
import sys

import pytest

SHOW = ("import django; django.setup(); from django.conf import settings as s; "
        "print(s.API_TOKEN_TTL_HOURS, s.API_REFRESH_TTL_DAYS)")


def settings_with(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("POLMAS_", "DJANGO_")) and k != "DATABASE_URL"}
    base |= {"POLMAS_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "polmas.settings"}
    return subprocess.run([sys.executable, "-c", SHOW], env=base | env,  # noqa: S603
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env,expected", [
    ({}, "24 30"),
    ({"POLMAS_API_TOKEN_TTL_HOURS": "8", "POLMAS_API_REFRESH_TTL_DAYS": "7"}, "8 7"),
    ({"POLMAS_API_TOKEN_TTL_DAYS": "2"}, "48 30"),
])
def test_it_reads_the_lifetimes(tmp_path, env, expected):
    done = settings_with(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected.split()


@pytest.mark.parametrize("env,named", [
    ({"POLMAS_API_TOKEN_TTL_HOURS": "a day"}, "POLMAS_API_TOKEN_TTL_HOURS='a day'"),
    ({"POLMAS_API_TOKEN_TTL_HOURS": "0"}, "must be at least 1"),
    ({"POLMAS_API_REFRESH_TTL_DAYS": "-3"}, "POLMAS_API_REFRESH_TTL_DAYS='-3'"),
    ({"POLMAS_API_TOKEN_TTL_DAYS": "1.5"}, "POLMAS_API_TOKEN_TTL_DAYS='1.5'"),
    ({"POLMAS_API_TOKEN_TTL_DAYS": "1", "POLMAS_API_TOKEN_TTL_HOURS": "8"}, "give only one"),
])
def test_it_stops_on_a_bad_value_naming_it(tmp_path, env, named):
    done = settings_with(tmp_path, **env)
    assert done.returncode != 0
    assert named in done.stderr
