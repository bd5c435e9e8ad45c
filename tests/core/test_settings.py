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


# --- where the keys are kept (issue 14) ------------------------------------------------------

def key_file(path: Path, value: str, mode: int) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value + "\n")
    path.chmod(mode)
    return str(path)


def test_check_deploy_passes_with_keys_in_files_outside_the_data_directory(tmp_path):
    secrets_dir = tmp_path / "secrets"
    env = production_env(
        tmp_path / "var", POLMAS_SECRET_KEY=None, POLMAS_ENCRYPTION_KEY=None,
        POLMAS_SECRET_KEY_FILE=key_file(secrets_dir / "secret_key", secrets.token_urlsafe(64), 0o600),
        POLMAS_ENCRYPTION_KEY_FILE=key_file(secrets_dir / "encryption_key", Fernet.generate_key().decode(),
                                            0o600))
    done = check_deploy(env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "var" / "encryption_key").exists()


@pytest.mark.parametrize("name,make", [
    ("POLMAS_SECRET_KEY", lambda: secrets.token_urlsafe(64)),
    ("POLMAS_ENCRYPTION_KEY", lambda: Fernet.generate_key().decode()),
])
def test_check_deploy_warns_of_a_key_file_inside_the_data_directory(tmp_path, name, make):
    var = tmp_path / "var"
    env = production_env(var, **{name: None, f"{name}_FILE": key_file(var / "keys" / "k", make(), 0o600)})
    done = check_deploy(env)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "polmas.W003" in out and name in out
    assert "polmas.W004" not in out


def test_check_deploy_warns_of_a_key_file_others_may_read(tmp_path):
    path = key_file(tmp_path / "etc" / "polmas.key", Fernet.generate_key().decode(), 0o644)
    done = check_deploy(production_env(tmp_path / "var", POLMAS_ENCRYPTION_KEY=None,
                                       POLMAS_ENCRYPTION_KEY_FILE=path))
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "polmas.W004" in out and "-rw-r--r--" in out
    assert "polmas.W003" not in out


def test_the_generated_keys_are_reported_as_kept_in_the_data_directory(tmp_path):
    done = check_deploy(production_env(tmp_path / "var", POLMAS_SECRET_KEY=None, POLMAS_ENCRYPTION_KEY=None))
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert "polmas.W001" in out and "polmas.W002" in out and "inside the data directory" in out


@pytest.mark.parametrize("changes,expected", [
    ({"POLMAS_ENCRYPTION_KEY_FILE": "/etc/hostname"},
     "POLMAS_ENCRYPTION_KEY and POLMAS_ENCRYPTION_KEY_FILE are both set"),
    ({"POLMAS_ENCRYPTION_KEY": None, "POLMAS_ENCRYPTION_KEY_FILE": "/nonexistent/polmas.key"},
     "POLMAS_ENCRYPTION_KEY_FILE='/nonexistent/polmas.key': cannot be read"),
    ({"POLMAS_SECRET_KEY": None, "POLMAS_SECRET_KEY_FILE": "/dev/null"},
     "POLMAS_SECRET_KEY_FILE='/dev/null': the file is empty"),
], ids=["both-set", "missing", "empty"])
def test_a_key_file_that_cannot_be_used_stops_the_process_naming_it(tmp_path, changes, expected):
    done = check_deploy(production_env(tmp_path / "var", **changes))
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected in done.stderr
