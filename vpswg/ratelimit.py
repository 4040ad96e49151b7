"""Rate limits in the default cache (Redis in production and tests), and the client address
they are counted by.

allauth limits its own views (sign-in, second factor, password reset); this module guards ours
(the application form, the status lookup). Both count by ``client_ip``: behind the TLS proxy
that production requires, ``REMOTE_ADDR`` is the proxy's address for every client, so one
bucket would be shared by everyone and ten failures from anyone would lock everyone out.
``TRUSTED_PROXY_COUNT`` says how many proxies in front of the application append to
``X-Forwarded-For``; the client is the address the outermost of them saw. A header the client
sent itself is ignored (it is to the left of what the trusted proxies appended).
"""

from __future__ import annotations

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the outermost trusted proxy saw it (``REMOTE_ADDR`` when the
    application is reached directly, ``TRUSTED_PROXY_COUNT`` = 0)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        # Fewer proxies than configured appended to the header: the request did not come the
        # way the operator said. Count it by the address that reached us, which is real.
        if hops:
            logger.warning(
                "X-Forwarded-For has %s entries, TRUSTED_PROXY_COUNT is %s", len(hops), count
            )
        return remote
    return _valid(hops[-count]) or remote


def allow(
    request: HttpRequest, *, action: str, limit: int, per_seconds: int, key: str = ""
) -> bool:
    """Count this request; False once ``limit`` requests fell in the window, counted by the
    client's address, or by ``key`` when given (e.g. an e-mail address or an account)."""
    window = int(time.time()) // per_seconds
    bucket = f"rl:{action}:{key or client_ip(request)}:{window}"
    if cache.add(bucket, 1, timeout=per_seconds):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add() and incr()
        cache.add(bucket, 1, timeout=per_seconds)
        return True
    return count <= limit
