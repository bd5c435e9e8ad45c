"""Kemendagri region codes: `51`, `51.08`, `51.08.09`, `51.08.09.2007`."""

import re

from django.utils.translation import gettext_lazy as _

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4
LEVEL_LENGTHS = {PROVINCE: 2, REGENCY: 5, DISTRICT: 8, VILLAGE: 13}
LEVEL_NAMES = {
    PROVINCE: _("province"),
    REGENCY: _("regency/city"),
    DISTRICT: _("district"),
    VILLAGE: _("village"),
}
CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", re.ASCII)
# The same rules as patterns for the API's OpenAPI document ([0-9]: \d may take any digit there).
CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
VILLAGE_PATTERN = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
DISTRICT_OR_VILLAGE_PATTERN = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?$"


class InvalidCode(ValueError):
    pass


def is_valid(code: str) -> bool:
    return bool(CODE_RE.fullmatch(code))


def level_of(code: str) -> int:
    """The level of a well-formed code; raises InvalidCode otherwise."""
    if not is_valid(code):
        raise InvalidCode(code)
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def ancestors(code: str) -> list[str]:
    """The code and every prefix above it, shortest first: 51, 51.08, 51.08.09, ..."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def from_digits(raw: str) -> str:
    """Turn the package's plain digits (5108092007) into a dotted code (51.08.09.2007)."""
    d = raw.strip()
    if not d.isdigit() or len(d) not in (2, 4, 6, 10):
        raise InvalidCode(raw)
    pieces = [d[0:2], d[2:4], d[4:6], d[6:10]]
    return ".".join(p for p in pieces if p)
