"""Strict parsers for settings read from environment variables.

A typo in a deployment variable must stop the process with a message that names the
variable, never fall back silently to a default.
"""

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


class SettingError(Exception):
    """An environment variable holds a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise SettingError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise SettingError(f"{name}={raw!r}: empty item in comma-separated list")
    return items


def local_secret(path: Path, make: callable) -> str:
    """Read a development secret kept beside the database, creating it on first use.

    Only used when the environment gives no value; `check --deploy` warns about it.
    """
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def deployment_secret(name: str, generated: Path, make: callable) -> tuple[str, Path | None, bool]:
    """A secret from the environment variable `name`, or from the file named by `name`_FILE
    (a secrets manager's mount, systemd credentials), or else generated once into `generated`.

    Returns (value, the file it was read from or None, whether the deployment gave it).
    `check --deploy` warns about a generated one, and about a file inside the data directory
    or readable by others.
    """
    file_var = f"{name}_FILE"
    value, path = os.environ.get(name, ""), os.environ.get(file_var, "")
    if value and path:
        raise SettingError(f"{name} and {file_var} are both set: set only one")
    if value:
        return value, None, True
    if not path:
        return local_secret(generated, make), generated, False
    try:
        value = Path(path).read_text().strip()
    except OSError as exc:
        raise SettingError(f"{file_var}={path!r}: cannot be read ({exc.strerror})") from None
    if not value:
        raise SettingError(f"{file_var}={path!r}: the file is empty")
    return value, Path(path), True


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_encryption_key() -> str:
    return Fernet.generate_key().decode()


def check_encryption_keys(name: str, raw: str) -> list[str]:
    """Split and validate a comma-separated list of Fernet keys (first one encrypts)."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise SettingError(f"{name}: no key given")
    for key in keys:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise SettingError(
                f"{name}: {key[:6]}... is not a valid key (32 url-safe base64-encoded bytes; "
                "make one with `polmas generate_encryption_key`)"
            ) from None
    return keys


def env_tile_url(name: str) -> tuple[str, str]:
    """A map tile URL template from `name` ("" when unset) and the origin that serves it (for
    the Content-Security-Policy's img-src; "{s}" subdomains become a wildcard). Only http(s)
    templates holding {z}, {x} and {y} are accepted."""
    from urllib.parse import urlsplit

    raw = os.environ.get(name, "").strip()
    if not raw:
        return "", ""
    parts = urlsplit(raw.replace("{s}", "s"))
    if parts.scheme not in ("https", "http") or not parts.netloc or not all(
            k in raw for k in ("{z}", "{x}", "{y}")):
        raise SettingError(f"{name} must be an http(s) URL template with {{z}}, {{x}} and {{y}}, "
                           f"e.g. https://tiles.example.org/{{z}}/{{x}}/{{y}}.png; got {raw!r}")
    host = urlsplit(raw.replace("{s}.", "WILDCARD.").replace("{s}", "s")).netloc
    return raw, f"{parts.scheme}://{host.replace('WILDCARD.', '*.')}"
