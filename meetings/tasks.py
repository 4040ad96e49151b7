"""Celery tasks of the meetings app: thin wrappers over services."""

from __future__ import annotations

from vpswg.celery import TenantTask, app
from vpswg.models import WorkingGroup


@app.task(name="meetings.convening", base=TenantTask)
def convening(working_group_id: int) -> dict:
    from meetings.services.convening import run
    from meetings.services.minutes import review_reminders

    group = WorkingGroup.objects.get(pk=working_group_id)
    summary = run(group)
    return {
        "plan_reminder": summary.plan_reminder,
        "convened": summary.convened,
        "rsvp_reminders": summary.rsvp_reminders,
        "after_reminders": summary.after_reminders,
        "minutes_reminders": review_reminders(group),
    }


@app.task(name="meetings.daily")
def daily() -> int:
    """Fan out the convening job, one task per group (each runs in its group's scope)."""
    ids = list(WorkingGroup.objects.values_list("pk", flat=True))
    for pk in ids:
        convening.delay(pk)
    return len(ids)


@app.task(name="meetings.circulate_minutes", base=TenantTask)
def circulate_minutes(working_group_id: int, minutes_id: int) -> bool:
    """After approval: circulate the minutes to the members (idempotent: only once)."""
    from meetings.models import Minutes
    from meetings.services.minutes import circulate

    minutes = Minutes.objects.filter(pk=minutes_id).first()
    return bool(minutes) and circulate(minutes=minutes)


@app.task(name="meetings.retention", base=TenantTask)
def retention(working_group_id: int) -> list[int]:
    """Destroy the attribution of the group's minutes past its retention period."""
    from meetings.services.attribution import destroy_expired

    return destroy_expired(WorkingGroup.objects.get(pk=working_group_id))


@app.task(name="meetings.retention_daily")
def retention_daily() -> int:
    """Fan out the retention job, one task per group."""
    ids = list(WorkingGroup.objects.values_list("pk", flat=True))
    for pk in ids:
        retention.delay(pk)
    return len(ids)


@app.task(
    name="meetings.extract_document_text",
    base=TenantTask,
    soft_time_limit=120,
    autoretry_for=(OSError,),
    retry_backoff=5,
    max_retries=3,
)
def extract_document_text(working_group_id: int, version_id: int) -> str:
    """Read an uploaded document's text for search (``meetings.documents.extraction``)."""
    from meetings.documents.extraction import extract
    from meetings.models import DocumentVersion

    version = DocumentVersion.objects.filter(pk=version_id).first()
    return extract(version) if version is not None else "gone"


@app.task(name="meetings.meeting_pack", base=TenantTask, soft_time_limit=600)
def meeting_pack(working_group_id: int, job_id: int) -> str:
    """Assemble one reader's meeting pack (``meetings.documents.pack``)."""
    from meetings.documents.pack import build
    from meetings.models import PackJob

    job = PackJob.objects.filter(pk=job_id).select_related("meeting", "requested_by").first()
    return build(job) if job is not None else "gone"
