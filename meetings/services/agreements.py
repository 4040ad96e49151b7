"""What a meeting agreed for the next one (seed step 5), offered to the next plenary as
suggestions: the Secretariat takes each topic onto the agenda, and each guest onto the agenda
item of its choice, or sets it aside. A suggestion is offered until one plenary took it; if that
plenary is cancelled, it is offered again.

Taking them automatically at planning (as vpswg first did) put them on whichever plenary was
planned first, twice when two were planned, and a guest on an item they do not speak at.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Guest, Meeting
from meetings.services.agenda import save_agenda_item
from meetings.services.meetings import MeetingError, locked
from vpswg.models import User
from vpswg.services.audit import record

Status = Meeting.Status


@dataclass
class Suggestions:
    source: Meeting  # the held plenary that agreed them
    topics: list[str]
    guests: list[Guest]

    def __bool__(self) -> bool:
        return bool(self.topics or self.guests)


def _source(meeting: Meeting) -> Meeting | None:
    """The last plenary held before ``meeting`` that agreed topics or guests."""
    return (
        Meeting.objects.filter(
            working_group=meeting.working_group,
            kind=Meeting.Kind.PLENARY,
            status=Status.HELD,
            start__lt=meeting.start,
        )
        .filter(~Q(next_topics="") | Q(next_guests__isnull=False))
        .exclude(pk=meeting.pk)
        .order_by("-start")
        .distinct()
        .first()
    )


def topic_key(topic: str) -> str:
    return f"topic:{topic.strip()}"


def guest_key(guest: Guest | int) -> str:
    return f"guest:{getattr(guest, 'pk', guest)}"


def suggestions_for(meeting: Meeting) -> Suggestions | None:
    """What is still to take for this plenary while its agenda is open: four queries."""
    if meeting.kind != Meeting.Kind.PLENARY or not meeting.is_open:
        return None
    source = _source(meeting)
    if source is None:
        return None
    taken = source.next_taken or {}
    # What this agenda has already (put there by hand) is not offered as well.
    on_agenda = {t.casefold() for t in meeting.agenda_items.values_list("topic", flat=True)}
    speaking = set(Guest.objects.filter(agenda_items__meeting=meeting).values_list("pk", flat=True))
    topics = [
        t.strip()
        for t in source.next_topics.splitlines()
        if t.strip() and topic_key(t) not in taken and t.strip().casefold() not in on_agenda
    ]
    guests = [
        g
        for g in source.next_guests.order_by("name")
        if guest_key(g) not in taken and g.pk not in speaking
    ]
    return Suggestions(source, topics, guests)


@transaction.atomic
def take(
    *,
    meeting: Meeting,
    actor: User,
    topic: str = "",
    guest: Guest | None = None,
    item: AgendaItem | None = None,
    set_aside: bool = False,
) -> AgendaItem | None:
    """Take one suggestion: a topic becomes a new agenda item; a guest joins ``item``'s
    speakers (invited like any guest). ``set_aside``: not for this plenary, and not offered
    again unless it is cancelled. Returns the agenda item concerned."""
    meeting = locked(meeting)
    offered = suggestions_for(meeting)
    if not offered:
        raise MeetingError(_("Nothing agreed at an earlier meeting is waiting for this one."))
    source = Meeting.objects.select_for_update().get(pk=offered.source.pk)
    if topic:
        key = topic_key(topic)
        if topic.strip() not in offered.topics:
            raise MeetingError(_("That topic is not offered any more: it was taken already."))
    elif guest is not None:
        key = guest_key(guest)
        if guest not in offered.guests:
            raise MeetingError(_("That guest is not offered any more: taken already."))
    else:
        raise MeetingError(_("Choose a topic or a guest."))
    if source.next_taken.get(key) is not None:
        raise MeetingError(_("That suggestion was taken already."))
    if not set_aside:
        if topic:
            item = save_agenda_item(
                meeting=meeting, actor=actor, topic=topic.strip()[:300], format=meeting.format
            )
        else:
            if item is None or item.meeting_id != meeting.pk:
                raise MeetingError(_("Choose the agenda item the guest speaks at."))
            save_agenda_item(
                meeting=meeting,
                actor=actor,
                item=item,
                topic=item.topic,
                description=item.description,
                format=item.format,
                duration_minutes=item.duration_minutes,
                speakers=list(item.speakers.all()),
                guests=[*item.guests.all(), guest],
            )
    source.next_taken = {**source.next_taken, key: meeting.pk}
    source.save(update_fields=["next_taken"])
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="meeting.agreement_set_aside" if set_aside else "meeting.agreement_taken",
        obj=meeting,
        data={"from": source.pk, "what": key, "item": item.pk if item and not set_aside else None},
    )
    return item
