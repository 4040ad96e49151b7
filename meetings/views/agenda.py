"""The agenda of a meeting: add, edit, delete and reorder items (htmx swaps the agenda;
without JavaScript the forms post and redirect)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from meetings.forms import (
    AgendaItemForm,
)
from meetings.models import AgendaItem, Meeting
from meetings.services import agenda as service
from meetings.views.common import _back, _errors, _meeting
from meetings.views.pages import _fragment
from vpswg.permissions import requires
from vpswg.roles import Action


def _item(meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, pk: int, item: int | None = None) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    instance = _item(meeting, item) if item is not None else None
    form = AgendaItemForm(
        request.POST or None,
        instance=instance,
        initial=None if instance else {"format": meeting.format, "duration_minutes": 30},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.save_agenda_item(
                meeting=meeting,
                actor=request.user,
                item=instance,
                topic=data["topic"],
                description=data["description"],
                format=data["format"],
                duration_minutes=data["duration_minutes"],
                speakers=data["speakers"],
                guests=data["guests"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _back(request, meeting)
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"form": form, "meeting": meeting, "item": instance},
    )


@requires(Action.MANAGE_MEETINGS)
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    try:
        service.delete_agenda_item(item=_item(meeting, item), actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return _back(request, meeting)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        service.move_agenda_item(item=_item(meeting, item), actor=request.user, offset=offset)
    except ValidationError as exc:
        _errors(request, exc)
    if request.htmx:
        return _fragment(request, meeting, access, "agenda")
    return _back(request, meeting)
