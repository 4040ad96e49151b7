"""Who may read a document: its audience, and the meeting it belongs to.

One rule for every channel (the library, a meeting's page, a download, search, the meeting
pack, the public page): a document is read by its audience (public and "members and
observers": anyone holding a role in the group; "Coordination Group seats only": the seats and
the Secretariat; "Secretariat only"), and only by those who see the meeting it is attached to
(``meetings.access``: a planned meeting is the Secretariat's and the seats', a closed one is
theirs and its grantees'). Anyone else gets 404: whether a document exists is not told.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from meetings.access import CLOSED_KINDS, Reader, _sees, is_closed, is_draft, visible_meetings
from meetings.models import Document, Meeting
from vpswg.models.search import SEATS
from vpswg.roles import Action

Audience = Document.Audience

#: The permission each audience needs (``SearchEntry.requires``); ``SEATS``: the Secretariat
#: and the Coordination Group's seats.
AUDIENCE_REQUIRES = {
    Audience.PUBLIC: Action.VIEW_MEETINGS.value,
    Audience.MEMBERS: Action.VIEW_MEETINGS.value,
    Audience.COORDINATION: SEATS,
    Audience.SECRETARIAT: Action.MANAGE_MEETINGS.value,
}
#: From the widest audience to the narrowest.
_ORDER = [Action.VIEW_MEETINGS.value, SEATS, Action.MANAGE_MEETINGS.value]


def audiences(reader: Reader) -> list[str]:
    """The audiences whose documents the reader may read (of the meetings they see)."""
    if not reader.in_group:
        return []
    allowed = [Audience.PUBLIC, Audience.MEMBERS]
    if reader.manages or reader.reviews:
        allowed.append(Audience.COORDINATION)
    if reader.manages:
        allowed.append(Audience.SECRETARIAT)
    return allowed


def requires(document: Document) -> tuple[str, int | None]:
    """What reading the document needs, for the search index: the narrower of its audience's
    permission and its meeting's, and the meeting if it is closed."""
    needed = AUDIENCE_REQUIRES[Audience(document.audience)]
    meeting = document.meeting
    if meeting is None:
        return needed, None
    if is_draft(meeting):
        needed = max(needed, SEATS, key=_ORDER.index)
    return needed, (meeting.pk if is_closed(meeting) else None)


def may_read(reader: Reader, document: Document) -> bool:
    if document.audience not in audiences(reader):
        return False
    return document.meeting is None or _sees(reader, document.meeting)


def visible_documents(reader: Reader) -> QuerySet[Document]:
    """The group's documents the reader may read (with a file), in one query."""
    qs = Document.objects.filter(
        current_version__isnull=False, audience__in=[str(a) for a in audiences(reader)]
    )
    return qs.filter(Q(meeting__isnull=True) | Q(meeting__in=visible_meetings(reader)))


def public_documents() -> QuerySet[Document]:
    """What the group's public page lists: public documents, not of a closed meeting (a public
    document cannot be attached to one: ``check_placement``) nor of one not yet convened (or
    cancelled before it was)."""
    return Document.objects.filter(current_version__isnull=False, audience=Audience.PUBLIC).exclude(
        Q(meeting__status=Meeting.Status.PLANNED)
        | Q(meeting__status=Meeting.Status.CANCELLED, meeting__convened_at__isnull=True)
        | Q(meeting__kind__in=[str(k) for k in CLOSED_KINDS])
    )
