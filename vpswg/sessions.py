"""The session store: Django's cache store (sessions in Redis), except that a cache it cannot
reach is an error, not an empty session.

Django's ``load`` reads any exception from the cache as "no such session" (memcached raises on
keys it refuses). On Redis that turns a restart of a fraction of a second into signing people
out: the request is served as someone signed out (a public page answers 200), and the
response deletes the session cookie, so the session Redis kept (``docker-compose.yml`` runs it
with its append-only file) is never read again. Here the request fails instead, with the cookie
left alone, and the next one, once Redis is back, finds the session (the restart drill of
``make bench`` measures it).
"""

from __future__ import annotations

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore


class SessionStore(CacheSessionStore):
    def load(self):
        session_data = self._cache.get(self.cache_key)  # unreachable: raises, the cookie stays
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}
