"""Celery tasks of the membership app: thin wrappers over services."""

from __future__ import annotations

from vpswg.celery import TenantTask, app
from vpswg.models import WorkingGroup


@app.task(name="members.report_reminders", base=TenantTask)
def report_reminders(working_group_id: int) -> int:
    from members.services.compliance import send_report_reminders

    return send_report_reminders(WorkingGroup.objects.get(pk=working_group_id))


@app.task(name="members.expire_unconfirmed", base=TenantTask)
def expire_unconfirmed(working_group_id: int) -> int:
    from members.services.applications import expire_unconfirmed as expire

    return expire(WorkingGroup.objects.get(pk=working_group_id))


@app.task(name="members.daily")
def daily() -> int:
    """Fan out the daily membership jobs, one task per group (each in its own scope)."""
    for pk in WorkingGroup.objects.values_list("pk", flat=True):
        expire_unconfirmed.delay(pk)
    ids = list(
        WorkingGroup.objects.filter(annual_report_required=True).values_list("pk", flat=True)
    )
    for pk in ids:
        report_reminders.delay(pk)
    return len(ids)


@app.task(name="members.complete_handovers", base=TenantTask)
def complete_handovers(working_group_id: int) -> int:
    from members.services.secretariat import complete_due

    return complete_due(WorkingGroup.objects.get(pk=working_group_id))


@app.task(name="members.handovers")
def handovers() -> int:
    """Hourly: hand the Secretariat over where an agreed hand-over's date has come (one task
    per group that has one, in its scope). Hourly, not daily: "on 1 July" is the group's own
    1 July, whatever its time zone."""
    from members.models import HandOver
    from vpswg.scoping import scopes_disabled

    with scopes_disabled():
        ids = sorted(
            set(
                HandOver.objects.filter(status=HandOver.Status.SCHEDULED).values_list(
                    "working_group_id", flat=True
                )
            )
        )
    for pk in ids:
        complete_handovers.delay(pk)
    return len(ids)
