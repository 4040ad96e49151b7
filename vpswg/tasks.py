"""Celery tasks of the project package: thin wrappers over services."""

from __future__ import annotations

from django.db import utils as db_errors

from vpswg.celery import TenantTask, app
from vpswg.services import notifications


@app.task(
    name="vpswg.deliver_notifications",
    base=TenantTask,
    bind=True,
    # The database restarting under a delivery (a failover, a deploy): try again in 2, 4, 8…
    # seconds rather than leave the rows to the sweep's next pass. A notice sent but not yet
    # marked when the database went away is the one that can be sent twice (docs/scaling.md).
    autoretry_for=(db_errors.OperationalError, db_errors.InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=6,
)
def deliver_notifications(self, working_group_id: int, notification_ids: list[int]) -> dict:
    """Send pending outbox rows; rows that failed are retried after their backoff."""
    result = notifications.deliver(notification_ids)
    if result.failed and result.retry_in is not None:
        self.apply_async((working_group_id, result.failed), countdown=result.retry_in)
    return {"sent": len(result.sent), "failed": len(result.failed), "skipped": len(result.skipped)}


@app.task(name="vpswg.sweep_outbox")
def sweep_outbox() -> int:
    """Periodic safety net: dispatch rows whose delivery was lost or whose retry is due."""
    return notifications.sweep()


@app.task(name="vpswg.reindex_search", base=TenantTask)
def reindex_search(working_group_id: int) -> int:
    """Rebuild a group's search index (its language, time zone or address changed: every
    row's configuration, dates or links with it)."""
    from vpswg import search

    return search.reindex_group()
