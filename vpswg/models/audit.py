"""The append-only audit log: who moved what, from which state to which, and when.

Each group's entries form a hash chain: an entry's ``entry_hash`` covers its content and the
hash of the entry before it in the group (``prev_hash``), so that changing, removing or
inserting a row with SQL breaks the chain at that row (``vpswg.services.audit.verify_chain``;
docs/audit.md says what that proves and what it does not).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vpswg import audit_verbs
from vpswg.scoping import TenantManager, TenantModel, TenantQuerySet

#: The ``prev_hash`` of a group's first entry.
GENESIS = "0" * 64

#: What an entry's hash covers, under these names (a persisted format: changing it means a
#: migration that recomputes every chain).
CHAINED_FIELDS = (
    "working_group_id",
    "actor_id",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "from_state",
    "to_state",
    "data",
    "created_at",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    """``value`` as it reads back from jsonb, so that the hash at insert and at verify agree.

    jsonb stores numbers as ``numeric``: a whole float comes back as ``1.0`` but ``1e20`` comes
    back as ``100000000000000000000``, which Python reads as an int. Whole floats are hashed
    as the int their decimal text denotes, on both sides.
    """
    if isinstance(value, float) and value.is_integer():
        return int(Decimal(repr(value)))
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return value


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def chain_hash(values: Mapping[str, Any]) -> str:
    """The hex SHA-256 of one entry's ``CHAINED_FIELDS`` (``values`` maps each name to its
    value: a model instance's ``__dict__``, a ``values()`` row, a migration's row)."""
    payload = {name: values[name] for name in CHAINED_FIELDS}
    payload["created_at"] = _instant(payload["created_at"])
    payload["data"] = _canonical(payload["data"])
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditManager(TenantManager.from_queryset(AuditQuerySet)):
    pass


class AuditEntry(TenantModel):
    """One event. Rows are never changed or deleted (a database trigger refuses it too).

    Written by ``vpswg.services.audit.record()`` only: it sets ``created_at`` and the two hashes
    under the group's chain lock (``auto_now_add`` would replace the time after it was hashed).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditManager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["working_group", "-created_at"], name="audit_wg_time"),
            models.Index(fields=["working_group", "object_type", "object_id"], name="audit_wg_obj"),
            # The chain's order: the head of a group is one index lookup, a walk one scan.
            models.Index(fields=["working_group", "id"], name="audit_wg_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"

    # What the pages show (``vpswg.audit_verbs``): labels in the reader's language, the codes
    # stored beside them unchanged.

    @property
    def verb_label(self):
        return audit_verbs.verb_label(self.verb)

    @property
    def from_state_label(self):
        return audit_verbs.state_label(self.verb, self.from_state)

    @property
    def to_state_label(self):
        return audit_verbs.state_label(self.verb, self.to_state)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
