"""The annual report: composition, meetings held, activities and participants, work plan
progress, as a PDF built in the background (the page polls the job's progress)."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation

from activities import reports
from activities.models import ReportJob
from meetings.access import Reader, visible_meetings
from meetings.models import Attendance, Meeting
from members.history import composition_on, year_end
from members.services import contributions
from vpswg import pdf
from vpswg.models import User, WorkingGroup
from workplan.models import WorkPlan

logger = logging.getLogger(__name__)

#: The earliest year a report may be asked for (the Voluntary Principles date from 2000).
FIRST_YEAR = 2000
#: A job still waiting or running after this long has been lost (a worker killed): a new one
#: may be started.
STALE_AFTER = timedelta(minutes=15)


@transaction.atomic
def request_report(
    *, working_group: WorkingGroup, actor: User, year: int
) -> tuple[ReportJob, bool]:
    """Start preparing the report of ``year`` for ``actor``, once: while a job of theirs for
    this group is waiting or running, that job is returned instead of a new one (a PDF is
    expensive; a held-down button must not queue a hundred). Returns the job and whether it
    was started now. The year is checked by the form."""
    from activities.tasks import annual_report

    # One request per person at a time decides (the row lock), so two clicks make one job.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    pending = (
        ReportJob.objects.filter(
            requested_by=actor,
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending, False
    job = ReportJob.objects.create(working_group=working_group, year=year, requested_by=actor)
    from vpswg.celery import enqueue

    group_id, job_id = working_group.pk, job.pk
    # With the broker down the job is marked failed at once, so the page says so and the
    # person can ask again, instead of an error page or a job that waits for ever.
    transaction.on_commit(
        lambda: enqueue(
            annual_report,
            group_id,
            job_id,
            on_unreachable=lambda: ReportJob.objects.filter(
                pk=job_id, status=ReportJob.Status.QUEUED
            ).update(status=ReportJob.Status.FAILED, error="BrokerUnavailable"),
        )
    )
    return job, True


def _progress(job: ReportJob, value: int, status: str = ReportJob.Status.RUNNING) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=value, status=status)


def contents(group: WorkingGroup, year: int, reader: User, *, progress=None) -> dict:
    """What the report of ``year`` says, for ``reader``: the PDF and the job's page show the
    same. Built in the language and time zone it is read in (the sectors' and constituencies'
    names are taken here). A constant number of queries, whatever the year holds.

    The composition is the group's at the end of the year (``members.history``: membership
    dates and the standing history), not today's: a report on 2015 does not count an
    institution admitted in 2016, and shows one then suspended as suspended."""
    step = progress or (lambda value: None)
    # The meetings the person who asked for the report may see (a Coordination Group
    # meeting is not every member's business: meetings.access).
    meetings = list(
        visible_meetings(Reader.for_user(reader, group))
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
    for meeting in meetings:
        meeting.institutions_present = present.get(meeting.pk, 0)
    step(25)
    totals = reports.totals(group, year, year)
    activities = list(
        reports.confirmed(group, year, year)
        .annotate(people=Sum("participants__total"))
        .prefetch_related("organisers")
        .order_by("start_date")
    )
    step(50)
    plans = list(
        WorkPlan.objects.filter(
            working_group=group, start_date__year__lte=year, end_date__year__gte=year
        ).prefetch_related("objectives__activities")
    )
    step(70)
    # A document that leaves the app: amounts by institution only if the group shows them to
    # its members, whoever asked for it (members.services.contributions).
    shown = group.contributions_shown_to_members
    year_summaries = contributions.summaries([year], amounts_shown=shown)
    return {
        "contributions": year_summaries[0] if year_summaries else None,
        "contributions_withheld": not shown,
        "min_contributors": contributions.MIN_CONTRIBUTORS,
        "group": group,
        "year": year,
        "composition": composition_on(group, year_end(year)),
        "meetings": meetings,
        "totals": totals,
        "activities": activities,
        "plans": plans,
    }


def build(job: ReportJob) -> None:
    """Assemble and render the report of ``job.year``; progress is saved step by step."""
    group = job.working_group
    try:
        _progress(job, 5)
        with translation.override(group.default_language), timezone.override(group.zone):
            context = contents(
                group, job.year, job.requested_by, progress=lambda v: _progress(job, v)
            )
            html = render_to_string(
                "activities/annual_report_pdf.html", {**context, "generated": timezone.now()}
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
