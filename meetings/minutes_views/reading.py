"""One URL, three readers: the Secretariat reads or edits the attributed record, a
Coordination seat reviews the version submitted, members read the circulated members'
version; and the PDF of what each may read. Which rendering is the access policy's
(``meetings.access``); templates only display what they are given."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meetings.access import MeetingAccess, Reader, meeting_access
from meetings.minutes_views.common import (
    Kind,
    _meeting,
    _meeting_and_minutes,
    _minutes,
    _rendered,
    _version_column,
    _versions_context,
)
from meetings.minutes_views.editor import _editor
from meetings.minutes_views.pdf import render_minutes_pdf, render_version_pdf
from meetings.minutes_views.versions import contents, default_pair, openable_versions, returned_by
from meetings.models import (
    Meeting,
    Minutes,
    MinutesReview,
)
from meetings.queries import minutes_cache
from meetings.services import attribution, redaction
from meetings.services import minutes as service
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    reader = Reader.of(request)
    if not (reader.edits_minutes or reader.reviews):
        return _members_page(request, pk, reader)
    meeting, minutes, access = _meeting(request, pk)
    if request.GET.get("version") == "dissemination":
        return _reader(request, meeting, minutes, "dissemination", access)
    if access.minutes == "secretariat":
        if (
            minutes is not None
            and minutes.status != Minutes.Status.DRAFT
            and (minutes.status == Minutes.Status.ADOPTED or request.GET.get("edit") != "1")
        ):
            return _attributed_reader(request, meeting, minutes)
        return _editor(request, meeting, minutes)
    if access.minutes == "review":
        return _review(request, meeting, minutes, access)
    return _reader(request, meeting, minutes, "members", access)


def _members_page(request: HttpRequest, pk: int, reader: Reader) -> HttpResponse:
    """The page most people open most often: the circulated minutes as members, observers
    and the people given a closed meeting read them (neither editing nor reviewing, they read
    nothing else here), in the members' rendering or the one to share.

    What it shows is the same for all of them: the meeting, its minutes and the versions they
    may open, rendered, are kept in the process (``minutes_cache``: retired by any write to
    the group, its meetings, minutes, versions or reviews) per meeting, rendering and
    language. Who may have it is decided on every request, by the same policy as every other
    page (``meetings.access``), from the reader's permissions read for this request and the
    kept meeting and minutes: a reader it refuses gets the same 404 as for a meeting that does
    not exist, and a page is drawn only for a reader it lets in. Every reading is logged.
    """
    column = "dissemination" if request.GET.get("version") == "dissemination" else "members"

    def draw() -> dict:
        meeting = get_object_or_404(Meeting, pk=pk)
        minutes = _minutes(meeting)
        access = meeting_access(reader, meeting, minutes)
        if not access.minutes:
            raise Http404  # not kept: drawn only for a reader who may have it
        # Such a reader's access opens the versions in the members' rendering, whoever it
        # is (``access.versions``): what is kept is the same for all of them.
        return {
            "meeting": meeting,
            "minutes": minutes,
            "html": _reader_html(request, meeting, minutes, column, access),
            "version_number": _logged_number(minutes),
        }

    kept = minutes_cache.get_or_set(
        request.working_group.pk, ("reader", pk, column, get_language()), draw
    )
    meeting, minutes = kept["meeting"], kept["minutes"]
    if not meeting_access(reader, meeting, minutes).minutes:
        raise Http404
    if minutes is not None and minutes.circulated_version_id:
        service.log_access(
            minutes=minutes,
            user=request.user,
            kind=Kind.MEMBERS if column == "members" else Kind.DISSEMINATION,
            version_number=kept["version_number"],
        )
    return _read_page(request, meeting, kept["html"])


def _reader(request, meeting, minutes, column: str, access: MeetingAccess) -> HttpResponse:
    """The circulated minutes as the Secretariat (the version to share) or a seat (once
    circulated) reads them: drawn on every request (the versions a seat opens are not
    members')."""
    html = _reader_html(request, meeting, minutes, column, access)
    if minutes is not None and minutes.circulated_version_id:
        service.log_access(
            minutes=minutes,
            user=request.user,
            kind=Kind.MEMBERS if column == "members" else Kind.DISSEMINATION,
            version_number=_logged_number(minutes),
        )
    return _read_page(request, meeting, html)


def _reader_html(request, meeting, minutes, column: str, access: MeetingAccess) -> str:
    """The page's content: the circulated version in ``column`` and the versions the reader
    may open (for the link to what changed since the last one)."""
    version_id = minutes.circulated_version_id if minutes else None
    listed = openable_versions(minutes, access) if version_id and column == "members" else []
    return render_to_string(
        "meetings/minutes/read.html#page",
        {
            "meeting": meeting,
            "minutes": minutes,
            "rendered": _rendered(version_id, column) if version_id else None,
            "rendering": column,
            "circulated": next((v for v in listed if v.pk == version_id), None),
            "earlier": [v for v in listed if v.pk != version_id],
        },
        request,
    )


def _logged_number(minutes: Minutes | None) -> int | None:
    """The number logged with a reading of the circulated version: the version's, while it is
    the current one."""
    current = minutes.current_version if minutes is not None else None
    return current.number if current and current.pk == minutes.circulated_version_id else None


def _read_page(request, meeting, html: str) -> HttpResponse:
    # ``html``: our template's output, every value in it escaped.
    return render(
        request, "meetings/minutes/read.html", {"meeting": meeting, "reading": mark_safe(html)}
    )


def _attributed_reader(request, meeting, minutes) -> HttpResponse:
    """Submitted, approved, circulated or adopted minutes, as the Secretariat reads them: the
    attributed rendering of the version under way, read-only. Editing is a deliberate step
    (``?edit=1``), since it makes the minutes a draft again; adopted minutes are final."""
    version = minutes.current_version
    service.log_access(
        minutes=minutes, user=request.user, kind=Kind.ATTRIBUTED, version_number=version.number
    )
    opened = attribution.data_key(minutes)
    return render(
        request,
        "meetings/minutes/attributed.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "rendered": _rendered(version, "attributed", minutes, opened),
            "attribution": opened,
            "editable": minutes.status != Minutes.Status.ADOPTED,
            "readers": service.readers(minutes),
            **_versions_context(meeting, minutes),
        },
    )


