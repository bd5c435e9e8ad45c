"""Model fields that keep personal data encrypted at rest."""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    def get_lookup(self, lookup_name: str):
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)


class EncryptedJSONField(models.TextField):
    """A JSON value (dict, list, ...) stored as a Fernet token of its JSON text; it cannot be
    searched or ordered on (only `isnull`)."""

    description = "JSON stored encrypted"

    def get_prep_value(self, value: object) -> object:
        # Not TextField's, which would turn the value into str() rather than JSON.
        if value is None:
            return None
        return encrypt(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))

    def from_db_value(self, value: str | None, expression: object, connection: object) -> object:
        if value is None:
            return None
        return json.loads(decrypt(value))

    def to_python(self, value: object) -> object:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise ValidationError(_("Enter valid JSON."), code="invalid") from None
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder, ensure_ascii=False)

    def formfield(self, **kwargs):
        return super(models.TextField, self).formfield(**{"form_class": forms.JSONField, **kwargs})

    def get_lookup(self, lookup_name: str):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str):
        return None
