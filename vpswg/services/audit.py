"""Writing the audit log. Only services call this, inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.db import models

from vpswg.models import AuditEntry, User, WorkingGroup


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
    """Append one entry. ``data`` must never hold minutes text or who said what."""
    return AuditEntry.objects.create(
        working_group=working_group,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )
