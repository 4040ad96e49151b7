"""Who may see a meeting and its minutes, in which rendering, and who is told about them.

One policy (DESIGN.md, Confidentiality), asked by every view, partial, PDF, calendar file,
listing, task and notice; templates only show what a view was allowed to give them.

* The Secretariat (``manage_meetings``) sees every meeting, the planned ones (its drafts)
  included, and edits the attributed record; it opens every frozen version, attributed.
* A Coordination seat (``review_minutes``) sees every meeting, the planned ones too (the
  Coordination Group prepares the plenaries), reviews the version submitted to it (attributed
  or the members', as the group decided), and reads the members' version once circulated; it
  opens every frozen version in the rendering it reviews in. The Secretariat and the seats
  read the seats' comments on sections and statements (they may name who spoke).
* Members and observers see plenaries and extraordinary meetings once convened (a meeting
  cancelled before it was convened stays the Secretariat's and the seats'), and read the
  members' and dissemination versions once circulated; of the frozen versions, only those
  approved, up to the one circulated, in the members' rendering.
* A Coordination Group meeting is closed: only the Secretariat, the seats and people given the
  object permission ``meetings.view_closed`` on it (``grant_closed_access``) see it, its
  agenda or its minutes, or hear of it; its circulated minutes go to the seats only.
* A guest speaker (``meetings.view_logistics`` on one meeting) sees that meeting's logistics
  and agenda, and nothing else: no minutes, no other meeting.
* Anyone else gets 404, never 403: whether a meeting exists is itself not told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from guardian.models import UserObjectPermission

from meetings.models import Meeting, Minutes, MinutesVersion
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Action, Role
from vpswg.services.roles import confidential_role_holders

#: Meeting kinds that only the Secretariat, the seats and explicit grantees may see.
CLOSED_KINDS = frozenset({Meeting.Kind.COORDINATION})
CLOSED_PERMISSION = "view_closed"
LOGISTICS_PERMISSION = "view_logistics"


@dataclass
class Reader:
    """Someone reading a group's meetings: their permissions there, and their own grants on
    single meetings (read once, when first needed)."""

    user: User
    perms: frozenset[str]
    #: The working group read (the request's), so that the policy reads its settings without
    #: a query per meeting.
    group: WorkingGroup | None = None
    _grants: dict[str, frozenset[int]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, request) -> Reader:
        reader = getattr(request, "_meeting_reader", None)
        if reader is None:
            reader = cls(
                request.user,
                frozenset(getattr(request, "wg_perms", ())),
                getattr(request, "working_group", None),
            )
            request._meeting_reader = reader
        return reader

    @classmethod
    def for_user(cls, user: User, group: WorkingGroup) -> Reader:
        """The reader outside a request (a task making a document for one person)."""
        from vpswg.permissions import group_permissions

        return cls(user, frozenset(group_permissions(user, group)), group)

    @property
    def manages(self) -> bool:
        return Action.MANAGE_MEETINGS.value in self.perms

    @property
    def reviews(self) -> bool:
        return Action.REVIEW_MINUTES.value in self.perms

    @property
    def edits_minutes(self) -> bool:
        return Action.EDIT_MINUTES.value in self.perms

    @property
    def in_group(self) -> bool:
        return Action.VIEW_MEETINGS.value in self.perms

    @property
    def audience(self) -> str:
        """Who a listing of meetings is the same for (the kept meetings list)."""
        if self.manages:
            return "secretariat"
        if self.reviews:
            return "coordination"
        return "members"

    def _object_grants(self) -> dict[str, frozenset[int]]:
        """The user's own permissions on single meetings: one query (any group's meetings; the
        group's scope of every meeting query leaves the others out)."""
        if self._grants is None:
            rows: dict[str, set[int]] = {CLOSED_PERMISSION: set(), LOGISTICS_PERMISSION: set()}
            if self.user.is_authenticated:
                for codename, object_pk in UserObjectPermission.objects.filter(
                    user=self.user,
                    content_type=ContentType.objects.get_for_model(Meeting),
                    permission__codename__in=list(rows),
                ).values_list("permission__codename", "object_pk"):
                    if object_pk.isdigit():
                        rows[codename].add(int(object_pk))
            self._grants = {k: frozenset(v) for k, v in rows.items()}
        return self._grants

    def closed_grants(self) -> frozenset[int]:
        return self._object_grants()[CLOSED_PERMISSION]

    def guest_of(self) -> frozenset[int]:
        return self._object_grants()[LOGISTICS_PERMISSION]


@dataclass(frozen=True)
class MeetingAccess:
    """What one reader may have of one meeting. False as a whole when it is not visible."""

    visible: bool = False
    #: A guest speaker: the logistics and agenda of this meeting only.
    guest: bool = False
    manage: bool = False
    #: The minutes page: "secretariat" (the attributed record), "review" (a seat, the version
    #: under review), "members" (the circulated members' version), or "" (none: 404).
    minutes: str = ""
    #: The rendering a seat reviews: "attributed" or "members".
    review_rendering: str = ""
    #: The circulated minutes may be read (members' and dissemination versions, and PDFs).
    circulated: bool = False
    #: The rendering in which the reader opens and compares frozen versions: "attributed"
    #: (the Secretariat; a seat, if the group lets the Coordination Group see attribution),
    #: "members"; which versions, ``version_rendering`` says.
    versions: str = ""
    #: The Coordination Group's comments on sections and statements may be read (the
    #: Secretariat and the seats: a comment may name who spoke).
    comments: bool = False
    #: The calendar file may be had.
    ics: bool = False
    #: The reader may answer an invitation to it (with an invitation of their institution).
    answer: bool = False

    def __bool__(self) -> bool:
        return self.visible


