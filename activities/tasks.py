"""Celery tasks of the activities app."""

from __future__ import annotations

from vpswg.celery import TenantTask, app


@app.task(name="activities.annual_report", base=TenantTask)
def annual_report(working_group_id: int, job_id: int) -> int:
    from activities.annual import build
    from activities.models import ReportJob
    from vpswg.db import reporting

    # Claim the job: a second run of the task (a redelivery) finds it taken and does nothing.
    if not ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING
    ):
        return 0
    with reporting(fresh=True):  # the PDF is kept: never a lagging replica's figures
        build(ReportJob.objects.get(pk=job_id))
    return job_id
