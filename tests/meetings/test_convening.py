"""The quarterly convening job: cadence periods, the notice period, reminders, idempotence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from meetings.models import Invitation, Meeting
from meetings.services import meetings as service
from meetings.services import participation
from meetings.services.convening import cadence_period, run
from tests.factories import make_group, make_meeting, make_representative, make_secretariat
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cadence", "moment", "start", "end"),
    [
        (3, datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "2026-01-01", "2026-04-01"),
        (
            3,
            datetime(2026, 4, 1, 0, 30, tzinfo=UTC),
            "2026-01-01",
            "2026-04-01",
        ),  # still 31 March in Lima
        (3, datetime(2026, 4, 1, 5, 0, tzinfo=UTC), "2026-04-01", "2026-07-01"),  # midnight in Lima
        (3, datetime(2026, 12, 31, 12, 0, tzinfo=UTC), "2026-10-01", "2027-01-01"),
        (6, datetime(2026, 7, 15, tzinfo=UTC), "2026-07-01", "2027-01-01"),
        (1, datetime(2026, 2, 28, 12, tzinfo=UTC), "2026-02-01", "2026-03-01"),
    ],
)
def test_cadence_periods_follow_the_groups_calendar_and_time_zone(cadence, moment, start, end):
    group = make_group(meeting_cadence_months=cadence, timezone="America/Lima")
    period = cadence_period(group, moment)
    assert period.start.date().isoformat() == start and period.end.date().isoformat() == end
    assert period.start.tzinfo == group.zone and period.start.hour == 0


def test_no_plenary_this_period_reminds_the_secretariat_once(group):
    secretariat = make_secretariat(group)
    with group_scope(group):
        assert run(group).plan_reminder is True
        assert run(group).plan_reminder is False  # the same period: not again
        (notice,) = Notification.objects.filter(kind="plan_plenary")
    assert notice.recipient == secretariat


def test_a_plenary_planned_in_the_period_means_no_reminder(group):
    make_secretariat(group)
    now = timezone.now()
    period = cadence_period(group, now)
    make_meeting(group, "planned", days=max((period.end - now).total_seconds() / 86400 - 1, 0.5))
    with group_scope(group):
        assert run(group).plan_reminder is False


def test_a_planned_plenary_is_convened_within_the_notice_period(group):
    rep = make_representative(group)
    soon = make_meeting(group, "planned", days=20)  # the notice period is 21 days
    later = make_meeting(group, "planned", days=40)
    coordination = make_meeting(group, "planned", days=5, kind="coordination")
    with group_scope(group):
        summary = run(group)
        assert summary.convened == [soon.pk]
        assert Meeting.objects.get(pk=later.pk).status == "planned"
        assert Meeting.objects.get(pk=coordination.pk).status == "planned"  # convened by hand
        assert Notification.objects.filter(kind="meeting_convened", recipient=rep.user).count() == 1
        assert run(group).convened == []  # idempotent


def test_reminders_a_week_and_a_day_before_to_those_who_have_not_answered(group):
    answered, silent = make_representative(group), make_representative(group)
    meeting = make_meeting(group, "convened", days=20)
    with group_scope(group):
        invitation = Invitation.objects.get(meeting=meeting, institution=answered.institution)
        participation.answer(invitation=invitation, actor=answered.user, answer="yes")
        start = meeting.start
        assert run(group, start - timedelta(days=8)).rsvp_reminders == 0
        assert run(group, start - timedelta(days=7)).rsvp_reminders == 1
        assert run(group, start - timedelta(days=6)).rsvp_reminders == 0  # already reminded
        assert run(group, start - timedelta(hours=23)).rsvp_reminders == 1
        assert run(group, start - timedelta(hours=22)).rsvp_reminders == 0
        reminded = set(
            Notification.objects.filter(kind="rsvp_reminder").values_list("recipient", flat=True)
        )
    assert reminded == {silent.user_id}


def test_reminder_days_are_a_group_setting(group):
    group.rsvp_reminder_days = "3"
    group.save()
    make_representative(group)
    meeting = make_meeting(group, "convened", days=20)
    with group_scope(group):
        assert run(group, meeting.start - timedelta(days=7)).rsvp_reminders == 0
        assert run(group, meeting.start - timedelta(days=3)).rsvp_reminders == 1


def test_a_meeting_cancelled_after_convening_gets_no_reminders(group):
    make_representative(group)
    meeting = make_meeting(group, "convened", days=20)
    with group_scope(group):
        service.cancel(meeting=meeting, actor=make_secretariat(group), reason="Strike.")
        assert run(group, meeting.start - timedelta(days=1)).rsvp_reminders == 0
        assert run(group, meeting.end + timedelta(hours=1)).after_reminders == []


def test_after_the_meeting_the_secretariat_is_reminded_once(group):
    make_secretariat(group)
    meeting = make_meeting(group, "convened", days=20)
    with group_scope(group):
        assert run(group, meeting.start + timedelta(minutes=30)).after_reminders == []  # still on
        assert run(group, meeting.end + timedelta(minutes=1)).after_reminders == [meeting.pk]
        assert run(group, meeting.end + timedelta(days=1)).after_reminders == []


def test_the_convening_notice_is_in_the_recipients_language_and_the_groups_time(group):
    group.timezone = "Africa/Accra"
    group.save()
    spanish = make_representative(group, user=None)
    spanish.user.language = "es"
    spanish.user.save()
    meeting = make_meeting(group, "convened", days=20, title="Plenary")
    with group_scope(group):
        notice = Notification.objects.get(kind="meeting_convened", recipient=spanish.user)
    assert notice.subject.startswith("Invitación")
    assert meeting.start.astimezone(group.zone).strftime("%H:%M") in notice.body
    assert "Africa/Accra" in notice.body


def test_the_daily_task_runs_every_group_in_its_own_scope(group, other_group, eager_tasks):
    from meetings.tasks import daily

    make_secretariat(group)
    make_secretariat(other_group)
    assert daily.apply().get() == 2
    with group_scope([group.pk, other_group.pk]):
        assert Notification.objects.filter(kind="plan_plenary").count() == 2
