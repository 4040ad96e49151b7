"""Planning, convening, changing and cancelling meetings; the agenda and its speakers.

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

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from meetings import access
from meetings.models import AgendaItem, DiscussionTopic, Guest, Invitation, Meeting
from meetings.services.ics import meeting_ics_factory
from members.models import Institution, Representative
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.invitations import get_or_invite_user, invitation_path, needs_password
from vpswg.services.notifications import Recipient

Status = Meeting.Status
#: Changing one of these after convening sends everyone an updated invitation.
LOGISTICS = ("title", "start", "duration_minutes", "venue", "online_link")


class MeetingError(ValidationError):
    """A meeting step that is not possible now; the message says why."""


def meeting_path(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"wg": meeting.working_group.slug, "pk": meeting.pk})


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def previous_agreements(group: WorkingGroup) -> dict:
    """What the last meeting agreed for the next one, to prefill a new meeting."""
    last = (
        Meeting.objects.filter(working_group=group, status=Status.HELD)
        .exclude(next_topics="", next_venue="")
        .order_by("-start")
        .prefetch_related("next_guests")
        .first()
    )
    if last is None:
        return {}
    return {
        "from_meeting": last,
        "topics": [t.strip() for t in last.next_topics.splitlines() if t.strip()],
        "venue": last.next_venue,
        "guests": list(last.next_guests.all()),
    }


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
    """Plan a meeting; a plenary takes the topics, guests and venue the last one agreed."""
    agreed = (
        previous_agreements(working_group)
        if use_agreements and kind == Meeting.Kind.PLENARY
        else {}
    )
    meeting = Meeting(
        working_group=working_group,
        kind=kind,
        title=title,
        start=start.replace(second=0, microsecond=0),
        duration_minutes=duration_minutes or working_group.default_meeting_duration,
        venue=venue or agreed.get("venue", ""),
        online_link=online_link,
        format=format,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    for position, topic in enumerate(agreed.get("topics", []), start=1):
        AgendaItem.objects.create(
            working_group=working_group,
            meeting=meeting,
            position=position,
            topic=topic[:300],
            format=format,
        )
    if agreed.get("guests"):
        first = meeting.agenda_items.order_by("position").first()
        if first is None:
            first = AgendaItem.objects.create(
                working_group=working_group,
                meeting=meeting,
                position=1,
                topic=_("Presentations by guests"),
                format=format,
            )
        first.guests.add(*agreed["guests"])
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
    meeting = _locked(meeting)
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
    active = Institution.objects.filter(standing=Institution.Standing.ACTIVE)
    if meeting.kind == Meeting.Kind.COORDINATION:
        seat_users = RoleAssignment.objects.filter(role=Role.COORDINATION).values("user")
        active = active.filter(
            representatives__user__in=seat_users, representatives__end_date__isnull=True
        ).distinct()
    return list(active.order_by("name"))


def recipients(meeting: Meeting) -> list[User]:
    """Everyone a notice about this meeting goes to: the current representatives of the invited
    institutions and its guest speakers; for a closed (Coordination Group) meeting, only those
    of them the access policy lets see it (the seat holders), and the people given access."""
    reps = Representative.objects.filter(
        institution__invitations__meeting=meeting, end_date__isnull=True
    ).select_related("user")
    users = {r.user_id: r.user for r in reps if r.user.is_active}
    if access.is_closed(meeting):
        users.update((u.pk, u) for u in access.closed_grantees(meeting) if u.is_active)
    for guest in Guest.objects.filter(
        agenda_items__meeting=meeting, user__isnull=False
    ).select_related("user"):
        users.setdefault(guest.user_id, guest.user)
    return access.may_be_told(meeting, sorted(users.values(), key=lambda u: u.pk))


def _send(meeting: Meeting, *, kind: str, key: str, cancel: bool = False, **context) -> list[int]:
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

    return notifications.notify(
        working_group=meeting.working_group,
        recipients=recipients(meeting),
        kind=kind,
        key=f"{meeting.pk}:{key}",
        context={"meeting": meeting, "zone": meeting.working_group.zone, **context},
        link=path,
        attachments=calendar,
    )


@transaction.atomic
def convene(*, meeting: Meeting, actor: User | None = None) -> Meeting:
    """Invite the institutions and send each person the convening notice with its calendar file.

    Idempotent per meeting: the notices' keys are unique, so a second run (the daily job
    racing the Secretariat's button) sends nothing twice.
    """
    meeting = _locked(meeting)
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
    meeting.status = Status.CONVENED
    meeting.convened_at = timezone.now()
    meeting.save(update_fields=["status", "convened_at"])
    record(
        working_group=group,
        actor=actor,
        verb="meeting.convened",
        obj=meeting,
        from_state=Status.PLANNED,
        to_state=Status.CONVENED,
        data={"institutions": Invitation.objects.filter(meeting=meeting).count()},
    )
    _send(meeting, kind="meeting_convened", key="convened")
    return meeting


@transaction.atomic
def cancel(*, meeting: Meeting, actor: User, reason: str) -> Meeting:
    meeting = _locked(meeting)
    if not meeting.is_open:
        raise MeetingError(_("Only a planned or convened meeting can be cancelled."))
    if not reason.strip():
        raise MeetingError(_("Give the reason: everyone invited is told."))
    previous = meeting.status
    meeting.status = Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_at", "cancellation_reason", "sequence"])
    DiscussionTopic.objects.filter(
        agenda_item__meeting=meeting, status=DiscussionTopic.Status.SCHEDULED
    ).update(status=DiscussionTopic.Status.PROPOSED, agenda_item=None)
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="meeting.cancelled",
        obj=meeting,
        from_state=previous,
        to_state=Status.CANCELLED,
    )
    if previous == Status.CONVENED:
        _send(
            meeting,
            kind="meeting_cancelled",
            key="cancelled",
            cancel=True,
            reason=meeting.cancellation_reason,
        )
    return meeting


# --- Agenda -------------------------------------------------------------------------------------


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
    meeting = _locked(item.meeting)
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


# --- Guests --------------------------------------------------------------------------------------


@transaction.atomic
def register_guest(*, working_group: WorkingGroup, actor: User, **fields) -> Guest:
    guest = Guest(working_group=working_group, **fields)
    guest.full_clean()
    guest.save()
    record(working_group=working_group, actor=actor, verb="guest.registered", obj=guest)
    return guest


@transaction.atomic
def invite_guest(*, meeting: Meeting, guest: Guest, actor: User) -> None:
    """Give a guest speaker access to this meeting's logistics and nothing else, and tell them."""
    if not guest.email:
        return  # a guest without an address is listed, not invited
    if guest.user_id is None:
        user, _created = get_or_invite_user(email=guest.email, full_name=guest.name)
        guest.user = user
        guest.save(update_fields=["user"])
    assign_perm("meetings.view_logistics", guest.user, meeting)
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="guest.invited",
        obj=meeting,
        data={"guest": guest.pk},
    )
    link = (
        invitation_path(guest.user) + "?next=" + meeting_path(meeting)
        if needs_password(guest.user)
        else meeting_path(meeting)
    )
    notifications.notify(
        working_group=meeting.working_group,
        recipients=[guest.user],
        kind="guest_invited",
        key=f"{meeting.pk}:{guest.pk}",
        context={
            "meeting": meeting,
            "zone": meeting.working_group.zone,
            "guest": guest,
            "needs_password": needs_password(guest.user),
        },
        link=link,
        in_app=False,
    )


# --- Closed meetings -----------------------------------------------------------------------------


@transaction.atomic
def grant_closed_access(*, meeting: Meeting, user: User, actor: User) -> None:
    """Let one person who holds no seat see a closed meeting, its agenda and its minutes (an
    invited expert of the group, a member asked to report): guardian's object permission."""
    if not access.is_closed(meeting):
        raise MeetingError(_("Only a Coordination Group meeting is closed to the members."))
    if not Representative.objects.filter(user=user, end_date__isnull=True).exists():
        raise MeetingError(_("Access is given to a current representative of the group."))
    assign_perm(f"meetings.{access.CLOSED_PERMISSION}", user, meeting)
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="meeting.closed_access_granted",
        obj=meeting,
        data={"user": user.pk},
    )


@transaction.atomic
def revoke_closed_access(*, meeting: Meeting, user: User, actor: User) -> None:
    """Take that access away; effective on the person's next request (a kept listing is kept
    per reader's grants, so it does not outlive the grant)."""
    remove_perm(f"meetings.{access.CLOSED_PERMISSION}", user, meeting)
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="meeting.closed_access_revoked",
        obj=meeting,
        data={"user": user.pk},
    )
