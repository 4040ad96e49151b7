"""Around the table: invitees answer, the Secretariat records attendance and proposes the
next meeting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.forms import (
    AnswerForm,
    AttendanceForm,
    GuestReplyForm,
    NextMeetingForm,
    SuggestionForm,
)
from meetings.services import agreements, participation
from meetings.views.common import _back, _errors, _meeting, members_or_guests
from meetings.views.pages import _fragment, _page_context
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.ANSWER_INVITATION)
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    invitation = participation.invitation_for(meeting, request.user) if access.answer else None
    if invitation is None:
        raise Http404
    form = AnswerForm(request.POST, institution=invitation.institution)
    if form.is_valid():
        try:
            participation.answer(
                invitation=invitation,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                attendees=form.cleaned_data["attendees"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Thank you: your institution's answer is recorded."))
                return _back(request, meeting)
            answered = _fragment(request, meeting, access, "answer", saved=True)
            # The counts beside it change too: swapped out of band, not left until a reload.
            counts = _fragment(request, meeting, access, "invitations", oob=True)
            answered.content += counts.content
            return answered
    if request.htmx:
        return _fragment(request, meeting, access, "answer", status=400, answer_form=form)
    return render(
        request,
        "meetings/meeting.html",
        _page_context(request, meeting, access, answer_form=form),
        status=400,
    )


@members_or_guests
@require_POST
def meeting_guest_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A guest speaker says whether they will come (they answer for no institution)."""
    meeting, access = _meeting(request, pk)
    if not access.guest or participation.guest_of(meeting, request.user) is None:
        raise Http404  # only a guest speaker of this meeting has this form
    form = GuestReplyForm(request.POST)
    if form.is_valid():
        try:
            participation.guest_reply(
                meeting=meeting, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                return _fragment(request, meeting, access, "guest_reply", saved=True)
            messages.success(request, _("Thank you: your answer is recorded."))
            return _back(request, meeting)
    if request.htmx:
        return _fragment(request, meeting, access, "guest_reply", status=400, guest_reply_form=form)
    return render(
        request,
        "meetings/meeting.html",
        _page_context(request, meeting, access, guest_reply_form=form),
        status=400,
    )


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            participation.record_attendance(
                meeting=meeting,
                actor=request.user,
                present=form.cleaned_data["present"],
                guests=form.cleaned_data["guests"],
                walk_ins=form.cleaned_data["walk_ins"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Attendance is recorded."))
                return _back(request, meeting)
            return _fragment(request, *_meeting(request, pk), "attendance", saved=True)
    if request.htmx:
        return _fragment(request, meeting, access, "attendance", status=400, attendance_form=form)
    return render(
        request,
        "meetings/meeting.html",
        _page_context(request, meeting, access, attendance_form=form),
        status=400,
    )


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_next(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    form = NextMeetingForm(request.POST)
    if form.is_valid():
        try:
            participation.record_next(
                meeting=meeting,
                actor=request.user,
                topics=form.cleaned_data["topics"],
                venue=form.cleaned_data["venue"],
                guests=form.cleaned_data["guests"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The agreements for the next meeting are recorded."))
    return _back(request, meeting)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one of the last plenary's agreements onto this plenary's agenda, or set it aside."""
    meeting, _access = _meeting(request, pk)
    form = SuggestionForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose the agenda item the guest speaks at."))
        return _back(request, meeting, "suggestions")
    data = form.cleaned_data
    try:
        agreements.take(
            meeting=meeting,
            actor=request.user,
            topic=data["topic"],
            guest=data["guest"],
            item=data["item"],
            set_aside=data["set_aside"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if data["set_aside"]:
            messages.success(request, _("Set aside: it is not offered again."))
        elif data["topic"]:
            messages.success(request, _("The topic is on the agenda."))
        else:
            messages.success(request, _("The guest is a speaker of the agenda item."))
    return _back(request, meeting, "suggestions")
