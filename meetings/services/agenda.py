"""The agenda of a meeting: its items, their order and their speakers; closed once the meeting
is held or cancelled."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, DiscussionTopic, Guest, Meeting
from meetings.services.guests import invite_guest
from meetings.services.meetings import MeetingError, locked
from members.models import Representative
from vpswg.models import User
from vpswg.services.audit import record


def _check_editable(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise MeetingError(_("The agenda of a meeting that has been held or cancelled is closed."))


@transaction.atomic
def save_agenda_item(
    *,
    meeting: Meeting,
    actor: User,
    item: AgendaItem | None = None,
    topic: str,
    description: str = "",
    format: str = Meeting.Format.DIALOGUE,
    duration_minutes: int = 30,
    speakers: Iterable[User] = (),
    guests: Iterable[Guest] = (),
) -> AgendaItem:
    """Add or change an agenda item. Guest speakers get access to this meeting's logistics."""
    _check_editable(meeting)
    if item is None:
        last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem(
            working_group=meeting.working_group, meeting=meeting, position=(last or 0) + 1
        )
    item.topic, item.description, item.format = topic, description, format
    item.duration_minutes = duration_minutes
    item.full_clean()
    item.save()
    speakers, guests = list(speakers), list(guests)
    valid_speakers = set(
        Representative.objects.filter(user__in=speakers, end_date__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    if any(s.pk not in valid_speakers for s in speakers):
        raise MeetingError(_("Speakers from the group must be current representatives."))
    item.speakers.set(speakers)
    before = set(item.guests.values_list("pk", flat=True))
    item.guests.set(guests)
    for guest in guests:
        if guest.pk not in before:
            invite_guest(meeting=meeting, guest=guest, actor=actor)
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="agenda.saved",
        obj=item,
        data={"meeting": meeting.pk},
    )
    return item


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem, actor: User) -> None:
    _check_editable(item.meeting)
    DiscussionTopic.objects.filter(agenda_item=item).update(
        status=DiscussionTopic.Status.PROPOSED, agenda_item=None
    )
    record(
        working_group=item.working_group,
        actor=actor,
        verb="agenda.removed",
        obj=item,
        data={"meeting": item.meeting_id},
    )
    item.delete()


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, actor: User, offset: int) -> list[AgendaItem]:
    """Move an item up (-1) or down (+1); positions are renumbered 1..n."""
    meeting = locked(item.meeting)
    _check_editable(meeting)
    items = list(meeting.agenda_items.order_by("position", "id"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    for position, it in enumerate(items, start=1):
        if it.position != position:
            it.position = position
            it.save(update_fields=["position"])
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="agenda.reordered",
        obj=meeting,
        data={"order": [it.pk for it in items]},
    )
    return items
