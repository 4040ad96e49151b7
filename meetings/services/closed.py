"""Who beyond the seats may see a closed (Coordination Group) meeting: guardian's object
permission, granted and revoked by the Secretariat, read by ``meetings.access``."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from meetings import access
from meetings.models import Meeting
from meetings.services.meetings import MeetingError
from members.models import Representative
from vpswg.models import User
from vpswg.services.audit import record


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
