"""What the meeting pages share: the meeting as far as this reader may have it (a 404
otherwise, like another group's), the way back to its page, and the guard that lets a guest
speaker of this very meeting in."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from meetings.access import (
    MeetingAccess,
    Reader,
    meeting_access,
)
from meetings.models import Meeting
from vpswg.permissions import Access, can, login_redirect
from vpswg.roles import Action


def _meeting(request: HttpRequest, pk: int) -> tuple[Meeting, MeetingAccess]:
    """The meeting and what this reader may have of it (``meetings.access``). The group's
    scope limits the lookup, so another group's meeting is not found; one of this group that
    the reader may not see answers the same 404."""
    meeting = get_object_or_404(Meeting, pk=pk)
    access = meeting_access(Reader.of(request), meeting)
    if not access:
        raise Http404
    return meeting, access


def _back(request: HttpRequest, meeting: Meeting, anchor: str = "") -> HttpResponse:
    path = reverse("meetings:detail", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
    return redirect(f"{path}#{anchor}" if anchor else path)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def members_or_guests(view):
    """A meeting's own pages: for members of the group with ``view_meetings``, and for a guest
    speaker of this very meeting, who holds no role in the group (the access policy in the
    view decides which of them sees what; everyone else gets 404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_redirect(request)
        if request.wg_roles and not can(request, Action.VIEW_MEETINGS):
            raise PermissionDenied
        return view(request, pk, *args, **kwargs)

    wrapper.vpswg_access = Access(Action.VIEW_MEETINGS.value)
    return wrapper
