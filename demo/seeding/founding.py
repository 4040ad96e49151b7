"""The Colombian group, founded a few weeks ago: its first plenary held, with institutional
presentations; the first version of its terms of reference before the seats, one of whom has
voted. Halfway through the ten steps, so that a new user sees the founding guide."""

from __future__ import annotations

import datetime

from demo import data
from demo.seeding.people import demo_people
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import TermsOfReference
from members.services import terms as terms_service
from vpswg.models import WorkingGroup


def seed_founding(group: WorkingGroup) -> None:
    if TermsOfReference.objects.exists():
        return
    users, institutions = demo_people(group, data.COLOMBIA_INSTITUTIONS)
    secretariat = users[data.COLOMBIA_SECRETARIAT]
    spec = data.COLOMBIA_FIRST_PLENARY
    start = (datetime.datetime.now(group.zone) - datetime.timedelta(days=spec["days_ago"])).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    meeting = Meeting.objects.create(
        working_group=group,
        kind=Meeting.Kind.PLENARY,
        title=spec["title"],
        start=start,
        venue=spec["venue"],
        status=Meeting.Status.HELD,
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                working_group=group,
                meeting=meeting,
                position=position,
                topic=topic,
                format=fmt,
                duration_minutes=minutes,
            )
            for position, (topic, fmt, minutes) in enumerate(spec["agenda"], start=1)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                working_group=group, meeting=meeting, user=users[local], institution=institution
            )
            for local, institution in (
                (row[7], institutions[row[7]]) for row in data.COLOMBIA_INSTITUTIONS
            )
        ]
    )
    fields = data.COLOMBIA_TERMS
    terms = terms_service.start_draft(working_group=group, actor=secretariat)
    terms_service.save_draft(
        terms=terms,
        actor=secretariat,
        texts={k: v for k, v in fields.items() if k != "votes"},
        rules=terms.rules,
    )
    terms_service.submit(terms=terms, actor=secretariat)
    for local, choice in fields["votes"].items():
        terms_service.vote(terms=terms, actor=users[local], choice=choice)


def seed_terms_in_force(group: WorkingGroup) -> None:
    """The Peruvian group's terms of reference, adopted at its constituent plenary in 2010,
    long before the group used vpswg: recorded as history (a version in force, its plenary not
    among the group's meetings here), with the settings it runs on. The group has met the
    ten steps long ago: its Secretariat turned the founding guide off."""
    if TermsOfReference.objects.exists():
        return
    users, _institutions = demo_people(group)
    fields = data.PERU_TERMS
    TermsOfReference.objects.create(
        working_group=group,
        number=1,
        status=TermsOfReference.Status.ADOPTED,
        proposed_by=users[data.PERU_SECRETARIAT],
        rules=terms_service.rules_of(group),
        adopted_on=datetime.date.fromisoformat(data.PERU_TERMS_ADOPTED_ON),
        **fields,
    )
    WorkingGroup.objects.filter(pk=group.pk).update(founding_guide=WorkingGroup.Guide.NEVER)
