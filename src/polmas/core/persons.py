"""A data subject as an administrator names them (UU 27/2022 requests): a phone number, an
e-mail address and/or a name, compared the same way by every room that holds personal data.

Contact columns are encrypted at rest (core.fields), so SQL cannot compare them: each room
narrows its rows in SQL (non-empty contact, a keyed hash where it keeps one) and compares the
decrypted values with `Person.matches_*`.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from polmas.core.validators import to_e164, validate_email_address, validate_phone

_SPACES = re.compile(r"\s+")
# Replaces an erased name or contact wherever a record keeps free text.
ERASED = "[dihapus]"


def canonical_name(value: str) -> str:
    return _SPACES.sub(" ", (value or "").strip()).casefold()


@dataclass(frozen=True)
class Person:
    """Who a request is about. A record is theirs if its phone or e-mail equals one given;
    a name counts only when neither is given (names repeat: many a Made Sudana in Bali)."""

    phone: str = ""
    email: str = ""
    name: str = ""

    @classmethod
    def parse(cls, *, phone: str = "", email: str = "", name: str = "") -> "Person":
        """Checked like intake checks them; ValidationError naming the field."""
        errors: dict[str, list[str]] = {}
        clean = {}
        given = {"phone": phone, "email": email}
        for field, check in (("phone", validate_phone), ("email", validate_email_address)):
            try:
                clean[field] = check(given[field] or "", field=field)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        name = _SPACES.sub(" ", (name or "").strip())
        if len(name) > 150:
            errors["name"] = [_("The name is longer than %(max)d characters.") % {"max": 150}]
        if not errors and not (clean["phone"] or clean["email"] or name):
            errors["phone"] = [_("Give a phone number, an e-mail address or a name.")]
        if errors:
            raise ValidationError(errors)
        return cls(phone=to_e164(clean["phone"]), email=clean["email"].lower(), name=name)

    @property
    def by_name(self) -> bool:
        return not (self.phone or self.email)

    def phone_forms(self) -> list[str]:
        """The spellings a phone may be stored under (+628..., 08...)."""
        if not self.phone:
            return []
        return [self.phone, "0" + self.phone[3:]] if self.phone.startswith("+62") else [self.phone]

    def matches(self, *, phone: str = "", email: str = "", name: str = "") -> bool:
        if self.phone and phone and to_e164(phone) == self.phone:
            return True
        if self.email and email and email.strip().lower() == self.email:
            return True
        return self.by_name and bool(name) and canonical_name(name) == canonical_name(self.name)

    def scrub(self, text: str) -> str:
        """`text` without this person's phone (either spelling), e-mail or name, each where it
        stands as a whole word or number: "Ari" goes, "hari" and "Sari" stay."""
        for value in [*self.phone_forms(), self.email, self.name]:
            if value and len(value) >= 3:
                text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
        return text

    def describe(self) -> dict:
        """For the audit log: which identifiers were given, never their values."""
        return {"by": [k for k in ("phone", "email", "name") if getattr(self, k)]}
