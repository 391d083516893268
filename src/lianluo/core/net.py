"""Who is asking: the client's address, the one rule every throttle (intake, votes, sign-in)
keys on.

`X-Forwarded-For` is written by whoever sends the request, so it is trusted only as far as the
operator says proxies of their own sit in front of the application
(`LIANLUO_TRUSTED_PROXIES`, default 0). With none, the address is the peer of the socket
(`REMOTE_ADDR`) and the header is ignored; with N, each of those proxies appended the address it
received from, so the client is the Nth entry from the right — anything further left was written
by the client and may be forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """The address in canonical form, or None when the value is not one (a forged header may
    carry anything). A port some proxies append ("1.2.3.4:5678", "[::1]:5678") is dropped."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as the configured proxies vouch for it (see the module docstring).
    Falls back to the nearest address we can trust when the header is missing, too short or
    malformed: a client never gets to choose its own identity."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    proxies = int(getattr(settings, "LIANLUO_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        # Fewer entries than proxies: the request skipped a proxy (or the count is wrong).
        # The leftmost entry is the furthest one a trusted proxy wrote.
        return (_address(hops[0]) if hops else None) or remote
    return _address(hops[-proxies]) or remote
