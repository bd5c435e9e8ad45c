"""Validators for contact details, shared by every room that stores them."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

_PHONE_SEPARATORS = re.compile(r"[\s().-]")
_PHONE_RE = re.compile(r"(?:0|\+62)8[0-9]+", re.ASCII)


def validate_phone(phone: str, *, field: str = "phone") -> str:
    """An Indonesian mobile number (08... or +628..., 9 to 15 digits) without separators;
    "" stays "". ValidationError on `field` otherwise."""
    value = _PHONE_SEPARATORS.sub("", phone or "")
    if not value:
        return ""
    digits = sum(c.isdigit() for c in value)
    if not (_PHONE_RE.fullmatch(value) and 9 <= digits <= 15):
        raise ValidationError({field: _(
            "%(value)s is not an Indonesian phone number (08... or +628..., 9 to 15 digits)."
        ) % {"value": phone.strip()}})
    return value


def validate_email_address(email: str, *, field: str = "email") -> str:
    """The address stripped of spaces ("" allowed); ValidationError on `field` if malformed."""
    value = (email or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({field: _("%(value)s is not a valid e-mail address.")
                                   % {"value": value}}) from None
    return value
