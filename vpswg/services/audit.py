"""Writing the audit log, and checking that it is what was written (docs/audit.md).

Only services write it, inside the transaction of the change. Each group's entries are a hash
chain in ``id`` order (``vpswg.models.audit.chain_hash``): ``record()`` appends under a lock
per group so that two transactions never chain onto the same entry; ``verify_chain()`` walks
a group's chain and names the first entry that does not verify. The Secretariat's audit page
and ``manage.py verify_audit`` both read its report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vpswg.models import AuditEntry, User, WorkingGroup
from vpswg.models.audit import CHAINED_FIELDS, GENESIS, chain_hash

#: The first key of ``pg_advisory_xact_lock(class, group_id)``: "audt", so that the chain's
#: locks never meet another use of advisory locks keyed on a group id.
LOCK_CLASS = 0x61756474

#: How long the audit page trusts a full walk of the chain (see ``chain_status``).
CHAIN_CACHE_SECONDS = 300

_WALK_FIELDS = ("id", *CHAINED_FIELDS, "entry_hash")
_WALK_CHUNK = 2000


def record(
    *,
    working_group: WorkingGroup,
    actor: User | None,
    verb: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``data`` must never hold minutes text or who said what.

    The group's chain lock is held until the caller's transaction ends, so an entry written
    by another transaction meanwhile chains onto this one instead of forking the chain.
    """
    entry = AuditEntry(
        working_group=working_group,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        from_state=from_state,
        to_state=to_state,
        data=_as_stored(data or {}),
    )
    using = router.db_for_write(AuditEntry)
    with _in_transaction(using):
        entry.prev_hash = _lock_head(working_group, using)
        entry.created_at = timezone.now()
        entry.entry_hash = chain_hash(entry.__dict__)
        entry.save(force_insert=True, using=using)
    return entry


def record_many(*, working_group: WorkingGroup, entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Append unsaved entries of one group at once (bulk data: the scale seeder), chained in
    the order given, under the same lock as ``record()``."""
    using = router.db_for_write(AuditEntry)
    with _in_transaction(using):
        prev_hash = _lock_head(working_group, using)
        for entry in entries:
            if entry.working_group_id != working_group.pk:
                raise ValueError("record_many() appends to one group's chain at a time.")
            entry.data = _as_stored(entry.data or {})
            entry.prev_hash = prev_hash
            entry.entry_hash = prev_hash = chain_hash(entry.__dict__)
        return AuditEntry.objects.using(using).bulk_create(entries)


def _as_stored(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as jsonb will give it back (string keys, lists for tuples): the value hashed
    is then the value stored."""
    return json.loads(json.dumps(data))


def _in_transaction(using: str) -> AbstractContextManager:
    """Services call ``record()`` inside their transaction; a caller outside one gets its own,
    so that the lock is held until the entry is committed."""
    if transaction.get_connection(using).in_atomic_block:
        return nullcontext()
    return transaction.atomic(using=using)


def _lock_head(working_group: WorkingGroup, using: str) -> str:
    """Take the group's chain lock, then read the hash of its last entry.

    The read comes after the lock, in a statement of its own: under READ COMMITTED it then
    sees the entry of the transaction that held the lock before. SQLite (the embedded demo)
    needs no lock: it has one writer at a time.
    """
    connection = transaction.get_connection(using)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, working_group.pk])
    head = (
        AuditEntry.objects.using(using)
        .filter(working_group=working_group)
        .order_by("-id")
        .values_list("entry_hash", flat=True)
        .first()
    )
    return GENESIS if head is None else head


# --- Verifying ------------------------------------------------------------------------------


class Break(models.TextChoices):
    """Why an entry does not verify."""

    ALTERED = "altered", _("its content was changed after it was written")
    UNLINKED = (
        "unlinked",
        _("it does not follow the entry before it: an entry was removed or inserted"),
    )
    UNSEALED = "unsealed", _("it carries no hash: it was not written by the audit service")
    ANCHOR = "anchor", _("it is not the entry recorded with this hash: the log was rewritten")


@dataclass(frozen=True)
class ChainReport:
    """What a walk of one group's chain found.

    ``entries``, ``head`` and ``last_id`` describe the entries that verify, in order (all of
    them when ``ok``; ``head`` is ``GENESIS`` for an empty log). ``first_bad_*`` and
    ``reason`` name the first entry that does not.
    """

    ok: bool
    entries: int
    head: str
    last_id: int | None
    first_bad_id: int | None = None
    first_bad_at: datetime | None = None
    first_bad_verb: str = ""
    reason: str = ""
    #: When the whole chain was last walked (``time.time()``), for ``chain_status``.
    walked_at: float = 0.0

    @property
    def explanation(self) -> str:
        return str(Break(self.reason).label) if self.reason else ""


