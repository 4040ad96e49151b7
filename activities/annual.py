"""The annual report: composition, meetings held, activities and participants, work plan
progress, as a PDF built in the background (the page polls the job's progress)."""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation

from activities import reports
from activities.models import Activity, ReportJob
from meetings.access import Reader, visible_meetings
from meetings.models import Attendance, Meeting
from members.queries import composition
from vpswg import pdf
from workplan.models import PlannedActivity, WorkPlan

logger = logging.getLogger(__name__)


def _progress(job: ReportJob, value: int, status: str = ReportJob.Status.RUNNING) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=value, status=status)


def build(job: ReportJob) -> None:
    """Assemble and render the report of ``job.year``; progress is saved step by step."""
    group = job.working_group
    year = job.year
    try:
        _progress(job, 5)
        # The meetings the person who asked for the report may see (a Coordination Group
        # meeting is not every member's business: meetings.access).
        meetings = list(
            visible_meetings(Reader.for_user(job.requested_by, group))
            .filter(working_group=group, status=Meeting.Status.HELD, start__year=year)
            .order_by("start")
        )
        present = {
            row["meeting_id"]: row["n"]
            for row in Attendance.objects.filter(meeting__in=meetings)
            .values("meeting_id")
            .annotate(n=Count("institution_id", distinct=True))
            .order_by()
        }
        _progress(job, 25)
        totals = reports.totals(group, year, year)
        activities = list(
            reports.confirmed(group, year, year)
            .annotate(people=Sum("participants__total"))
            .prefetch_related("organisers")
            .order_by("start_date")
        )
        _progress(job, 50)
        plans = list(
            WorkPlan.objects.filter(
                working_group=group, start_date__year__lte=year, end_date__year__gte=year
            ).prefetch_related("objectives__activities")
        )
        progress = {
            plan.pk: dict(
                PlannedActivity.objects.filter(objective__plan=plan)
                .values_list("status")
                .annotate(n=Count("id"))
                .order_by()
            )
            for plan in plans
        }
        _progress(job, 70)
        with translation.override(group.default_language), timezone.override(group.zone):
            html = render_to_string(
                "activities/annual_report_pdf.html",
                {
                    "group": group,
                    "year": year,
                    "composition": composition(group),
                    "meetings": meetings,
                    "present": present,
                    "totals": totals,
                    "activities": activities,
                    "plans": plans,
                    "progress": progress,
                    "statuses": PlannedActivity.Status.choices,
                    "kinds": dict(Activity.Kind.choices),
                    "generated": timezone.now(),
                },
            )
        body = pdf.render(html, stylesheets=("css/minutes-pdf.css",))
        _progress(job, 95)
        job.file.save(f"reports/{group.pk}/{uuid.uuid4().hex}.pdf", ContentFile(body), save=False)
        ReportJob.objects.filter(pk=job.pk).update(
            file=job.file.name,
            progress=100,
            status=ReportJob.Status.DONE,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.exception("annual report %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=type(exc).__name__
        )
        raise
