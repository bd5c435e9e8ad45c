"""Validators shared by every room: contact details, and text that can be stored at all."""

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


def to_e164(phone: str) -> str:
    """The number in international form, separators dropped: 0812... and +62 812-... both as
    +62812...; anything else as given."""
    value = _PHONE_SEPARATORS.sub("", phone or "")
    return "+62" + value[1:] if value.startswith("0") else value


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


# Text no database stores as sent: NUL (PostgreSQL refuses it in text) and UTF-16 surrogates
# standing alone, which a JSON escape such as "\ud800" or a body in UTF-7 can carry into a
# Python string but no UTF-8 encoder can write (SQLite and PostgreSQL alike answer with an
# exception, a 500 where nobody checked).
_SURROGATES = re.compile("[\ud800-\udfff]")
_NUL = "\x00"


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text (an unpaired surrogate, NUL), or None."""
    if _SURROGATES.search(value):
        return _("The text contains an invalid character (an unpaired surrogate).")
    if _NUL in value:
        return _("The text contains control characters.")
    return None


def surrogates_replaced(value: str) -> str:
    """`value` with each unpaired surrogate replaced by U+FFFD, for text that must be taken
    as it comes: a provider's webhook resends whatever it is refused."""
    return _SURROGATES.sub("\ufffd", value)
