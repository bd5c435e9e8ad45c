"""The caller's address: one rule for every door (the report form, the API, Open311, the
login lockout)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, the key for the hourly limit, blocks and the login lockout.

    X-Forwarded-For counts only behind a known number of our own proxies (NINJA_NUM_PROXIES,
    or one with POLMAS_BEHIND_PROXY), and then only the hop the nearest trusted proxy added:
    anything before it the client could have written itself. What that hop holds must be an
    address, else the connecting address counts."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NINJA_NUM_PROXIES", None) or (1 if settings.POLMAS_BEHIND_PROXY else 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if not hops:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-min(proxies, len(hops))]))
    except ValueError:
        return remote
