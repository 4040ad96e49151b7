"""The meetings list, a meeting's page and its calendar file; the page's fragments, which
htmx answers swap in place (``meetings/meeting.html#fragment``)."""

from __future__ import annotations

import time
from dataclasses import replace

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from meetings.access import (
    MeetingAccess,
    Reader,
    closed_grantees,
    is_closed,
)
from meetings.documents import pack as pack_service
from meetings.documents.access import audiences
from meetings.documents.pack import meeting_documents
from meetings.forms import (
    AnswerForm,
    AttendanceForm,
    CancelForm,
    ClosedAccessForm,
    FilterForm,
    GuestReplyForm,
    NextMeetingForm,
)
from meetings.models import Meeting, PackJob
from meetings.queries import (
    guest_replies,
    meeting_list,
    meeting_page,
    meetings_cache,
    years,
)
from meetings.services import agreements, participation
from meetings.services.ics import meeting_ics
from meetings.views.common import _meeting, members_or_guests
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.services.notifications import absolute_url


@requires(Action.VIEW_MEETINGS)
@require_GET
def meeting_index(request: HttpRequest) -> HttpResponse:
    reader = Reader.of(request)
    can_manage = reader.manages

    def draw() -> dict:
        form = FilterForm(request.GET or None, years=years(reader))
        kind, year = "", None
        if form.is_valid():
            kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
        upcoming, past = meeting_list(reader, kind=kind, year=year)
        page = Paginator(past, 20).get_page(request.GET.get("page"))
        upcoming = list(upcoming[:20])
        html = render_to_string(
            "meetings/list.html#listing",
            {"filter_form": form, "upcoming": upcoming, "page": page, "can_manage": can_manage},
            request,
        )
        # Time alone moves the next meeting from "upcoming" to "past": kept until it starts.
        starts = min((m.start for m in upcoming if m.start > timezone.now()), default=None)
        return {"html": html, "until": starts.timestamp() if starts else None}

    def seconds(kept: dict) -> float:
        return kept["until"] - time.time() if kept["until"] else float("inf")

    # The same for everyone of one audience (the Secretariat, the seats, members and
    # observers; with the closed meetings one was given): kept per group, audience, filters,
    # page and language (time zone: the group's), until it changes.
    per = (reader.audience, *sorted(reader.closed_grants()))
    kept = meetings_cache.page(
        request, {"kind": 20, "year": 4, "page": 6}, draw, per=per, seconds=seconds
    )
    return render(request, "meetings/list.html", {"listing": mark_safe(kept["html"])})


@members_or_guests
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    return render(request, "meetings/meeting.html", _page_context(request, meeting, access))


def substitutes(page) -> list[str]:
    """Who came in another's place: present, not announced, for an institution that announced
    someone else (from the rows the page has loaded: no query)."""
    announced = {
        i.institution_id: {u.pk for u in i.attendee_list}
        for i in page.invitations
        if i.answer == "yes" and i.attendee_list
    }
    return [
        a.user.get_full_name()
        for a in page.attendance
        if a.institution_id in announced and a.user_id not in announced[a.institution_id]
    ]


def _page_context(request: HttpRequest, meeting: Meeting, access: MeetingAccess, **extra) -> dict:
    can_manage = access.manage
    if can_manage:
        page = meeting_page(meeting, with_invitations=True)
    else:
        # What members and guests see of it (the agenda, answers and attendance as counts) is
        # the same for all of them: kept until the meeting, its agenda, its invitations or
        # its attendance change.
        page = meetings_cache.get_or_set(
            request.working_group.pk,
            ("page", meeting.pk, get_language()),
            lambda: meeting_page(meeting, with_invitations=False),
        )
        page.meeting = meeting
    if access.guest and is_closed(meeting):
        # A guest speaker of a closed meeting sees the items they speak at, nothing more of
        # its agenda (the kept page is shared: a copy).
        page = replace(
            page,
            agenda=[
                item
                for item in page.agenda
                if any(g.user_id == request.user.pk for g in item.guest_list)
            ],
        )
    context = {
        "meeting": meeting,
        "page": page,
        "access": access,
        "is_guest": access.guest,
        "can_manage": can_manage,
        "agenda_minutes": sum(item.duration_minutes for item in page.agenda),
        "can_schedule": can(request, Action.SCHEDULE_TOPIC),
        "started_or_held": meeting.status == Meeting.Status.HELD
        or (meeting.status == Meeting.Status.CONVENED and meeting.start <= timezone.now()),
    }
    if access.guest:
        guest = participation.guest_of(meeting, request.user)
        if guest is not None and meeting.status == Meeting.Status.CONVENED:
            reply = guest.replies.filter(meeting=meeting).first()
            context["guest_reply"] = reply
            context["guest_reply_form"] = extra.pop("guest_reply_form", None) or GuestReplyForm(
                initial={"answer": reply.answer if reply else None}
            )
            context["started"] = meeting.start <= timezone.now()
        return {**context, **extra}
    # The same for everyone of one audience: kept until a document of the group changes.
    reader = Reader.of(request)
    readable = "-".join(str(a) for a in audiences(reader))
    context["documents"] = meetings_cache.get_or_set(
        request.working_group.pk,
        ("documents", meeting.pk, readable, get_language()),
        lambda: meeting_documents(reader, meeting),
    )
    pack_job = (
        PackJob.objects.filter(meeting=meeting, requested_by=request.user)
        .order_by("-created_at")
        .first()
    )
    context["pack_job"] = pack_job
    if pack_job is not None:
        context["lost"] = pack_service.is_lost(pack_job)
        context["readable"] = pack_service.still_readable(pack_job, Reader.of(request))
    invitation = participation.invitation_for(meeting, request.user)
    context["invitation"] = invitation
    if invitation is not None and access.answer:
        context["answer_form"] = extra.pop("answer_form", None) or AnswerForm(
            institution=invitation.institution,
            initial={
                "answer": invitation.answer if invitation.answer != "pending" else None,
                "attendees": list(invitation.attendees.all()),
                "note": invitation.note,
            },
        )
    if can_manage:
        context["attendance_form"] = extra.pop("attendance_form", None) or AttendanceForm(
            meeting=meeting, invitations=page.invitations
        )
        context["guest_replies"] = guest_replies(meeting)
        context["suggestions"] = agreements.suggestions_for(meeting)
        context["substitutes"] = substitutes(page)
        context["next_form"] = NextMeetingForm(
            initial={
                "topics": meeting.next_topics,
                "venue": meeting.next_venue,
                "guests": list(meeting.next_guests.all()),
            }
        )
        context["cancel_form"] = CancelForm()
        context["started"] = meeting.start <= timezone.now()
        if is_closed(meeting):
            context["closed_grantees"] = closed_grantees(meeting)
            context["closed_form"] = ClosedAccessForm(meeting=meeting)
    return {**context, **extra}


def _fragment(
    request: HttpRequest,
    meeting: Meeting,
    access: MeetingAccess,
    name: str,
    status: int = 200,
    **extra,
) -> HttpResponse:
    response = render(
        request,
        f"meetings/meeting.html#{name}",
        _page_context(request, meeting, access, **extra),
        status=status,
    )
    response["Vary"] = "HX-Request"
    return response


@members_or_guests
@require_GET
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar file, for the person downloading it."""
    meeting, access = _meeting(request, pk)
    if not access.ics:
        raise Http404
    url = absolute_url(
        reverse("meetings:detail", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
    )
    body = meeting_ics(
        meeting,
        recipient_email=request.user.email,
        url=url,
        cancel=meeting.status == Meeting.Status.CANCELLED,
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
