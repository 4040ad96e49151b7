"""The agenda of a meeting: add, edit, delete and reorder items (htmx swaps the agenda;
without JavaScript the forms post and redirect)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
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


class ItemGone(Exception):
    """The item is not (or no longer) on this meeting's agenda."""


def _item(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_pk, meeting=meeting).first()
    if item is None:
        raise ItemGone
    return item


def _gone(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """An item removed meanwhile (a page kept open, the browser's Back): the agenda as it is
    now, and why, rather than a bare "not found". The meeting is the reader's own, so this
    says nothing of other meetings' items."""
    messages.warning(request, _("This agenda item is no longer on the agenda: it was removed."))
    return _back(request, meeting)


def _warn_if_too_long(request: HttpRequest, meeting: Meeting) -> None:
    total = meeting.agenda_items.aggregate(total=Sum("duration_minutes"))["total"] or 0
    if total > meeting.duration_minutes:
        messages.warning(
            request,
            _(
                "The agenda takes %(agenda)s minutes and the meeting lasts %(meeting)s: "
                "shorten the items or lengthen the meeting."
            )
            % {"agenda": total, "meeting": meeting.duration_minutes},
        )


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, pk: int, item: int | None = None) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    try:
        instance = _item(meeting, item) if item is not None else None
    except ItemGone:
        return _gone(request, meeting)
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
            _warn_if_too_long(request, meeting)
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
    except ItemGone:
        return _gone(request, meeting)
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
    except ItemGone:
        return _gone(request, meeting)
    except ValidationError as exc:
        _errors(request, exc)
    if request.htmx:
        return _fragment(request, meeting, access, "agenda")
    return _back(request, meeting)
