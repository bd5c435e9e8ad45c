"""Tracking codes: short, unguessable, typed back by hand, stored only as a hash."""

import hashlib
import secrets

# Crockford's base32: no I, L, O, U, so a code read over the phone is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12  # 60 bits


def tracking_code_new() -> str:
    """60 random bits from the OS, written five bits a character."""
    bits = secrets.randbits(5 * LENGTH)
    raw = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize(code: str) -> str | None:
    """Canonical form of a typed code (case, dashes, spaces, O/0 and I/L/1 forgiven), or None."""
    text = (code or "").upper().replace("-", "").replace(" ", "")
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def tracking_hash(code: str) -> str | None:
    canon = normalize(code)
    return hashlib.sha256(canon.encode()).hexdigest() if canon else None


def value_hash(kind: str, value: str) -> str:
    """Hash of a phone, e-mail or client address, for blocks and rate limits (keyed, so the
    table cannot be reversed by hashing every phone number)."""
    from django.conf import settings

    digest = hashlib.blake2b(key=settings.SECRET_KEY.encode()[:64], digest_size=32)
    digest.update(f"{kind}:{value.strip().lower()}".encode())
    return digest.hexdigest()
