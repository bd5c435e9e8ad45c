"""Deployment checks of our own, run by `polmas check --deploy`."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secrets_from_environment(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    errors = []
    if not settings.SECRET_KEY_FROM_ENV:
        errors.append(
            checks.Warning(
                "POLMAS_SECRET_KEY is not set; a key generated under var/ is in use.",
                hint="Set POLMAS_SECRET_KEY in the environment of every app server.",
                id="polmas.W001",
            )
        )
    if not settings.ENCRYPTION_KEY_FROM_ENV:
        errors.append(
            checks.Warning(
                "POLMAS_ENCRYPTION_KEY is not set; a key generated under var/ is in use, "
                "and personal data encrypted with it is lost if var/ is lost.",
                hint="Set POLMAS_ENCRYPTION_KEY (polmas generate_encryption_key) and back it up.",
                id="polmas.W002",
            )
        )
    return errors
