"""The Secretariat plans a meeting: creates and edits it, convenes and cancels it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings.forms import (
    CancelForm,
    MeetingForm,
)
from meetings.models import Meeting
from meetings.services import meetings as service
from meetings.views.common import _back, _errors, _meeting
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    group = request.working_group
    agreed_venue = service.agreed_venue(group)
    form = MeetingForm(
        request.POST or None,
        initial={
            "kind": Meeting.Kind.PLENARY,
            "duration_minutes": group.default_meeting_duration,
            "venue": agreed_venue,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = service.plan_meeting(
                working_group=group, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The meeting is planned. Complete the agenda, then convene it.")
            )
            return _back(request, meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "agreed_venue": agreed_venue}
    )


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        try:
            service.update_meeting(
                meeting=meeting,
                actor=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting has been updated."))
            return _back(request, meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    try:
        service.convene(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The meeting is convened: every invited person receives the notice.")
        )
    return _back(request, meeting)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason: everyone invited is told."))
        return _back(request, meeting)
    try:
        service.cancel(meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The meeting is cancelled."))
    return _back(request, meeting)
