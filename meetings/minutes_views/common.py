"""What the minutes pages share: the meeting, its minutes and what the reader may have of them
(``meetings.access``: one not to be seen is a 404), and the frozen renderings as HTML, kept in
the process by version, rendering, language and the state of the attribution's key."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from meetings.access import MeetingAccess, Reader, meeting_access
from meetings.forms import AdoptForm
from meetings.models import (
    Meeting,
    Minutes,
    MinutesAccess,
    MinutesVersion,
)
from meetings.queries import minutes_cache
from meetings.services import attribution
from meetings.services import minutes as service

Kind = MinutesAccess.Kind


def _meeting(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes | None, MeetingAccess]:
    """The meeting, its minutes (if started) and what this reader may have of them; a
    meeting they may not see is a 404, like another group's (the group's scope)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    minutes = _minutes(meeting)
    access = meeting_access(Reader.of(request), meeting, minutes)
    if not access.minutes:
        raise Http404
    return meeting, minutes, access


# The frozen renderings are large JSON: read one of them, when a page needs it, with
# ``_version_column``, never all three with every version row.
RENDERINGS = ("attributed", "members", "dissemination")


def _minutes(meeting: Meeting) -> Minutes | None:
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        # Not the meeting that adopted them: a whole meeting row for one title, read when shown.
        .select_related("current_version")
        .defer(*(f"current_version__{column}" for column in RENDERINGS))
        .first()
    )
    if minutes is not None:
        minutes.meeting = meeting  # known already: not read again
    return minutes


def _meeting_and_minutes(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes, MeetingAccess]:
    """As ``_meeting``, for the actions that need the minutes: none yet is a 404 too."""
    meeting, minutes, access = _meeting(request, pk)
    if minutes is None:
        raise Http404
    return meeting, minutes, access


def _back(request: HttpRequest, meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = reverse("meetings:minutes", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _version_column(version_id: int, column: str) -> dict:
    """One rendering of a frozen version: only that column is read from the database."""
    return MinutesVersion.objects.filter(pk=version_id).values_list(column, flat=True).get()


#: How long a rendered version is kept in the process (``caches["local"]``).
RENDERED_SECONDS = 3600


def _rendered(
    version: MinutesVersion | int,
    column: str,
    minutes: Minutes | None = None,
    opened: attribution.DataKey | None = None,
) -> SafeString:
    """One rendering of a frozen version, as HTML.

    A version never changes once frozen, so its HTML in a language is the same on every view:
    it is kept per version, rendering and language. In the process's memory, which renders it
    anyway, and not in Redis: who said what stays out of stores shared with other uses. The
    attributed rendering is opened with the minutes' data key, whose state (open, destroyed,
    unreadable) is part of the key: a destroyed attribution is never served from memory.
    """
    version_id = version if isinstance(version, int) else version.pk
    state = ""
    if column == "attributed":
        opened = opened or attribution.data_key(minutes)
        state = opened.state
    else:
        opened = None
    key = f"minutes:rendered:{version_id}:{column}:{get_language()}:{state}"
    local = caches["local"]
    html = local.get(key)
    if html is None:
        content = _version_column(version_id, column)
        if opened is not None:
            content = attribution.open_version(content, opened=opened, number=version.number)
        html = render_to_string(
            "meetings/minutes/includes_rendering.html", {"content": content, "rendering": column}
        )
        local.set(key, html, RENDERED_SECONDS)
    return mark_safe(html)  # our template's output


def _versions_context(meeting, minutes) -> dict:
    """The versions and, for circulated minutes, the plenaries that may adopt them: kept in
    the process until the minutes, a version, a review or a meeting of the group change."""
    kept = minutes_cache.get_or_set(
        meeting.working_group_id,
        ("versions", minutes.pk),
        lambda: _draw_versions_context(meeting, minutes),
    )
    # Which plenaries have begun changes with the clock, not with a write: decided here.
    now = timezone.now()
    later = [m for m in kept["adopting_candidates"] if service.may_adopt(minutes, m, now)]
    return {
        "versions": kept["versions"],
        "later_plenaries": later,
        "next_adopting": next((m for m in kept["adopting_candidates"] if m not in later), None),
        "adopt_form": AdoptForm(candidates=later) if later else None,
    }


def _adopting_plenaries(minutes: Minutes) -> list[Meeting]:
    """The plenaries that may adopt these minutes now, read afresh (an adoption is recorded
    against the database, not a kept list)."""
    return [m for m in service.adopting_candidates(minutes) if service.may_adopt(minutes, m)]


def _draw_versions_context(meeting, minutes) -> dict:
    return {
        "versions": list(
            minutes.versions.only(
                "pk", "minutes_id", "number", "status", "created_at", "content_hash"
            )
            # A list, not a manager: ``.all()`` in the template would clone a queryset per row.
            .prefetch_related(Prefetch("reviews", to_attr="review_list"))
            .order_by("-number")
        ),
        "adopting_candidates": list(service.adopting_candidates(minutes))
        if minutes.status == Minutes.Status.CIRCULATED
        else [],
    }
