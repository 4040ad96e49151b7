"""A small fixed-window rate limit in the default cache (Redis in production and tests).

allauth limits its own views; this guards ours (e.g. the application status lookup, which
would otherwise let anyone try references and addresses).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def allow(request: HttpRequest, *, action: str, limit: int, per_seconds: int) -> bool:
    """Count this request; False once ``limit`` requests from its address fell in the window."""
    window = int(time.time()) // per_seconds
    key = f"rl:{action}:{client_ip(request)}:{window}"
    if cache.add(key, 1, timeout=per_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=per_seconds)
        return True
    return count <= limit
