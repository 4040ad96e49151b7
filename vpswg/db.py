"""Where reads go: reports may read from a replica (docs/scaling.md).

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database and this router
sends the reads made inside ``reporting()`` to it: the report pages, the CSV export and the
annual report, whose aggregates over years of history are what a busy primary can do
without. Everything else, and every write, goes to the primary. A replica lags by a moment,
which a report can afford and a page the user has just changed could not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("vpswg_reporting", default=False)


@contextmanager
def reporting() -> Iterator[None]:
    """Reads inside this block may come from the replica."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


@contextmanager
def primary() -> Iterator[None]:
    """Reads inside this block go to the primary, even inside ``reporting()``: what is kept
    (``vpswg.groupcache``) must not keep a replica's lag."""
    token = _reporting.set(False)
    try:
        yield
    finally:
        _reporting.reset(token)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReportsRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and has_replica():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every row may relate to every other

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