def verify_chain(group: WorkingGroup, *, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Walk the group's entries in ``id`` order, recomputing each hash and link, and stop at
    the first that does not verify. Constant memory: the rows are streamed in chunks.

    ``anchor`` is an entry's id and its hash (or the first twelve or more hex digits of it)
    as an earlier ``verify_audit`` printed them. Someone who rewrites the log can recompute
    every hash from the changed entry on, and that chain verifies on its own; the anchored
    entry then no longer has its recorded hash, or is gone.
    """
    report = _walk(_rows(group), GENESIS, 0, None)
    if not report.ok or anchor is None:
        return report
    anchor_id, anchor_hash = anchor
    kept = (
        AuditEntry.objects.filter(working_group=group, id=anchor_id)
        .values("created_at", "verb", "entry_hash")
        .first()
    )
    if kept is not None and kept["entry_hash"].startswith(anchor_hash.lower()):
        return report
    return replace(
        report,
        ok=False,
        first_bad_id=anchor_id,
        first_bad_at=kept["created_at"] if kept else None,
        first_bad_verb=kept["verb"] if kept else "",
        reason=Break.ANCHOR,
    )


def chain_status(group: WorkingGroup) -> ChainReport:
    """The report the audit page shows, at a constant cost per view: one query (two when
    the kept head itself no longer verifies).

    A full walk is kept in the default cache for ``CHAIN_CACHE_SECONDS``. Until then, each
    view walks only the entries written since (from the kept head on, which must itself
    still verify), so a new entry is covered at once without walking the whole log again;
    the kept report then lives out the rest of the full walk's time, after which the whole
    chain is walked again. A change to an old entry therefore shows within five minutes
    (at once when the cache is cleared, and at once from ``verify_audit``). A report that
    does not verify is not kept: it is walked again on each view until someone acts on it.
    """
    key = cache_key(group.pk)
    kept: ChainReport | None = cache.get(key)
    now = time.time()
    report = None
    if kept is not None and kept.last_id is not None and now - kept.walked_at < CHAIN_CACHE_SECONDS:
        report = _walk_on(group, kept)
    if report is None:
        report = replace(verify_chain(group), walked_at=now)
    if report.ok:
        cache.set(key, report, max(1, int(report.walked_at + CHAIN_CACHE_SECONDS - now)))
    else:
        cache.delete(key)
    return report


def cache_key(group_id: int) -> str:
    """Versioned: a report kept by an older release (another ``ChainReport``) is not read."""
    return f"audit-chain:1:{group_id}"


def _walk_on(group: WorkingGroup, kept: ChainReport) -> ChainReport | None:
    """The chain from a kept report's last entry on; None when that entry no longer verifies
    as it did (then only a full walk can say where the chain breaks)."""
    rows = iter(_rows(group, from_id=kept.last_id))
    first = next(rows, None)
    if first is None or first["id"] != kept.last_id or first["entry_hash"] != kept.head:
        return None
    if chain_hash(first) != kept.head:
        return None
    report = _walk(rows, kept.head, kept.entries, kept.last_id)
    return replace(report, walked_at=kept.walked_at)


def _rows(group: WorkingGroup, from_id: int | None = None) -> Iterable[dict[str, Any]]:
    entries = AuditEntry.objects.filter(working_group=group)
    if from_id is not None:
        entries = entries.filter(id__gte=from_id)
    return entries.order_by("id").values(*_WALK_FIELDS).iterator(chunk_size=_WALK_CHUNK)


def _walk(
    rows: Iterable[dict[str, Any]], head: str, entries: int, last_id: int | None
) -> ChainReport:
    for row in rows:
        reason = _break(row, head)
        if reason is not None:
            return ChainReport(
                ok=False,
                entries=entries,
                head=head,
                last_id=last_id,
                first_bad_id=row["id"],
                first_bad_at=row["created_at"],
                first_bad_verb=row["verb"],
                reason=reason,
            )
        head, last_id, entries = row["entry_hash"], row["id"], entries + 1
    return ChainReport(ok=True, entries=entries, head=head, last_id=last_id)


def _break(row: dict[str, Any], head: str) -> Break | None:
    if not row["entry_hash"]:
        return Break.UNSEALED
    if chain_hash(row) != row["entry_hash"]:
        return Break.ALTERED
    if row["prev_hash"] != head:
        return Break.UNLINKED
    return None
