"""One way to move a row from one state to another (pretalx's one function per transition, its
tail written once): check the state it is in, save only what changed, and log the move."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from vpswg.models import User
from vpswg.services.audit import record


def transition(
    obj: models.Model,
    *,
    to: str,
    verb: str,
    actor: User | None,
    allowed_from: Iterable[str] | None = None,
    refusal: ValidationError | None = None,
    field: str = "status",
    also: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    audited_obj: models.Model | None = None,
) -> str:
    """Move ``obj``'s ``field`` to ``to`` and return the state it was in.

    ``allowed_from``: the states the move may start from; in any other, ``refusal`` is raised
    (the caller's message, in its own exception class) and nothing is written. ``also``: other
    fields set by the same move, saved with it (``update_fields``: nothing else of the row is
    written). The audit entry (``verb``, from and to states, ``data``) is written in the same
    transaction; the caller holds the row lock (``select_for_update``) where two requests
    could race.
    """
    previous = getattr(obj, field)
    if allowed_from is not None and previous not in set(allowed_from):
        raise refusal or ValidationError("This step is not possible now.")
    setattr(obj, field, to)
    fields = [field]
    for name, value in (also or {}).items():
        setattr(obj, name, value)
        fields.append(name)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    record(
        working_group=obj.working_group,
        actor=actor,
        verb=verb,
        obj=audited_obj or obj,
        from_state=previous,
        to_state=to,
        data=data,
    )
    return previous
