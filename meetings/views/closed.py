"""Closed meetings: the Secretariat grants and revokes who, beyond the group's confidential
roles, may see one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.access import (
    closed_grantees,
    is_closed,
)
from meetings.forms import (
    ClosedAccessForm,
)
from meetings.services import closed as service
from meetings.views.common import _back, _errors, _meeting
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.MANAGE_MEETINGS)
@require_POST
def closed_grant(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    if not is_closed(meeting):
        raise Http404
    form = ClosedAccessForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose a representative of the group who holds no seat."))
        return _back(request, meeting)
    try:
        service.grant_closed_access(
            meeting=meeting, user=form.cleaned_data["user"], actor=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s may now see this meeting, its agenda and its minutes.")
            % {"name": form.cleaned_data["user"].get_full_name()},
        )
    return _back(request, meeting)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def closed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    person = next(
        (u for u in closed_grantees(meeting) if str(u.pk) == request.POST.get("user", "")), None
    )
    if person is None:
        raise Http404
    service.revoke_closed_access(meeting=meeting, user=person, actor=request.user)
    messages.success(
        request,
        _("%(name)s no longer sees this meeting.") % {"name": person.get_full_name()},
    )
    return _back(request, meeting)