HIDDEN = MeetingAccess()


def is_closed(meeting: Meeting) -> bool:
    return meeting.kind in CLOSED_KINDS


def is_draft(meeting: Meeting) -> bool:
    """The Secretariat's and the seats' alone: planned, or cancelled before it was convened
    (nobody else was ever told of it)."""
    return meeting.status == Meeting.Status.PLANNED or (
        meeting.status == Meeting.Status.CANCELLED and meeting.convened_at is None
    )


#: ``is_draft`` as a filter.
DRAFTS = Q(status=Meeting.Status.PLANNED) | Q(
    status=Meeting.Status.CANCELLED, convened_at__isnull=True
)


def _sees(reader: Reader, meeting: Meeting) -> bool:
    """Whether the reader sees the meeting as a member of the group (not as a guest)."""
    if not reader.in_group:
        return False
    if reader.manages or reader.reviews:
        return True
    if is_draft(meeting):
        return False
    if not is_closed(meeting):
        return True
    return meeting.pk in reader.closed_grants()


def meeting_access(
    reader: Reader, meeting: Meeting, minutes: Minutes | None = None
) -> MeetingAccess:
    """The policy for one reader and one meeting (and its minutes, for the minutes' fields)."""
    if _sees(reader, meeting):
        status = minutes.status if minutes is not None else ""
        if reader.edits_minutes:
            rendering = "secretariat"
        elif reader.reviews and status == Minutes.Status.SUBMITTED:
            rendering = "review"
        else:
            rendering = "members"
        group = reader.group if reader.group is not None else meeting.working_group
        review_rendering = "attributed" if group.coordination_sees_attribution else "members"
        return MeetingAccess(
            visible=True,
            manage=reader.manages,
            minutes=rendering,
            review_rendering=review_rendering,
            circulated=bool(minutes is not None and minutes.circulated_version_id),
            versions=(
                "attributed"
                if reader.edits_minutes
                else (review_rendering if reader.reviews else "members")
            ),
            comments=reader.edits_minutes or reader.reviews,
            ics=meeting.status != Meeting.Status.PLANNED or reader.manages,
            answer=Action.ANSWER_INVITATION.value in reader.perms
            and meeting.status == Meeting.Status.CONVENED,
        )
    if reader.user.is_authenticated and meeting.pk in reader.guest_of():
        return MeetingAccess(visible=True, guest=True, ics=True)
    return HIDDEN


def version_rendering(
    access: MeetingAccess, version: MinutesVersion, circulated_number: int | None
) -> str:
    """The rendering in which this reader may open one frozen version, or "" (404).

    The Secretariat opens every version, attributed. A seat opens every version in the
    rendering it reviews in, since every version was submitted to the seats. Members (and
    observers, and those given a closed meeting) open only what was approved for them: a
    version the Coordination Group approved, up to the one circulated, in the members'
    rendering; never one under review, returned or superseded.
    """
    if not access.versions:
        return ""
    if access.versions == "attributed" or access.comments:
        return access.versions
    if (
        circulated_number is not None
        and version.approved_at is not None
        and version.status == MinutesVersion.Status.APPROVED  # not withdrawn before circulation
        and version.number <= circulated_number
    ):
        return "members"
    return ""


def visible_meetings(reader: Reader) -> QuerySet[Meeting]:
    """The group's meetings the reader sees as a member of the group (listings, counts)."""
    qs = Meeting.objects.all()
    if reader.manages or reader.reviews:
        return qs
    qs = qs.exclude(DRAFTS)
    closed = Q(kind__in=CLOSED_KINDS)
    grants = reader.closed_grants()
    if grants:
        closed &= ~Q(pk__in=grants)
    return qs.exclude(closed)


# --- Who is told ---------------------------------------------------------------------------------


def _closed_readers(meeting: Meeting) -> set[int]:
    """The users who may know of a closed meeting: the Secretariat, the seats, its grantees
    and its guest speakers (the group's scope is active)."""
    allowed = {row["user_id"] for row in confidential_role_holders()}
    allowed |= set(
        UserObjectPermission.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting),
            object_pk=str(meeting.pk),
            permission__codename__in=[CLOSED_PERMISSION, LOGISTICS_PERMISSION],
        ).values_list("user_id", flat=True)
    )
    return allowed


def may_be_told(meeting: Meeting, users: Iterable[User]) -> list[User]:
    """Of ``users``, those a notice about the meeting may reach (convening, changes,
    reminders): for a closed meeting, only those who may see it."""
    users = list(users)
    if not is_closed(meeting):
        return users
    allowed = _closed_readers(meeting)
    return [u for u in users if u.pk in allowed]


def circulation_recipients(minutes: Minutes) -> list[User]:
    """Who is told that minutes are circulated: members and observers, or for a closed
    meeting's minutes the Coordination Group's seats only."""
    roles = [Role.COORDINATION] if is_closed(minutes.meeting) else [Role.MEMBER, Role.OBSERVER]
    readers = {
        r.user_id: r.user
        for r in RoleAssignment.objects.filter(role__in=roles).select_related("user")
        if r.user.is_active
    }
    return sorted(readers.values(), key=lambda u: u.pk)


def closed_grantees(meeting: Meeting) -> list[User]:
    """The people given access to a closed meeting by name (not by role)."""
    ids = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_pk=str(meeting.pk),
        permission__codename=CLOSED_PERMISSION,
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "email"))
