"""Discussion topics (seed step 8): members propose, others mark interest, the Secretariat or
the Coordination Group schedules a topic onto an agenda item."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, DiscussionTopic, Meeting, TopicInterest
from meetings.services.agenda import save_agenda_item
from meetings.services.meetings import MeetingError
from vpswg.models import User, WorkingGroup
from vpswg.services.audit import record
from vpswg.services.transitions import transition

Status = DiscussionTopic.Status


@transaction.atomic
def propose(
    *, working_group: WorkingGroup, actor: User, title: str, description: str = ""
) -> DiscussionTopic:
    topic = DiscussionTopic(
        working_group=working_group,
        title=title.strip(),
        description=description.strip(),
        proposed_by=actor,
    )
    topic.full_clean()
    topic.save()
    TopicInterest.objects.create(working_group=working_group, topic=topic, user=actor)
    record(
        working_group=working_group,
        actor=actor,
        verb="topic.proposed",
        obj=topic,
        to_state=Status.PROPOSED,
    )
    return topic


@transaction.atomic
def toggle_interest(*, topic: DiscussionTopic, actor: User) -> bool:
    """Mark or unmark the user's interest; returns whether they are now interested."""
    deleted, _ = TopicInterest.objects.filter(topic=topic, user=actor).delete()
    if deleted:
        return False
    TopicInterest.objects.create(working_group=topic.working_group, topic=topic, user=actor)
    return True


@transaction.atomic
def schedule(*, topic: DiscussionTopic, meeting: Meeting, actor: User) -> AgendaItem:
    """Put the topic on the meeting's agenda (a new item) and mark it scheduled."""
    topic = DiscussionTopic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != Status.PROPOSED:
        raise MeetingError(_("Only a proposed topic can be scheduled."))
    item = save_agenda_item(
        meeting=meeting, actor=actor, topic=topic.title[:300], description=topic.description
    )
    item.discussion_topic = topic
    item.save(update_fields=["discussion_topic"])
    transition(
        topic,
        to=Status.SCHEDULED,
        verb="topic.scheduled",
        actor=actor,
        also={"agenda_item": item},
        data={"meeting": meeting.pk},
    )
    return item


def _own_proposed(topic: DiscussionTopic, actor: User) -> DiscussionTopic:
    """The topic, locked, when ``actor`` proposed it and it is still only a proposal: once on
    an agenda it is the Secretariat's, and rewording it would change what others marked."""
    topic = DiscussionTopic.objects.select_for_update().get(pk=topic.pk)
    if topic.proposed_by_id != actor.pk:
        raise MeetingError(_("Only the person who proposed a topic changes or withdraws it."))
    if topic.status != Status.PROPOSED:
        raise MeetingError(
            _("The topic is on an agenda already: ask the Secretariat to change it there.")
        )
    return topic


@transaction.atomic
def edit(
    *, topic: DiscussionTopic, actor: User, title: str, description: str = ""
) -> DiscussionTopic:
    topic = _own_proposed(topic, actor)
    topic.title, topic.description = title.strip(), description.strip()
    topic.full_clean()
    topic.save(update_fields=["title", "description"])
    record(working_group=topic.working_group, actor=actor, verb="topic.edited", obj=topic)
    return topic


@transaction.atomic
def withdraw(*, topic: DiscussionTopic, actor: User) -> DiscussionTopic:
    topic = _own_proposed(topic, actor)
    transition(topic, to=Status.WITHDRAWN, verb="topic.withdrawn", actor=actor)
    return topic