def _review(
    request, meeting, minutes, access: MeetingAccess, form_errors=None, posted=None
) -> HttpResponse:
    """The version under review, with the seats' comments beside its sections and statements
    (this version's and the one compared with's) and, for a seat yet to review, a comment box
    under each; what changed since the version this seat returned (else the one returned
    before, else the previous one)."""
    version = minutes.current_version
    rendering = access.review_rendering
    mine = MinutesReview.objects.filter(version=version, reviewer=request.user).first()
    commentable = bool(request.wg_seats) and mine is None
    listed = openable_versions(minutes, access)
    old, _new = default_pair(
        [v for v in listed if v.number <= version.number],
        returned=returned_by(minutes, request.user),
    )
    old = old if old is not None and old.pk != version.pk else None
    by_pk, opened = contents(minutes, [version, *([old] if old else [])], rendering)
    # This version's comments, and those on the version compared with (each says which).
    content, unplaced = service.annotate(
        by_pk[version.pk], service.comments(minutes, list(by_pk), opened)
    )
    if posted:  # a refused review: what the seat typed, back under each part
        for section in content["sections"]:
            section["note"] = posted.get(section.get("key"), "")
            for c in section["contributions"]:
                c["note"] = posted.get(c.get("key"), "")
    rendered = mark_safe(  # our template's output, every value in it escaped
        render_to_string(
            "meetings/minutes/includes_rendering.html",
            {
                "content": content,
                "rendering": rendering,
                "show_comments": True,
                "commentable": commentable,
            },
            request=request,
        )
    )
    if rendering == "attributed":
        service.log_access(
            minutes=minutes, user=request.user, kind=Kind.ATTRIBUTED, version_number=version.number
        )
    reviews = list(MinutesReview.objects.filter(version=version).select_related("reviewer"))
    return render(
        request,
        "meetings/minutes/review.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "rendered": rendered,
            "rendering": rendering,
            "my_review": mine,
            "reviews": reviews,
            "errors": form_errors or [],
            "posted_comment": (posted or {}).get("", ""),
            "is_seat": bool(request.wg_seats),
            "commentable": commentable,
            "unplaced_comments": unplaced,
            "since": old,
            "changes": service.compare(by_pk[old.pk], by_pk[version.pk]) if old else None,
            **_versions_context(meeting, minutes),
        },
        status=400 if form_errors else 200,
    )


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The version the reader may see, watermarked with their name and the time (the
    dissemination version has no personal watermark); every download is logged."""
    meeting, minutes, access = _meeting_and_minutes(request, pk)
    wanted = request.GET.get("version")
    group = request.working_group
    # A frozen version's members' or dissemination rendering: its HTML kept by the page.
    frozen: tuple[int, str] | None = None
    content = None
    watermark = True
    if wanted == "dissemination":
        if not minutes.circulated_version_id:
            raise Http404
        frozen, kind, number = (
            (minutes.circulated_version_id, "dissemination"),
            Kind.PDF_DISSEMINATION,
            None,
        )
        watermark = False
    elif access.minutes == "secretariat":
        content, kind, number = redaction.attributed(minutes), Kind.PDF_ATTRIBUTED, None
    elif access.minutes == "review":
        column = access.review_rendering
        version = minutes.current_version
        if column == "attributed":
            content = attribution.open_version(
                _version_column(version.pk, column),
                opened=attribution.data_key(minutes),
                number=version.number,
            )
        else:
            frozen = (version.pk, column)
        kind = Kind.PDF_ATTRIBUTED if column == "attributed" else Kind.PDF_MEMBERS
        number = version.number
    else:
        if not minutes.circulated_version_id:
            raise Http404
        frozen, kind, number = (
            (minutes.circulated_version_id, "members"),
            Kind.PDF_MEMBERS,
            None,
        )
    service.log_access(minutes=minutes, user=request.user, kind=kind, version_number=number)
    reader = request.user if watermark else None
    if frozen is not None:
        body = render_version_pdf(group, *frozen, reader=reader)
    else:
        body = render_minutes_pdf(group, content, reader=reader)
    suffix = "dissemination" if wanted == "dissemination" else "minutes"
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{suffix}-{meeting.start:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
