"""One URL, three readers: the Secretariat reads or edits the attributed record, a
Coordination seat reviews the version submitted, members read the circulated members'
version; and the PDF of what each may read. Which rendering is the access policy's
(``meetings.access``); templates only display what they are given."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
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
        return _reader(request, meeting, minutes, "dissemination")
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
    return _reader(request, meeting, minutes, "members")


def _reader(request, meeting, minutes, column: str) -> HttpResponse:
    version_id = minutes.circulated_version_id if minutes else None
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
        {"meeting": meeting, "minutes": minutes, "rendered": rendered, "rendering": column},
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


def _review(request, meeting, minutes, access: MeetingAccess, form_errors=None) -> HttpResponse:
    version = minutes.current_version
    attributed = access.review_rendering == "attributed"
    rendered = _rendered(version, access.review_rendering, minutes)
    if attributed:
        service.log_access(
            minutes=minutes, user=request.user, kind=Kind.ATTRIBUTED, version_number=version.number
        )
    mine = MinutesReview.objects.filter(version=version, reviewer=request.user).first()
    reviews = list(MinutesReview.objects.filter(version=version).select_related("reviewer"))
    return render(
        request,
        "meetings/minutes/review.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "rendered": rendered,
            "rendering": "attributed" if attributed else "members",
            "my_review": mine,
            "reviews": reviews,
            "errors": form_errors or [],
            "is_seat": bool(request.wg_seats),
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
