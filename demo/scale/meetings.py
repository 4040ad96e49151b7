"""Twelve years of quarterly plenaries, each with its Coordination Group meeting: invitations,
answers, attendance and an agenda with speakers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from demo.scale.common import ATTENDEES_PER_PLENARY, SECTIONS_PER_MINUTES, TOPICS, Roster, _text
from meetings.models import (
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
)


def _meeting_times(years: int, now: datetime) -> list[tuple[str, datetime]]:
    """(kind, start) of every meeting held in the last ``years`` years, oldest first."""
    first = date(now.year - years, now.month, 1)
    held = []
    for quarter in range(years * 4):
        month = first.month + quarter * 3
        day = date(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 12)
        plenary = timezone.make_aware(datetime.combine(day, time(15, 0)))
        if plenary >= now:
            break
        held.append((Meeting.Kind.COORDINATION, plenary - timedelta(days=21)))
        held.append((Meeting.Kind.PLENARY, plenary))
    return held


def build_meetings(roster: Roster, years: int) -> list[Meeting]:
    """Meetings held, their invitations, answers, attendance and agenda; one plenary ahead."""
    group, rng, now = roster.group, roster.rng, timezone.now()
    members = roster.institutions
    seat_institutions = [roster.institution_of(roster.users.index(u)) for u, _ in roster.seats]
    meetings = [
        Meeting(
            working_group=group,
            kind=kind,
            title=(
                f"Plenary {start:%B %Y}"
                if kind == Meeting.Kind.PLENARY
                else f"Coordination Group {start:%B %Y}"
            ),
            start=start,
            venue=f"Meeting room {n % 5 + 1}, Lima",
            status=Meeting.Status.HELD,
            created_by=roster.secretariat,
            convened_at=start - timedelta(days=21),
            attendance_recorded_at=start + timedelta(days=1),
        )
        for n, (kind, start) in enumerate(_meeting_times(years, now))
    ]
    meetings.append(
        Meeting(
            working_group=group,
            kind=Meeting.Kind.PLENARY,
            title="Next plenary",
            start=now + timedelta(days=10),
            venue="Meeting room 1, Lima",
            created_by=roster.secretariat,
        )
    )
    Meeting.objects.bulk_create(meetings)
    invitations, attendance, items = [], [], []
    for meeting in meetings:
        if meeting.status == Meeting.Status.HELD:
            invited = members if meeting.kind == Meeting.Kind.PLENARY else seat_institutions
            invitations += [
                Invitation(
                    working_group=group,
                    meeting=meeting,
                    institution=institution,
                    answer=rng.choice(["yes"] * 5 + ["no", "maybe"]),
                    answered_at=meeting.start - timedelta(days=7),
                )
                for institution in invited
            ]
            people = (
                rng.sample(range(len(roster.users)), ATTENDEES_PER_PLENARY)
                if meeting.kind == Meeting.Kind.PLENARY
                else [roster.users.index(u) for u, _ in roster.seats]
            )
            attendance += [
                Attendance(
                    working_group=group,
                    meeting=meeting,
                    user=roster.users[p],
                    institution=roster.institution_of(p),
                )
                for p in people
            ]
        items += [
            AgendaItem(
                working_group=group,
                meeting=meeting,
                position=position,
                topic=TOPICS[(position + meeting.start.month) % len(TOPICS)],
                description=_text(rng, 2),
            )
            for position in range(SECTIONS_PER_MINUTES)
        ]
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendance)
    AgendaItem.objects.bulk_create(items)
    Speakers = AgendaItem.speakers.through
    Speakers.objects.bulk_create(
        [
            Speakers(agendaitem_id=item.pk, user_id=roster.users[rng.randrange(40)].pk)
            for item in items
        ]
    )
    return meetings
