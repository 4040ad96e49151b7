"""What a request found kept, for the benchmark only (``bench.settings``): every lookup of a
kept rendering (``vpswg.groupcache.GroupCache.get_or_set``, by cache name), of a frozen
minutes version's HTML kept in the process (``minutes:rendered:``, as ``rendered``), of the
user's permissions kept in the process (``vpswg:perms:``, as ``perms``) and of a privileged
user's "has a second factor" kept in Redis (``mfa:totp:``, as ``totp``), each a hit or a miss.
``bench.middleware`` returns them in the ``X-Bench-Cache`` header, so that the load generator
can put the hit ratio and the query count of each response side by side.

The product's code is not changed: ``GroupCache.get_or_set`` is wrapped once per process, and
the two caches are subclasses of Django's backends, named in the settings.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

#: The lookups of the request being served: (name, hit), in order.
_lookups: ContextVar[list[tuple[str, bool]] | None] = ContextVar("bench_kept", default=None)

#: Keys that are counted, by prefix, and the name they count as: of the process-local cache,
#: and of the shared one (the values kept through ``GroupCache`` are counted by its wrapper).
LOCAL_PREFIXES = {"minutes:rendered:": "rendered", "vpswg:perms:": "perms"}
SHARED_PREFIXES = {"mfa:totp:": "totp"}


def note(name: str, hit: bool) -> None:
    lookups = _lookups.get()
    if lookups is not None:
        lookups.append((name, hit))


def start() -> object:
    return _lookups.set([])


def finish(token) -> str:
    """The request's lookups as a header value: ``meetings=hit,perms=miss`` (``-``: none)."""
    lookups = _lookups.get() or []
    _lookups.reset(token)
    return ",".join(f"{name}={'hit' if hit else 'miss'}" for name, hit in lookups) or "-"


def _count(prefixes: dict[str, str], key, found: bool) -> None:
    for prefix, name in prefixes.items():
        if isinstance(key, str) and key.startswith(prefix):
            note(name, found)
            return


class CountedLocMemCache(LocMemCache):
    """``caches["local"]``, counting the lookups of ``LOCAL_PREFIXES``."""

    def get(self, key, default=None, version=None):
        value = super().get(key, default, version)
        _count(LOCAL_PREFIXES, key, value is not default)
        return value


class CountedRedisCache(RedisCache):
    """``caches["default"]``, counting the lookups of ``SHARED_PREFIXES``."""

    def get(self, key, default=None, version=None):
        value = super().get(key, default, version)
        _count(SHARED_PREFIXES, key, value is not default)
        return value


_installed = False


def install() -> None:
    """Wrap ``GroupCache.get_or_set`` (once per process): a lookup whose ``compute`` runs is
    a miss (the value drawn), any other a hit."""
    global _installed
    if _installed:
        return
    from vpswg.groupcache import GroupCache

    original = GroupCache.get_or_set

    def get_or_set(self, group_id, parts, compute, seconds=None):
        drawn = False

        def counted():
            nonlocal drawn
            drawn = True
            return compute()

        value = original(self, group_id, parts, counted, seconds)
        note(self.name, not drawn)
        return value

    GroupCache.get_or_set = get_or_set
    _installed = True
