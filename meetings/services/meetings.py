"""Planning, convening, changing and cancelling meetings (the agenda is in ``agenda``, guest
speakers in ``guests``, who may see a closed meeting in ``closed``).

    plan ............ -> planned
    convene   planned -> convened   (invitations, then a notice with a calendar file to each)
    update    planned | convened    (a change of time or place after convening: a new notice,
                                      same calendar UID, SEQUENCE + 1)
    cancel    planned | convened -> cancelled   (everyone invited is told, calendar CANCEL)
    record_attendance  convened | held -> held  (meetings.services.attendance)

Plenaries and extraordinary meetings invite every active member and observer institution
(observers are formally invited, seed step 2); Coordination Group meetings invite the
institutions of the seats and notify the seat holders only.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings import access
from meetings.models import AgendaItem, DiscussionTopic, Guest, Invitation, Meeting, Minutes
from meetings.services.ics import meeting_ics_factory
from members.models import Institution, Representative
from members.queries import active_institutions
from vpswg.models import User, WorkingGroup
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.notifications import Recipient
from vpswg.services.roles import seats
from vpswg.services.transitions import transition

Status = Meeting.Status
#: Changing one of these after convening sends everyone an updated invitation.
LOGISTICS = ("title", "start", "duration_minutes", "venue", "online_link")


class MeetingError(ValidationError):
    """A meeting step that is not possible now; the message says why."""


def meeting_path(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"wg": meeting.working_group.slug, "pk": meeting.pk})


def locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def agreed_venue(group: WorkingGroup) -> str:
    """The venue the last held plenary agreed for the next, to prefill a new meeting (its
    topics and guests are offered on the new plenary's page: ``services.agreements``)."""
    return (
        Meeting.objects.filter(working_group=group, status=Status.HELD, kind=Meeting.Kind.PLENARY)
        .exclude(next_venue="")
        .order_by("-start")
        .values_list("next_venue", flat=True)
        .first()
        or ""
    )


def _add_approval_of_minutes(meeting: Meeting) -> AgendaItem | None:
    """The first item of a plenary: the approval of the minutes circulated and not yet
    adopted (recorded at this plenary with ``minutes_adopt``); in the group's language."""
    pending = list(
        Minutes.objects.filter(
            status=Minutes.Status.CIRCULATED,
            meeting__kind=Meeting.Kind.PLENARY,
            meeting__start__lt=meeting.start,
        )
        .select_related("meeting")
        .order_by("meeting__start")
    )
    if not pending:
        return None
    with translation.override(meeting.working_group.default_language):
        titles = ", ".join(f"“{m.meeting.title}”" for m in pending)
        topic = _("Approval of the minutes of %(titles)s") % {"titles": titles}
    return AgendaItem.objects.create(
        working_group=meeting.working_group,
        meeting=meeting,
        position=1,
        topic=topic[:300],
        format=meeting.format,
        duration_minutes=15,
    )


@transaction.atomic
def plan_meeting(
    *,
    working_group: WorkingGroup,
    actor: User,
    kind: str,
    title: str,
    start: datetime,
    duration_minutes: int | None = None,
    venue: str = "",
    online_link: str = "",
    format: str = Meeting.Format.DIALOGUE,
    use_agreements: bool = True,
) -> Meeting:
    """Plan a meeting. A plenary opens with the approval of the minutes awaiting it; what the
    last one agreed is offered on its page (``services.agreements``), not added here."""
    meeting = Meeting(
        working_group=working_group,
        kind=kind,
        title=title,
        start=start.replace(second=0, microsecond=0),
        duration_minutes=duration_minutes or working_group.default_meeting_duration,
        venue=venue
        or (agreed_venue(working_group) if use_agreements and kind == Meeting.Kind.PLENARY else ""),
        online_link=online_link,
        format=format,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    if use_agreements and kind == Meeting.Kind.PLENARY:
        _add_approval_of_minutes(meeting)
    record(
        working_group=working_group,
        actor=actor,
        verb="meeting.planned",
        obj=meeting,
        to_state=Status.PLANNED,
        data={"kind": kind},
    )
    return meeting


@transaction.atomic
def update_meeting(*, meeting: Meeting, actor: User, **fields) -> Meeting:
    meeting = locked(meeting)
    if not meeting.is_open:
        raise MeetingError(_("A meeting that has been held or cancelled cannot be changed."))
    if "start" in fields:
        fields["start"] = fields["start"].replace(second=0, microsecond=0)
    changed = [k for k, v in fields.items() if getattr(meeting, k) != v]
    for key, value in fields.items():
        setattr(meeting, key, value)
    meeting.full_clean()
    logistics_changed = meeting.status == Status.CONVENED and any(k in LOGISTICS for k in changed)
    if logistics_changed:
        meeting.sequence += 1
    meeting.save()
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="meeting.changed",
        obj=meeting,
        data={"fields": sorted(changed)},
    )
    if logistics_changed:
        _send(meeting, kind="meeting_updated", key=f"update:{meeting.sequence}")
    return meeting


def _invited_institutions(meeting: Meeting) -> list[Institution]:
    active = active_institutions()
    if meeting.kind == Meeting.Kind.COORDINATION:
        seat_users = [s.user_id for s in seats()]
        active = active.filter(
            representatives__user__in=seat_users, representatives__end_date__isnull=True
        ).distinct()
    return list(active.order_by("name"))


def recipients(meeting: Meeting) -> list[User]:
    """Everyone a notice about this meeting goes to: the current representatives of the invited
    institutions and its guest speakers; for a closed (Coordination Group) meeting, only those
    of them the access policy lets see it (the seat holders), and the people given access."""
    return _audience(meeting)[0]


def _audience(meeting: Meeting) -> tuple[list[User], set[int]]:
    """``recipients`` and, of them, those told as guest speakers only (no institution of
    theirs is invited): their notice differs."""
    reps = Representative.objects.filter(
        institution__invitations__meeting=meeting, end_date__isnull=True
    ).select_related("user")
    users = {r.user_id: r.user for r in reps if r.user.is_active}
    if access.is_closed(meeting):
        users.update((u.pk, u) for u in access.closed_grantees(meeting) if u.is_active)
    guest_only = set()
    for guest in Guest.objects.filter(
        agenda_items__meeting=meeting, user__isnull=False
    ).select_related("user"):
        if guest.user_id not in users:
            guest_only.add(guest.user_id)
        users.setdefault(guest.user_id, guest.user)
    told = access.may_be_told(meeting, sorted(users.values(), key=lambda u: u.pk))
    return told, guest_only


def _send(
    meeting: Meeting,
    *,
    kind: str,
    key: str,
    cancel: bool = False,
    only: set[int] | None = None,
    **context,
) -> list[int]:
    """The notice ``kind`` with the meeting's calendar file, to its audience (``only``: those
    of them with these user ids, the representatives of one institution invited late)."""
    path = meeting_path(meeting)
    url = notifications.absolute_url(path)
    ics = meeting_ics_factory(meeting, url=url, cancel=cancel)

    def calendar(recipient: Recipient, language: str) -> list[dict]:
        return [
            {
                "filename": "invite.ics",
                "mimetype": "text/calendar; method=" + ("CANCEL" if cancel else "REQUEST"),
                "content": ics(recipient.email, language),
            }
        ]

    # Guest speakers answer for no institution: their notice says what their page holds for
    # them (the rows' keys are per recipient, so the two calls make one event).
    everyone, guests = _audience(meeting)
    if only is not None:
        everyone = [u for u in everyone if u.pk in only]
    sent = []
    for people, as_guest in (
        ([u for u in everyone if u.pk not in guests], False),
        ([u for u in everyone if u.pk in guests], True),
    ):
        if people:
            sent += notifications.notify(
                working_group=meeting.working_group,
                recipients=people,
                kind=kind,
                key=f"{meeting.pk}:{key}",
                context={
                    "meeting": meeting,
                    "zone": meeting.working_group.zone,
                    "as_guest": as_guest,
                    **context,
                },
                link=path,
                attachments=calendar,
            )
    return sent


@transaction.atomic
def convene(*, meeting: Meeting, actor: User | None = None) -> Meeting:
    """Invite the institutions and send each person the convening notice with its calendar file.

    Idempotent per meeting: the notices' keys are unique, so a second run (the daily job
    racing the Secretariat's button) sends nothing twice.
    """
    meeting = locked(meeting)
    if meeting.status != Status.PLANNED:
        raise MeetingError(_("Only a planned meeting can be convened."))
    if meeting.start <= timezone.now():
        raise MeetingError(_("This meeting's time has passed; change it before convening."))
    group = meeting.working_group
    existing = set(
        Invitation.objects.filter(meeting=meeting).values_list("institution_id", flat=True)
    )
    Invitation.objects.bulk_create(
        [
            Invitation(working_group=group, meeting=meeting, institution=i)
            for i in _invited_institutions(meeting)
            if i.pk not in existing
        ]
    )
    transition(
        meeting,
        to=Status.CONVENED,
        verb="meeting.convened",
        actor=actor,
        also={"convened_at": timezone.now()},
        data={"institutions": Invitation.objects.filter(meeting=meeting).count()},
    )
    _send(meeting, kind="meeting_convened", key="convened")
    return meeting


def _upcoming(group: WorkingGroup):
    return Meeting.objects.filter(
        working_group=group, status=Status.CONVENED, start__gt=timezone.now()
    )


def _current_reps(institution: Institution) -> set[int]:
    return set(
        Representative.objects.filter(
            institution=institution, end_date__isnull=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def follow_standing(institution: Institution) -> None:
    """An institution newly active (admitted, added, reinstated) while plenaries are convened
    is invited to those still to come, and its representatives get the convening notice and
    calendar file everyone had (keyed by the invitation: a reinstated institution's people are
    told again). A suspended, expelled or withdrawn one loses its invitations to meetings still
    to come, and its people are told, with a calendar update that removes them."""
    upcoming = _upcoming(institution.working_group)
    if institution.standing != Institution.Standing.ACTIVE:
        people = list(User.objects.filter(pk__in=_current_reps(institution)).order_by("pk"))
        for invitation in Invitation.objects.filter(
            institution=institution, meeting__in=upcoming
        ).select_related("meeting"):
            _withdrawn(invitation, people)
            invitation.delete()
        return
    for meeting in upcoming.order_by("start"):
        if Invitation.objects.filter(meeting=meeting, institution=institution).exists():
            continue
        if institution.pk not in {i.pk for i in _invited_institutions(meeting)}:
            continue  # a closed meeting, say: only the seats' institutions
        invitation = Invitation.objects.create(
            working_group=meeting.working_group, meeting=meeting, institution=institution
        )
        _send(
            meeting,
            kind="meeting_convened",
            key=f"convened:{invitation.pk}",
            only=_current_reps(institution),
        )


def follow_representative(representative: Representative) -> None:
    """A representative added to an institution already invited to meetings still to come is
    sent their convening notices (the others had theirs at the convening)."""
    for invitation in Invitation.objects.filter(
        institution_id=representative.institution_id,
        meeting__in=_upcoming(representative.working_group),
    ).select_related("meeting"):
        _send(
            invitation.meeting,
            kind="meeting_convened",
            key=f"convened:{invitation.pk}",
            only={representative.user_id},
        )


def _withdrawn(invitation: Invitation, people: list[User]) -> None:
    meeting = invitation.meeting
    if not people:
        return
    url = notifications.absolute_url(meeting_path(meeting))
    ics = meeting_ics_factory(meeting, url=url, cancel=True)
    notifications.notify(
        working_group=meeting.working_group,
        recipients=people,
        kind="invitation_withdrawn",
        key=f"{meeting.pk}:withdrawn:{invitation.pk}",
        context={"meeting": meeting, "zone": meeting.working_group.zone},
        link="",
        attachments=lambda recipient, language: [
            {
                "filename": "invite.ics",
                "mimetype": "text/calendar; method=CANCEL",
                "content": ics(recipient.email, language),
            }
        ],
    )


@transaction.atomic
def cancel(*, meeting: Meeting, actor: User, reason: str) -> Meeting:
    meeting = locked(meeting)
    if not meeting.is_open:
        raise MeetingError(_("Only a planned or convened meeting can be cancelled."))
    if not reason.strip():
        raise MeetingError(_("Give the reason: everyone invited is told."))
    previous = transition(
        meeting,
        to=Status.CANCELLED,
        verb="meeting.cancelled",
        actor=actor,
        also={
            "cancelled_at": timezone.now(),
            "cancellation_reason": reason.strip(),
            "sequence": meeting.sequence + 1,
        },
    )
    DiscussionTopic.objects.filter(
        agenda_item__meeting=meeting, status=DiscussionTopic.Status.SCHEDULED
    ).update(status=DiscussionTopic.Status.PROPOSED, agenda_item=None)
    # What it took from the last meeting's agreements is offered again, to the next plenary.
    for source in Meeting.objects.filter(
        working_group=meeting.working_group, status=Status.HELD, start__lt=meeting.start
    ).exclude(next_taken={}):
        kept = {k: v for k, v in source.next_taken.items() if v != meeting.pk}
        if kept != source.next_taken:
            source.next_taken = kept
            source.save(update_fields=["next_taken"])
    if previous == Status.CONVENED:
        _send(
            meeting,
            kind="meeting_cancelled",
            key="cancelled",
            cancel=True,
            reason=meeting.cancellation_reason,
        )
    return meeting
