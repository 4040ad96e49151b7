"""The Peruvian group's meetings (held, convened, planned and a closed Coordination Group
meeting), their guests and topics, and minutes at every step of the workflow."""

from __future__ import annotations

import datetime

from demo import data
from demo.seeding.people import demo_people
from meetings.models import Meeting
from vpswg.models import WorkingGroup


def seed_meetings(group: WorkingGroup) -> None:
    """Topics of seed step 8, the register of guests, the agreements of the last plenary,
    and the next plenary convened with its agenda."""
    from allauth.account.models import EmailAddress

    from meetings.models import DiscussionTopic, Guest, TopicInterest
    from meetings.services import agenda as agenda_service
    from meetings.services import agreements, participation
    from meetings.services import guests as guest_service
    from meetings.services import meetings as meeting_service
    from meetings.services import topics as topic_service

    users, _ = demo_people(group)
    secretariat = users[data.PERU_SECRETARIAT]
    for title, proposer, interested in data.PERU_TOPICS:
        if DiscussionTopic.objects.filter(title=title).exists():
            continue
        topic = topic_service.propose(working_group=group, actor=users[proposer], title=title)
        TopicInterest.objects.bulk_create(
            [TopicInterest(working_group=group, topic=topic, user=users[u]) for u in interested]
        )
    guests = []
    for fields in data.PERU_GUESTS:
        guest = Guest.objects.filter(name=fields["name"]).first()
        if guest is None:
            guest = guest_service.register_guest(working_group=group, actor=secretariat, **fields)
        guests.append(guest)
    spec = data.PERU_NEXT_PLENARY
    if Meeting.objects.filter(title=spec["title"]).exists():
        return
    last = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-start").first()
    if last is not None:
        participation.record_next(
            meeting=last,
            actor=secretariat,
            topics=spec["agenda"][1][0],
            venue=spec["venue"],
            guests=[guests[1]],
        )
    start = (
        datetime.datetime.now(group.zone) + datetime.timedelta(days=spec["days_ahead"])
    ).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = meeting_service.plan_meeting(
        working_group=group,
        actor=secretariat,
        kind=Meeting.Kind.PLENARY,
        title=spec["title"],
        start=start,
        venue=spec["venue"],
        use_agreements=False,
    )
    for topic, fmt, minutes, speakers, guest_indexes in spec["agenda"]:
        agenda_service.save_agenda_item(
            meeting=meeting,
            actor=secretariat,
            topic=topic,
            format=fmt,
            duration_minutes=minutes,
            speakers=[users[s] for s in speakers],
            guests=[guests[i] for i in guest_indexes],
        )
    if last is not None:
        # Its agenda carries what the last plenary agreed: taken, not to be offered again.
        Meeting.objects.filter(pk=last.pk).update(
            next_taken={
                agreements.topic_key(spec["agenda"][1][0]): meeting.pk,
                agreements.guest_key(guests[1]): meeting.pk,
            }
        )
    meeting_service.convene(meeting=meeting, actor=secretariat)
    # The first guest speaker can sign in, so that a new user sees what a guest sees (the
    # logistics, their own answer): an invited guest would set a password from the e-mail.
    guest_user = Guest.objects.get(pk=guests[0].pk).user
    if guest_user is not None and not guest_user.has_usable_password():
        guest_user.set_password(data.PASSWORD)
        guest_user.language = "es"
        guest_user.save(update_fields=["password", "language"])
        EmailAddress.objects.update_or_create(
            user=guest_user, email=guest_user.email, defaults={"verified": True, "primary": True}
        )
    closed = data.PERU_COORDINATION
    coordination = meeting_service.plan_meeting(
        working_group=group,
        actor=secretariat,
        kind=Meeting.Kind.COORDINATION,
        title=closed["title"],
        start=start - datetime.timedelta(days=spec["days_ahead"] - closed["days_ahead"]),
        venue=closed["venue"],
        use_agreements=False,
    )
    for topic in closed["agenda"]:
        agenda_service.save_agenda_item(
            meeting=coordination, actor=secretariat, topic=topic, duration_minutes=45
        )
    meeting_service.convene(meeting=coordination, actor=secretariat)


def _return_and_amend(minutes, version, users, secretariat) -> None:
    """A seat returns the first version with a comment on one statement; the Secretariat
    rewrites that statement and submits version 2."""
    from meetings.models import Contribution
    from meetings.services import minutes as minutes_service

    spec = data.PERU_MINUTES_RETURN
    first_section = version.members["sections"][0]
    key = first_section["contributions"][spec["statement"]]["key"]
    minutes_service.review(
        minutes=minutes,
        actor=users[data.PERU_SEATS[spec["seat"]]],
        decision="return",
        comment=spec["comment"],
        comments={key: spec["note"]},
    )
    statement = Contribution.objects.get(pk=int(key.removeprefix("c")))
    minutes_service.save_contribution(
        section=statement.section,
        actor=secretariat,
        text=spec["amended"],
        speaker=minutes_service.KEEP,
        contribution=statement,
        revision=statement.revision,
    )
    minutes_service.submit(minutes=minutes, actor=secretariat)


def seed_minutes(group: WorkingGroup) -> None:
    """Circulated minutes of the last plenary (a first version returned with a comment on a
    statement, the second approved); a draft with a name still in the text."""
    from meetings.models import Minutes
    from meetings.services import minutes as minutes_service

    users, institutions = demo_people(group)
    secretariat = users[data.PERU_SECRETARIAT]
    for title, spec in data.PERU_MINUTES.items():
        meeting = Meeting.objects.filter(title=title).first()
        if meeting is None or Minutes.objects.filter(meeting=meeting).exists():
            continue
        minutes = minutes_service.start_minutes(meeting=meeting, actor=secretariat)
        if spec["summary"]:
            minutes_service.save_summary(
                minutes=minutes,
                actor=secretariat,
                summary=spec["summary"],
                revision=minutes.revision,
            )
        for heading, points, said, decisions, actions in spec["sections"]:
            section = minutes_service.add_section(minutes=minutes, actor=secretariat, title=heading)
            if points:
                minutes_service.save_section(
                    section=section,
                    actor=secretariat,
                    title=heading,
                    main_points=points,
                    revision=section.revision,
                )
            for speaker, text in said:
                minutes_service.save_contribution(
                    section=section,
                    actor=secretariat,
                    text=text,
                    speaker=f"user:{users[speaker].pk}" if speaker else "",
                )
            for text in decisions:
                minutes_service.save_decision(section=section, actor=secretariat, text=text)
            for what, local, days in actions:
                minutes_service.save_action_item(
                    section=section,
                    actor=secretariat,
                    what=what,
                    institution=institutions[local],
                    due_date=meeting.start.date() + datetime.timedelta(days=days),
                )
        if spec["summary"]:  # the September minutes go all the way
            version = minutes_service.submit(minutes=minutes, actor=secretariat)
            if title == data.PERU_MINUTES_RETURN["minutes"]:
                _return_and_amend(minutes, version, users, secretariat)
            for local in data.PERU_SEATS.values():
                minutes_service.review(minutes=minutes, actor=users[local], decision="approve")
