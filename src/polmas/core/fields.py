"""Model fields that keep personal data encrypted at rest."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def cipher() -> MultiFernet:
    """The cipher for POLMAS_ENCRYPTION_KEY; the first key encrypts, all keys decrypt."""
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("encrypted value cannot be read with the configured keys") from exc


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; it cannot be searched or ordered on."""

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str):  # type: ignore[no-untyped-def]
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)
