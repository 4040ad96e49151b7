"""Where reads go: reports may read from a replica (docs/scaling.md).

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database and this router
sends the reads made inside ``reporting()`` to it: the state-participation report, the CSV
export and the annual report, whose aggregates over years of history are what a busy primary
can do without. Everything else, and every write, goes to the primary.

A replica lags, by a moment or, when replay stalls, by hours. Each ``reporting()`` block asks
first how far behind the replica is (one query on each database): a report that is shown and
read anew on every request may come from a replica up to ``DATABASE_REPLICA_MAX_LAG`` seconds
behind, and then says when its figures were current (``Source.as_of``); what is kept or handed
out as a file (the CSV, the annual report) is read from the replica only when it has replayed
everything the primary had written, and from the primary otherwise. A replica that does not
answer is skipped, not an error page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("vpswg_reporting", default=False)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """Where a report's reads go. ``as_of``: set when they go to a replica that is behind the
    primary, the time of the last change it has replayed (what the figures are current to)."""

    database: str = "default"
    as_of: datetime | None = None


def choose_source(*, fresh: bool) -> Source:
    """The replica if it is close enough (``fresh``: caught up with the primary), else the
    primary. Two queries when there is a replica, none otherwise."""
    if not has_replica():
        return Source()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (written,) = cursor.fetchone()
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()) <= 0,"
                " pg_last_xact_replay_timestamp(), now()",
                [written],
            )
            caught_up, replayed, now = cursor.fetchone()
    except DatabaseError:
        logger.warning("the replica does not answer: reports read the primary", exc_info=True)
        connections[REPLICA].close()
        return Source()
    if caught_up:
        return Source(REPLICA)
    if fresh or replayed is None:
        return Source()
    if (now - replayed).total_seconds() > settings.DATABASE_REPLICA_MAX_LAG:
        logger.info("the replica is %s behind: reports read the primary", now - replayed)
        return Source()
    return Source(REPLICA, as_of=replayed)


@contextmanager
def reporting(*, fresh: bool = False) -> Iterator[Source]:
    """Reads inside this block may come from the replica (``choose_source``); the block is
    given where they go, for the page to say how old its figures are. ``fresh`` for what
    outlives the request (a file handed out, a report kept): the replica only if caught up."""
    source = choose_source(fresh=fresh)
    token = _reporting.set(source.database == REPLICA)
    try:
        yield source
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
