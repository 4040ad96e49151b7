"""Answers to invitations, attendance, and what a meeting agreed for the next one."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Attendance, DiscussionTopic, Guest, GuestReply, Invitation, Meeting
from meetings.services.guests import register_guest
from meetings.services.meetings import MeetingError, locked
from members.models import Representative
from vpswg.models import User
from vpswg.services.audit import record
from vpswg.services.transitions import transition

Status = Meeting.Status


#: The invitation's own fields, for ``invitation_for``.
INVITATION_FIELDS = (
    "pk",
    "working_group_id",
    "meeting_id",
    "institution_id",
    "answer",
    "answered_by_id",
    "answered_at",
    "note",
    "created_at",
)


def invitation_for(meeting: Meeting, user: User) -> Invitation | None:
    """The invitation the user may answer: their institution's, for an open meeting."""
    institution_ids = Representative.objects.filter(user=user, end_date__isnull=True).values(
        "institution_id"
    )
    # The institution's name is all the page shows of it; with two institutions invited (rare),
    # the first invited. Sorted here: ``.first()``'s ORDER BY cost more than the query.
    rows = list(
        Invitation.objects.filter(meeting=meeting, institution_id__in=institution_ids)
        .select_related("institution")
        .only(*INVITATION_FIELDS, "institution__name", "institution__working_group_id")
    )
    return min(rows, key=lambda invitation: invitation.pk, default=None)


@transaction.atomic
def answer(
    *,
    invitation: Invitation,
    actor: User,
    answer: str,
    attendees: Iterable[User] = (),
    note: str = "",
) -> Invitation:
    """A representative answers for the institution: yes, no or maybe, and who will attend."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    if invitation.meeting.status != Status.CONVENED:
        raise MeetingError(_("Answers are taken while the meeting is convened."))
    reps = set(
        Representative.objects.filter(
            institution_id=invitation.institution_id, end_date__isnull=True
        ).values_list("user_id", flat=True)
    )
    if actor.pk not in reps:
        raise MeetingError(_("Only a representative of the institution answers for it."))
    if answer not in {Invitation.Answer.YES, Invitation.Answer.NO, Invitation.Answer.MAYBE}:
        raise MeetingError(_("Answer yes, no or maybe."))
    attendees = [u for u in attendees if u.pk in reps]
    if answer == Invitation.Answer.YES and not attendees:
        attendees = [actor]
    if answer == Invitation.Answer.NO:
        attendees = []
    previous = invitation.answer
    invitation.answer, invitation.note = answer, note.strip()[:300]
    invitation.answered_by, invitation.answered_at = actor, timezone.now()
    invitation.save(update_fields=["answer", "note", "answered_by", "answered_at"])
    invitation.attendees.set(attendees)
    record(
        working_group=invitation.working_group,
        actor=actor,
        verb="invitation.answered",
        obj=invitation,
        from_state=previous,
        to_state=answer,
    )
    return invitation


def guest_of(meeting: Meeting, user: User) -> Guest | None:
    """The guest speaker ``user`` is at this meeting (on one of its agenda items), if any."""
    return Guest.objects.filter(user=user, agenda_items__meeting=meeting).order_by("pk").first()


@transaction.atomic
def guest_reply(*, meeting: Meeting, actor: User, answer: str) -> GuestReply:
    """A guest speaker says whether they will come. Until the meeting starts, and again."""
    meeting = locked(meeting)
    if meeting.status != Status.CONVENED or meeting.start <= timezone.now():
        raise MeetingError(_("Answers are taken while the meeting is convened, before it starts."))
    if answer not in GuestReply.Answer.values:
        raise MeetingError(_("Answer yes or no."))
    guest = guest_of(meeting, actor)
    if guest is None:
        raise MeetingError(_("Only a guest speaker of the meeting answers here."))
    reply, _created = GuestReply.objects.update_or_create(
        meeting=meeting,
        guest=guest,
        defaults={"answer": answer, "working_group": meeting.working_group},
    )
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="guest.replied",
        obj=meeting,
        to_state=answer,
        data={"guest": guest.pk},
    )
    return reply


def _walk_in_guests(meeting: Meeting, actor: User, walk_ins: Iterable[tuple[str, str]]):
    """The guests for people who came without being on the list: an existing entry of the
    group's register when the same name and organisation are there, else a new one."""
    guests = []
    for name, organisation in walk_ins:
        guest = Guest.objects.filter(
            name__iexact=name, organisation__iexact=organisation
        ).first() or register_guest(
            working_group=meeting.working_group,
            actor=actor,
            name=name,
            organisation=organisation,
        )
        guests.append(guest)
    return guests


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    actor: User,
    present: Iterable[User],
    guests: Iterable[Guest] = (),
    walk_ins: Iterable[tuple[str, str]] = (),
) -> Meeting:
    """Record who was present (replacing an earlier record); the meeting is then held, and the
    topics scheduled on its agenda are discussed.

    ``present`` may name any current representative of an invited institution, not only those
    it announced: a substitute is one who came in another's place. ``walk_ins`` (name,
    organisation) are people not on any list, recorded as guests of the meeting.
    """
    meeting = locked(meeting)
    if meeting.status not in {Status.CONVENED, Status.HELD}:
        raise MeetingError(_("Attendance is recorded for a meeting that was convened."))
    if meeting.start > timezone.now():
        raise MeetingError(_("Attendance is recorded after the meeting has started."))
    present = list(present)
    reps = {
        r.user_id: r.institution_id
        for r in Representative.objects.filter(
            user__in=present, institution__invitations__meeting=meeting
        ).order_by("end_date")
    }
    unknown = [u for u in present if u.pk not in reps]
    if unknown:
        raise MeetingError(
            _("%(name)s does not represent an invited institution.") % {"name": unknown[0]}
        )
    Attendance.objects.filter(meeting=meeting).exclude(user__in=present).delete()
    already = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        [
            Attendance(
                working_group=meeting.working_group,
                meeting=meeting,
                user=u,
                institution_id=reps[u.pk],
            )
            for u in present
            if u.pk not in already
        ]
    )
    walked_in = _walk_in_guests(meeting, actor, walk_ins)
    meeting.guests_present.set(list(guests) + walked_in)
    transition(
        meeting,
        to=Status.HELD,
        verb="meeting.attendance_recorded",
        actor=actor,
        also={"attendance_recorded_at": timezone.now()},
        data={"people": len(present), "walk_ins": len(walked_in)},
    )
    DiscussionTopic.objects.filter(
        agenda_item__meeting=meeting, status=DiscussionTopic.Status.SCHEDULED
    ).update(status=DiscussionTopic.Status.DISCUSSED)
    return meeting


@transaction.atomic
def record_next(
    *, meeting: Meeting, actor: User, topics: str, venue: str, guests: Iterable[Guest] = ()
) -> Meeting:
    """What the meeting agreed for the next one: its topics, guests and venue (seed step 5)."""
    meeting = locked(meeting)
    if meeting.status == Status.CANCELLED:
        raise MeetingError(_("A cancelled meeting agreed nothing."))
    meeting.next_topics = "\n".join(t.strip() for t in topics.splitlines() if t.strip())
    meeting.next_venue = venue.strip()
    meeting.save(update_fields=["next_topics", "next_venue"])
    meeting.next_guests.set(list(guests))
    record(
        working_group=meeting.working_group, actor=actor, verb="meeting.next_agreed", obj=meeting
    )
    return meeting
