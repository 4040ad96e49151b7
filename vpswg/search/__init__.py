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
#: Text beyond this is not indexed: PostgreSQL's tsvector holds at most 1 MB, which a text
#: of unusual words could reach from about 400,000 characters; 200,000 is some 100 pages.
MAX_BODY = 200_000


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
    #: The rows of the objects of ``ids`` that still exist: {object id: (group id, rows)}, in
    #: a constant number of queries whatever the number of ids (a reindex builds a group's
    #: minutes in a few queries, not a few per minutes).
    build: Callable[[list[int]], dict[int, tuple[int, list[Row]]]]
    #: The ids of the active group's objects of this family.
    ids: Callable[[], Iterable[int]]


FAMILIES: dict[str, Family] = {}
#: A reindex builds this many objects at a time (bounded memory, few queries).
BATCH = 200

_local = threading.local()


def register(name: str, build, ids) -> None:
    FAMILIES[name] = Family(name, build, ids)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def suspended() -> Iterator[None]:
    """Make no refresh at all (bulk seeding, which ends with ``reindex_group``)."""
    outer = getattr(_local, "suspended", False)
    _local.suspended = True
    try:
        yield
    finally:
        _local.suspended = outer


def refresh(family: str, object_id: int | None) -> None:
    """Rebuild the rows of one object (inside its group's scope, in the writer's transaction)."""
    if object_id is None:
        return
    refresh_many(family, [object_id])


def refresh_many(family: str, object_ids: Iterable[int]) -> None:
    if getattr(_local, "suspended", False):
        return
    ids = sorted({int(pk) for pk in object_ids if pk is not None})
    if not ids:
        return
    for start in range(0, len(ids), BATCH):
        _refresh_now(family, ids[start : start + BATCH])


@transaction.atomic
def _refresh_now(family_name: str, object_ids: list[int]) -> None:
    family = FAMILIES[family_name]
    _lock(family_name, object_ids)
    built = family.build(object_ids)
    SearchEntry.objects.filter(family=family_name, object_id__in=object_ids).delete()
    stored = []
    for object_id, (group_id, rows) in built.items():
        seen: set[tuple[str, str]] = set()
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
    if not stored:
        return
    SearchEntry.objects.bulk_create(stored, batch_size=500)
    if is_postgres():
        _vectorise(SearchEntry.objects.filter(family=family_name, object_id__in=list(built)))


def _lock(family_name: str, object_ids: list[int]) -> None:
    """Two writers rebuilding the same object's rows at once (a document's text read by the
    worker while the Secretariat saves its details) take turns, until their transactions end:
    without it the second would not see the first's rows to replace and break the unique
    constraint. In ids' order, so two batches never wait on each other in a circle."""
    if not is_postgres():
        return  # SQLite writes one transaction at a time
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), id) FROM unnest(%s::int[]) AS id "
            "ORDER BY id",
            [f"search:{family_name}", sorted(object_ids)],
        )


def _vectorise(queryset) -> None:
    """The rows' tsvector, in its language's configuration (the title weighs more)."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F

    # One vector, in the row's language: the query is parsed in every language's
    # configuration (``query._pg_query``), so a word of another language than the row's is
    # found by its own stem. (A second vector "as written" doubled the rows' width, and the
    # time of every search, for little: docs/scaling.md.)
    queryset.update(
        vector=SearchVector("title", weight="A", config=F("config"))
        + SearchVector("body", weight="B", config=F("config"))
    )


def reindex_group(families: Iterable[str] | None = None) -> int:
    """Rebuild every row of the active group (of ``families``, or all): returns the rows."""
    names = list(families or FAMILIES)
    for name in names:
        SearchEntry.objects.filter(family=name).delete()
        ids = sorted(FAMILIES[name].ids())
        for start in range(0, len(ids), BATCH):
            _refresh_now(name, ids[start : start + BATCH])
    return SearchEntry.objects.filter(family__in=names).count()


#: What of a group its rows are made from: their language's configuration, their dates (in
#: its time zone) and their links (its address).
GROUP_FIELDS = ("default_language", "timezone", "slug")


def _group_before(sender, instance, **kwargs) -> None:
    instance._search_before = (
        sender.objects.filter(pk=instance.pk).values_list(*GROUP_FIELDS).first()
        if instance.pk
        else None
    )


def _group_after(sender, instance, created: bool = False, **kwargs) -> None:
    before = getattr(instance, "_search_before", None)
    if created or before is None:
        return
    if tuple(getattr(instance, name) for name in GROUP_FIELDS) == tuple(before):
        return
    from vpswg.celery import enqueue
    from vpswg.tasks import reindex_search

    group_id = instance.pk

    def rebuild_here() -> None:
        from vpswg.scoping import group_scope

        with group_scope(group_id):
            reindex_group()

    transaction.on_commit(lambda: enqueue(reindex_search, group_id, on_unreachable=rebuild_here))


def connect() -> None:
    """The group's own changes that every row depends on (``vpswg.apps``)."""
    from django.db.models.signals import post_save, pre_save

    from vpswg.models import WorkingGroup

    pre_save.connect(_group_before, sender=WorkingGroup, dispatch_uid="search-group-before")
    post_save.connect(_group_after, sender=WorkingGroup, dispatch_uid="search-group-after")
