"""The quarterly convening (seed step 5: "WG meetings would be quarterly"): a daily job per group.

1. No plenary planned in the current cadence period: remind the Secretariat to plan one.
2. A planned plenary within the notice period: convene it (notices with calendar files).
3. A convened meeting N days away (the group's reminder days, 7 and 1 by default): remind the
   institutions that have not answered.
4. A meeting that has ended without attendance: remind the Secretariat to record attendance
   and draft the minutes.

Every notice has a unique key (period, meeting, threshold), so running the job twice, or late,
sends nothing twice; a day the job missed is caught up by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings.access import may_be_told
from meetings.models import Invitation, Meeting
from meetings.services.meetings import convene, meeting_path
from members.models import Representative
from vpswg.models import WorkingGroup
from vpswg.services import notifications
from vpswg.services.roles import secretariat_users

Status = Meeting.Status


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def cadence_period(group: WorkingGroup, moment: datetime) -> Period:
    """The cadence period containing ``moment``, in the group's time zone: calendar quarters
    for a cadence of 3 months, halves for 6, and so on (counted from January)."""
    local = moment.astimezone(group.zone)
    months = group.meeting_cadence_months
    first = (local.year * 12 + local.month - 1) // months * months
    nxt = first + months
    return Period(
        start=datetime(first // 12, first % 12 + 1, 1, tzinfo=group.zone),
        end=datetime(nxt // 12, nxt % 12 + 1, 1, tzinfo=group.zone),
    )


@dataclass
class Summary:
    plan_reminder: bool = False
    convened: list[int] = field(default_factory=list)
    rsvp_reminders: int = 0
    after_reminders: list[int] = field(default_factory=list)


def run(group: WorkingGroup, now: datetime | None = None) -> Summary:
    """The daily job for one group (inside its scope)."""
    now = now or timezone.now()
    summary = Summary()
    with transaction.atomic():
        summary.plan_reminder = _plan_reminder(group, now)
    for meeting in Meeting.objects.filter(
        kind=Meeting.Kind.PLENARY,
        status=Status.PLANNED,
        start__gt=now,
        start__lte=now + timedelta(days=group.notice_period_days),
    ).order_by("start"):
        convene(meeting=meeting)
        summary.convened.append(meeting.pk)
    with transaction.atomic():
        summary.rsvp_reminders = _rsvp_reminders(group, now)
    with transaction.atomic():
        summary.after_reminders = _after_reminders(group, now)
    return summary


def _plan_reminder(group: WorkingGroup, now: datetime) -> bool:
    period = cadence_period(group, now)
    planned = Meeting.objects.filter(
        kind=Meeting.Kind.PLENARY,
        status__in=[Status.PLANNED, Status.CONVENED, Status.HELD],
        start__gte=period.start,
        start__lt=period.end,
    ).exists()
    if planned:
        return False
    return bool(
        notifications.notify(
            working_group=group,
            recipients=secretariat_users(),
            kind="plan_plenary",
            key=f"{period.start:%Y-%m}",
            context={"period_start": period.start, "period_end": period.end - timedelta(days=1)},
            link=reverse("meetings:new", kwargs={"wg": group.slug}),
        )
    )


def _rsvp_reminders(group: WorkingGroup, now: datetime) -> int:
    sent = 0
    thresholds = group.rsvp_reminders
    if not thresholds:
        return 0
    horizon = now + timedelta(days=max(thresholds))
    meetings = Meeting.objects.filter(status=Status.CONVENED, start__gt=now, start__lte=horizon)
    for meeting in meetings:
        due = [
            d
            for d in thresholds
            if meeting.start - timedelta(days=d) <= now
            and meeting.convened_at is not None
            and meeting.convened_at <= meeting.start - timedelta(days=d)
        ]
        if not due:
            continue
        threshold = min(due)
        pending = Invitation.objects.filter(meeting=meeting, answer=Invitation.Answer.PENDING)
        reps = Representative.objects.filter(
            institution__in=pending.values("institution"), end_date__isnull=True
        ).select_related("user")
        # A closed meeting's reminder reaches only those who may see it (the seats).
        users = may_be_told(meeting, [r.user for r in reps])
        sent += len(
            notifications.notify(
                working_group=group,
                recipients=users,
                kind="rsvp_reminder",
                key=f"{meeting.pk}:{threshold}",
                context={"meeting": meeting, "zone": group.zone, "days": threshold},
                link=meeting_path(meeting),
            )
        )
    return sent


def _after_reminders(group: WorkingGroup, now: datetime) -> list[int]:
    reminded = []
    for meeting in Meeting.objects.filter(status=Status.CONVENED, start__lt=now):
        if meeting.end > now:
            continue
        if notifications.notify(
            working_group=group,
            recipients=secretariat_users(),
            kind="after_meeting",
            key=f"{meeting.pk}",
            context={"meeting": meeting, "zone": group.zone},
            link=meeting_path(meeting),
        ):
            reminded.append(meeting.pk)
    return reminded
