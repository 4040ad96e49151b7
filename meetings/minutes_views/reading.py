"""One URL, three readers: the Secretariat reads or edits the attributed record, a
Coordination seat reviews the version submitted, members read the circulated members'
version; and the PDF of what each may read. Which rendering is the access policy's
(``meetings.access``); templates only display what they are given."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meetings.access import MeetingAccess
from meetings.minutes_views.common import (
    Kind,
    _meeting,
    _meeting_and_minutes,
    _rendered,
    _version_column,
    _versions_context,
)
from meetings.minutes_views.editor import _editor
from meetings.minutes_views.pdf import render_minutes_pdf
from meetings.minutes_views.versions import contents, default_pair, openable_versions, returned_by
from meetings.models import (
    Minutes,
    MinutesReview,
)
from meetings.services import attribution, redaction
from meetings.services import minutes as service
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
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


def _reader(request, meeting, minutes, column: str, access: MeetingAccess) -> HttpResponse:
    version_id = minutes.circulated_version_id if minutes else None
    # The versions the reader may open, for the link to what changed since the last one.
    listed = openable_versions(minutes, access) if version_id and column == "members" else []
    rendered = _rendered(version_id, column) if version_id else None
    if version_id:
        current = minutes.current_version
        service.log_access(
            minutes=minutes,
            user=request.user,
            kind=Kind.MEMBERS if column == "members" else Kind.DISSEMINATION,
            version_number=current.number if current and current.pk == version_id else None,
        )
    return render(
        request,
        "meetings/minutes/read.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "rendered": rendered,
            "rendering": column,
            "circulated": next((v for v in listed if v.pk == version_id), None),
            "earlier": [v for v in listed if v.pk != version_id],
        },
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
    watermark = True
    if wanted == "dissemination":
        if not minutes.circulated_version_id:
            raise Http404
        content, kind, number = (
            _version_column(minutes.circulated_version_id, "dissemination"),
            Kind.PDF_DISSEMINATION,
            None,
        )
        watermark = False
    elif access.minutes == "secretariat":
        content, kind, number = redaction.attributed(minutes), Kind.PDF_ATTRIBUTED, None
    elif access.minutes == "review":
        column = access.review_rendering
        version = minutes.current_version
        content = _version_column(version.pk, column)
        if column == "attributed":
            content = attribution.open_version(
                content, opened=attribution.data_key(minutes), number=version.number
            )
        kind = Kind.PDF_ATTRIBUTED if column == "attributed" else Kind.PDF_MEMBERS
        number = version.number
    else:
        if not minutes.circulated_version_id:
            raise Http404
        content, kind, number = (
            _version_column(minutes.circulated_version_id, "members"),
            Kind.PDF_MEMBERS,
            None,
        )
    service.log_access(minutes=minutes, user=request.user, kind=kind, version_number=number)
    body = render_minutes_pdf(
        request.working_group, content, reader=request.user if watermark else None
    )
    suffix = "dissemination" if wanted == "dissemination" else "minutes"
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{suffix}-{meeting.start:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
