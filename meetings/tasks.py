"""Celery tasks of the meetings app: thin wrappers over services."""

from __future__ import annotations

from vpswg.celery import TenantTask, app
from vpswg.models import WorkingGroup


@app.task(name="meetings.convening", base=TenantTask)
def convening(working_group_id: int) -> dict:
    from meetings.services.convening import run

    summary = run(WorkingGroup.objects.get(pk=working_group_id))
    return {
        "plan_reminder": summary.plan_reminder,
        "convened": summary.convened,
        "rsvp_reminders": summary.rsvp_reminders,
        "after_reminders": summary.after_reminders,
    }


@app.task(name="meetings.daily")
def daily() -> int:
    """Fan out the convening job, one task per group (each runs in its group's scope)."""
    ids = list(WorkingGroup.objects.values_list("pk", flat=True))
    for pk in ids:
        convening.delay(pk)
    return len(ids)
