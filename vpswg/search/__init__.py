"""Search: the index (``SearchEntry``) and how it is kept current.

Each app registers the families of rows it makes (``register``): a function that builds the
rows of one object (a meeting's agenda, one minutes, a document) from the database, and the
ids of all of a group's objects (for ``manage.py reindex``). The services that write call
``refresh(family, id)`` in the same transaction (and models' signals do, for ordinary saves),
so the index changes, or rolls back, with the data: the index lives in the same database, and
a row found is never older than the last commit.

Rows are built for a permission, not for a person (``SearchEntry.requires``): the query keeps
the rows the reader's permissions name, in SQL, so a hidden row is never ranked, counted or
quoted (``vpswg.search.query``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from vpswg.models import SearchEntry

logger = logging.getLogger(__name__)

#: The PostgreSQL text search configuration of each shipped language.
CONFIGS = {"es": "spanish", "en": "english", "fr": "french"}
#: Text beyond this is not indexed (PostgreSQL's tsvector holds at most 1 MB; a 300-page
#: report is about 600,000 characters).
MAX_BODY = 400_000


#: The marks ``ts_headline`` puts around a match (``vpswg.search.query``): control
#: characters, removed from every text indexed (``clean``), so that a snippet is escaped whole
#: and only these become <mark>.
START, STOP = "\x02", "\x03"


def clean(text: str) -> str:
    return (text or "").replace(START, " ").replace(STOP, " ")


def config_for(language: str) -> str:
    return CONFIGS.get((language or "")[:2], "simple")


@dataclass
class Row:
    """One row of a family, before it is stored."""

    kind: str
    title: str
    url: str
    requires: str
    body: str = ""
    part: str = ""
    rendering: str = ""
    date: date | None = None
    closed_meeting_id: int | None = None
    language: str = ""


@dataclass(frozen=True)
class Family:
    name: str
    #: The object's group id and rows; (None, []) when it is gone (its rows are removed).
    build: Callable[[int], tuple[int | None, list[Row]]]
    #: The ids of the active group's objects of this family.
    ids: Callable[[], Iterable[int]]


FAMILIES: dict[str, Family] = {}

_local = threading.local()


def register(name: str, build, ids) -> None:
    FAMILIES[name] = Family(name, build, ids)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def deferred() -> Iterator[None]:
    """Collect refreshes and make each once, at the end (seeding, an import, a reindex): a
    minutes of forty statements saved one by one is rebuilt once, not forty times."""
    outer = getattr(_local, "pending", None)
    if outer is not None:
        yield
        return
    _local.pending = {}
    try:
        yield
        pending = _local.pending
    finally:
        _local.pending = None
    for family, object_id in pending:
        _refresh_now(family, object_id)


def refresh(family: str, object_id: int | None) -> None:
    """Rebuild the rows of one object (inside its group's scope, in the writer's transaction)."""
    if object_id is None:
        return
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending[(family, int(object_id))] = None
        return
    _refresh_now(family, int(object_id))


def refresh_many(family: str, object_ids: Iterable[int]) -> None:
    for object_id in object_ids:
        refresh(family, object_id)


@transaction.atomic
def _refresh_now(family_name: str, object_id: int) -> None:
    family = FAMILIES[family_name]
    group_id, rows = family.build(object_id)
    SearchEntry.objects.filter(family=family_name, object_id=object_id).delete()
    if group_id is None or not rows:
        return
    seen: set[tuple[str, str]] = set()
    stored = []
    for row in rows:
        if (row.part, row.rendering) in seen:
            continue
        seen.add((row.part, row.rendering))
        stored.append(
            SearchEntry(
                working_group_id=group_id,
                kind=row.kind,
                family=family_name,
                object_id=object_id,
                part=row.part[:40],
                rendering=row.rendering,
                requires=row.requires,
                closed_meeting_id=row.closed_meeting_id,
                title=clean(row.title)[:300],
                body=clean(row.body)[:MAX_BODY],
                date=row.date,
                url=row.url[:300],
                config=config_for(row.language),
            )
        )
    SearchEntry.objects.bulk_create(stored)
    if is_postgres():
        _vectorise(SearchEntry.objects.filter(family=family_name, object_id=object_id))


def _vectorise(queryset) -> None:
    """The rows' tsvector, in its language's configuration (the title weighs more), and as
    written."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F

    queryset.update(
        vector=SearchVector("title", weight="A", config=F("config"))
        + SearchVector("body", weight="B", config=F("config"))
        # The words as written too: a name, or a word of another language than the row's,
        # is found as typed whatever the stemming of either (``query._pg_query``).
        + SearchVector("title", "body", weight="D", config="simple")
    )


def reindex_group(families: Iterable[str] | None = None) -> int:
    """Rebuild every row of the active group (of ``families``, or all): returns the rows."""
    names = list(families or FAMILIES)
    with deferred():
        for name in names:
            SearchEntry.objects.filter(family=name).delete()
            refresh_many(name, list(FAMILIES[name].ids()))
    return SearchEntry.objects.filter(family__in=names).count()
