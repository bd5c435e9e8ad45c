"""Deployment checks of our own, run by `polmas check --deploy`."""

import stat
from pathlib import Path

from django.conf import settings
from django.core import checks

# The variable, the setting naming the file it was read from, the setting saying the deployment gave it.
KEYS = (("POLMAS_SECRET_KEY", "SECRET_KEY_FILE", "SECRET_KEY_FROM_ENV"),
        ("POLMAS_ENCRYPTION_KEY", "ENCRYPTION_KEY_FILE", "ENCRYPTION_KEY_FROM_ENV"))


@checks.register(checks.Tags.security, deploy=True)
def secrets_from_environment(app_configs, **kwargs):
    errors = []
    if not settings.SECRET_KEY_FROM_ENV:
        errors.append(
            checks.Warning(
                "POLMAS_SECRET_KEY is not set; a key generated under var/ is in use, inside the "
                "data directory: a copy of the data carries the key with it.",
                hint="Set POLMAS_SECRET_KEY (or POLMAS_SECRET_KEY_FILE, outside the data "
                "directory) in the environment of every app server.",
                id="polmas.W001",
            )
        )
    if not settings.ENCRYPTION_KEY_FROM_ENV:
        errors.append(
            checks.Warning(
                "POLMAS_ENCRYPTION_KEY is not set; a key generated under var/ is in use, "
                "and personal data encrypted with it is lost if var/ is lost, or readable by "
                "whoever holds a copy of var/.",
                hint="Set POLMAS_ENCRYPTION_KEY (polmas generate_encryption_key), or "
                "POLMAS_ENCRYPTION_KEY_FILE outside the data directory, and back the key up "
                "apart from the database.",
                id="polmas.W002",
            )
        )
    return errors


def data_directories() -> list[Path]:
    """Where the data lives and is backed up (or, for static files, served from): var/, the
    uploads, the collected static files and the SQLite database's directory."""
    dirs = [Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT)]
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) != ":memory:":
        dirs.append(Path(db["NAME"]).parent)
    return [d.resolve() for d in dirs]


@checks.register(checks.Tags.security, deploy=True)
def key_files(app_configs, **kwargs):
    """A key read from a file the deployment named: not beside the data, not readable by others."""
    errors = []
    for name, setting, given in KEYS:
        path = getattr(settings, setting, None)
        if path is None:
            continue
        path = Path(path).resolve()
        inside = next((d for d in data_directories() if path.is_relative_to(d)), None)
        # A generated key is inside var/ by construction: W001/W002 say so already.
        if inside is not None and getattr(settings, given):
            errors.append(checks.Warning(
                f"{name} is read from {path}, inside the data directory {inside}: a backup or "
                "copy of the data carries the key that protects it.",
                hint="Keep the key in the environment, a secrets manager, or a file outside the "
                f"data directory ({name}_FILE), with permissions 0600.",
                id="polmas.W003",
            ))
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            errors.append(checks.Warning(
                f"{name} is read from {path}, which users other than its owner may read "
                f"(permissions {stat.filemode(mode)}).",
                hint=f"chmod 600 {path}, owned by the user the app servers run as.",
                id="polmas.W004",
            ))
    return errors
