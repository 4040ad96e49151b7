"""Permission-aware reads of meetings: a constant number of queries whatever the size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.access import Reader, visible_meetings
from meetings.models import (
    AgendaItem,
    Attendance,
    DiscussionTopic,
    Document,
    DocumentVersion,
    Guest,
    GuestReply,
    Invitation,
    Meeting,
    Minutes,
    MinutesReview,
    MinutesVersion,
)
from members.models import Institution
from vpswg.groupcache import GroupCache
from vpswg.models import User, WorkingGroup
from vpswg.roles import Pillar

#: The meetings list, rendered (``meetings.views.pages.meeting_index``), and what members see of a
#: meeting (``meeting_page`` without the invitations).
meetings_cache = GroupCache(
    "meetings",
    drawn_from=(
        WorkingGroup,  # its slug in the links, its time zone
        Meeting,
        Invitation,
        Attendance,
        AgendaItem,
        AgendaItem.speakers.through,
        AgendaItem.guests.through,
        Guest,
        Institution,  # pillars
    ),
    user_fields=("full_name", "email"),  # the speakers named on an agenda
)
# The list says when a meeting's minutes were circulated or adopted: their status, not the
# text saved at every keystroke's autosave.
meetings_cache.watch_fields(Minutes, ("status", "adopted_at_meeting"))
# A meeting's documents, per audience (``meetings.views.pages``).
meetings_cache.watch(Document, DocumentVersion)

#: The versions of a group's minutes, their reviews and the plenaries that may adopt them,
#: and the members' minutes page (``meetings.minutes_views``): kept in each process, not in
#: Redis.
minutes_cache = GroupCache(
    "minutes",
    drawn_from=(
        WorkingGroup,  # its slug in the links, its time zone
        Meeting,
        Minutes,
        MinutesVersion,
        MinutesReview,
    ),
    local=True,
)

LIST_FIELDS = ("pk", "kind", "title", "start", "venue", "status")


def meeting_list(reader: Reader, *, kind: str = "", year: int | None = None):
    """Upcoming and past meetings the reader may see (``meetings.access``): the rows a list
    shows, each with ``invited`` and ``attending`` (institutions answering yes) counted in the
    same query, for the rows a page shows only."""
    invitations = Invitation.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    qs = (
        visible_meetings(reader)
        .only(*LIST_FIELDS)
        .annotate(
            # Members are told of minutes once circulated; drafts are the Secretariat's.
            minutes_status=F("minutes__status"),
            adopted_at_title=F("minutes__adopted_at_meeting__title"),
            invited=Coalesce(Subquery(invitations.annotate(n=Count("pk")).values("n")), 0),
            attending=Coalesce(
                Subquery(invitations.filter(answer="yes").annotate(n=Count("pk")).values("n")), 0
            ),
        )
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(start__year=year)
    upcoming = Q(
        start__gte=timezone.now(),
        status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
    )
    return qs.filter(upcoming).order_by("start"), qs.exclude(upcoming).order_by("-start")


def years(reader: Reader) -> list[int]:
    return sorted({d.year for d in visible_meetings(reader).dates("start", "year")}, reverse=True)


@dataclass
class PillarAttendance:
    pillar: str
    label: str
    institutions: int = 0
    people: int = 0


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    invitations: list[Invitation] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    attendance: list[Attendance] = field(default_factory=list)
    by_pillar: list[PillarAttendance] = field(default_factory=list)
    observers_present: int = 0
    observer_people_present: int = 0


def meeting_page(meeting: Meeting, *, with_invitations: bool) -> MeetingPage:
    """Agenda, invitations and attendance of one meeting: five queries at most."""
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting)
        # Lists, not managers: ``.all()`` in the template clones a queryset per row and call.
        .prefetch_related(
            # Names only: what the agenda shows (``User.__str__``, ``Guest.__str__``).
            Prefetch(
                "speakers",
                queryset=User.objects.only("pk", "full_name", "email"),
                to_attr="speaker_list",
            ),
            Prefetch(
                "guests",
                queryset=Guest.objects.only("pk", "name", "organisation", "user_id"),
                to_attr="guest_list",
            ),
        )
        .order_by("position", "id")
    )
    page = MeetingPage(meeting=meeting, agenda=agenda)
    if with_invitations:
        page.invitations = list(
            Invitation.objects.filter(meeting=meeting)
            .select_related("institution", "answered_by")
            .prefetch_related(Prefetch("attendees", to_attr="attendee_list"))
            .order_by("institution__pillar", "institution__name")
        )
        page.answers = Counter(i.answer for i in page.invitations)
        page.attendance = list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("user", "institution")
            .order_by("institution__name", "user__full_name")
        )
        present = [
            (a.institution_id, a.institution.pillar, a.institution.participation)
            for a in page.attendance
        ]
    else:
        # Members see counts only: no rows are loaded, only what is counted.
        page.answers = Counter(
            dict(
                Invitation.objects.filter(meeting=meeting)
                .values_list("answer")
                .annotate(n=Count("id"))
                .order_by()
            )
        )
        present = list(
            Attendance.objects.filter(meeting=meeting).values_list(
                "institution_id", "institution__pillar", "institution__participation"
            )
        )
    pillars = {p.value: PillarAttendance(p.value, str(p.label)) for p in Pillar}
    seen: set[int] = set()
    for institution, pillar, participation in present:
        if participation == Institution.Participation.OBSERVER and not pillar:
            page.observer_people_present += 1
            if institution not in seen:
                page.observers_present += 1
        elif pillar in pillars:
            entry = pillars[pillar]
            entry.people += 1
            if institution not in seen:
                entry.institutions += 1
        seen.add(institution)
    page.by_pillar = list(pillars.values())
    return page


def topics_with_interest(user):
    return (
        DiscussionTopic.objects.exclude(status=DiscussionTopic.Status.WITHDRAWN)
        .select_related("proposed_by", "agenda_item__meeting")
        .annotate(
            interested=Count("interest", distinct=True),
            mine=Count("interest", filter=Q(interest__user=user), distinct=True),
        )
        .order_by("status", "-interested", "-created_at")
    )


class PlenaryAttendance:
    """The attendance record membership's compliance reads (``members.attendance``): two
    queries, whatever the size."""

    def recent_plenaries(self, group: WorkingGroup, limit: int) -> list[tuple[int, datetime]]:
        return list(
            Meeting.objects.filter(
                working_group=group,
                kind=Meeting.Kind.PLENARY,
                status=Meeting.Status.HELD,
                start__lte=timezone.now(),
            )
            .order_by("-start")
            .values_list("id", "start")[:limit]
        )

    def institutions_present(self, group: WorkingGroup, meeting_ids: list[int]) -> dict[int, int]:
        return dict(
            Attendance.objects.filter(working_group=group, meeting_id__in=meeting_ids)
            .values("institution")
            .annotate(n=Count("meeting", distinct=True))
            .values_list("institution", "n")
        )


@dataclass
class GuestAnswer:
    guest: Guest
    answer: str  # "yes", "no", or "" when the guest has not answered
    label: str


def guest_replies(meeting: Meeting) -> list[GuestAnswer]:
    """Each guest speaker of the meeting with their own answer: two queries."""
    replies = dict(GuestReply.objects.filter(meeting=meeting).values_list("guest_id", "answer"))
    labels = dict(GuestReply.Answer.choices)
    return [
        GuestAnswer(guest, replies.get(guest.pk, ""), str(labels.get(replies.get(guest.pk), "")))
        for guest in Guest.objects.filter(agenda_items__meeting=meeting).distinct().order_by("name")
    ]
