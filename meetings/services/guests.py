"""Guest speakers: registered once with the group, invited to a meeting, they see its logistics
and nothing else (guardian's ``view_logistics`` on that meeting)."""

from __future__ import annotations

from django.db import transaction
from guardian.shortcuts import assign_perm

from meetings.models import Guest, Meeting
from meetings.services.meetings import meeting_path
from vpswg.models import User, WorkingGroup
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.invitations import get_or_invite_user, invitation_path, needs_password


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
        invitation_path(guest.user, group=meeting.working_group) + "?next=" + meeting_path(meeting)
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
