"""Webhook signatures, computed exactly as the providers specify, compared in constant time."""

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit


def twilio_signature(url: str, params: Iterable[tuple[str, list[str]]], token: str) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by each POST parameter's name
    and value, sorted by name (and values of a repeated name sorted), keyed by the auth token."""
    data = url
    for name, values in sorted(params):
        for value in sorted(set(values)):
            data += name + value
    mac = hmac.new(token.encode(), data.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def _url_variants(url: str) -> list[str]:
    """The URL as given, without its port and with the default port: Twilio signs whichever
    form it was configured with, and proxies differ on whether the port reaches us."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default = "443" if parts.scheme == "https" else "80"
    bare = urlunsplit(parts._replace(netloc=host))
    ported = urlunsplit(parts._replace(netloc=f"{host}:{parts.port or default}"))
    return list(dict.fromkeys([url, bare, ported]))


def twilio_valid(*, url: str, params: Iterable[tuple[str, list[str]]], signature: str,
                 token: str) -> bool:
    if not signature or not token:
        return False
    params = list(params)
    given = signature.strip().encode()
    return any(hmac.compare_digest(twilio_signature(u, params, token).encode(), given)
               for u in _url_variants(url))


def meta_signature(body: bytes, secret: str) -> str:
    """X-Hub-Signature-256 of the WhatsApp Cloud API: "sha256=" + hex HMAC of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_valid(*, body: bytes, signature: str, secret: str) -> bool:
    if not signature or not secret:
        return False
    return hmac.compare_digest(meta_signature(body, secret).encode(), signature.strip().encode())
