"""Settings from the environment: strict parsers, and `check --deploy` on real settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from polmas.env import SettingError, check_encryption_keys, env_bool, env_int, env_list

VAR = "POLMAS_TEST_SETTING"


@pytest.mark.parametrize("raw,expected", [("1", True), ("TRUE", True), (" yes ", True), ("on", True),
                                          ("0", False), ("false", False), ("No", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, not expected) is expected


def test_env_bool_rejects_maybe_naming_the_variable(monkeypatch):
    monkeypatch.setenv(VAR, "maybe")
    with pytest.raises(SettingError, match=f"^{VAR}='maybe': expected one of"):
        env_bool(VAR, True)


@pytest.mark.parametrize("raw", [None, ""])
def test_unset_or_empty_variables_take_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv(VAR, raising=False)
    else:
        monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, True) is True
    assert env_int(VAR, 7) == 7
    assert env_list(VAR, ["a"]) == ["a"]


@pytest.mark.parametrize("raw,reason", [
    ("abc", "expected a whole number"), ("1.5", "expected a whole number"),
    ("0", "must be at least 1"), ("-3", "must be at least 1"),
])
def test_env_int_rejects_words_and_values_below_the_minimum(monkeypatch, raw, reason):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(SettingError, match=f"^{VAR}=.*{reason}"):
        env_int(VAR, 5, minimum=1)


def test_env_int_reads_a_number(monkeypatch):
    monkeypatch.setenv(VAR, " 42 ")
    assert env_int(VAR, 5, minimum=1) == 42


def test_env_list_rejects_an_empty_item(monkeypatch):
    monkeypatch.setenv(VAR, "a.example,,b.example")
    with pytest.raises(SettingError, match=f"^{VAR}=.*empty item"):
        env_list(VAR, [])
    monkeypatch.setenv(VAR, " a.example , b.example ")
    assert env_list(VAR, []) == ["a.example", "b.example"]


def test_check_encryption_keys_accepts_a_rotation_list():
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert check_encryption_keys("POLMAS_ENCRYPTION_KEY", f" {new} ,{old}") == [new, old]


# Fixed ids: the generated keys differ in each pytest-xdist worker, which must collect the same tests.
@pytest.mark.parametrize("raw", ["not-a-key", Fernet.generate_key().decode()[:-4],
                                 Fernet.generate_key().decode() + ",oops-this-is-wrong"],
                         ids=["not-a-key", "truncated-key", "good-key-then-garbage"])
def test_check_encryption_keys_rejects_a_malformed_key_without_printing_it(raw):
    with pytest.raises(SettingError, match="^POLMAS_ENCRYPTION_KEY: .* is not a valid key") as exc:
        check_encryption_keys("POLMAS_ENCRYPTION_KEY", raw)
    bad = raw.split(",")[-1]
    assert bad not in str(exc.value)  # only its first characters, to recognise it


@pytest.mark.parametrize("raw", ["", " , "])
def test_check_encryption_keys_rejects_an_empty_list(raw):
    with pytest.raises(SettingError, match="no key given"):
        check_encryption_keys("POLMAS_ENCRYPTION_KEY", raw)


# --- `polmas check --deploy` in a fresh process ---------------------------------------------

def production_env(var_dir: Path, **changes: str | None) -> dict[str, str]:
    """The environment of a production app server; a change of None removes the variable."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POLMAS_", "DJANGO_")) and k != "DATABASE_URL"}
    env |= {
        "POLMAS_VAR_DIR": str(var_dir),
        "POLMAS_DEBUG": "0",
        "POLMAS_SECRET_KEY": secrets.token_urlsafe(64),
        "POLMAS_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "POLMAS_ALLOWED_HOSTS": "polmas.example.org",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "polmas.cli", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_check_deploy_passes_with_production_settings(tmp_path):
    done = check_deploy(production_env(tmp_path / "var"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert not (tmp_path / "var" / "secret_key").exists()
    assert not (tmp_path / "var" / "encryption_key").exists()


@pytest.mark.parametrize("changes,status,expected", [
    ({"POLMAS_SECRET_KEY": None}, 1, "polmas.W001"),
    ({"POLMAS_ENCRYPTION_KEY": None}, 1, "polmas.W002"),
    ({"POLMAS_SECRET_KEY": "", "POLMAS_ENCRYPTION_KEY": ""}, 1, "polmas.W002"),
    ({"POLMAS_SECRET_KEY": "too-short"}, 1, "security.W009"),
    ({"POLMAS_ENCRYPTION_KEY": "not-a-key"}, 2, "POLMAS_ENCRYPTION_KEY"),
    ({"POLMAS_DEBUG": "maybe"}, 2, "POLMAS_DEBUG='maybe'"),
    ({"POLMAS_DEBUG": "1"}, 1, "security.W018"),
])
def test_check_deploy_fails_on_a_missing_or_bad_setting(tmp_path, changes, status, expected):
    done = check_deploy(production_env(tmp_path / "var", **changes))
    assert done.returncode == status, done.stdout + done.stderr
    assert expected in done.stdout + done.stderr
