"""The steps that move the minutes: resolving a leak, submitting, reviewing, adopting; the
access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings.forms import NOTE_PREFIX, AccessFilterForm, AdoptForm, ReviewForm
from meetings.minutes_views.common import _adopting_plenaries, _back, _meeting_and_minutes
from meetings.minutes_views.reading import _review
from meetings.models import (
    Minutes,
    MinutesAccess,
)
from meetings.services import minutes as service
from vpswg.forms import posted_id
from vpswg.models import User
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.EDIT_MINUTES)
@require_POST
def minutes_leak(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    target, term = request.POST.get("target", ""), request.POST.get("term", "")
    try:
        if request.POST.get("how") == "subject":
            service.mark_subject(minutes=minutes, actor=request.user, target=target, term=term)
        else:
            service.replace_words(
                minutes=minutes,
                actor=request.user,
                target=target,
                term=term,
                replacement=request.POST.get("replacement", ""),
                # The occurrence whose preview was shown; without it, every one.
                at=posted_id(request.POST.get("at")),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, meeting, "leaks")


@requires(Action.EDIT_MINUTES)
@require_POST
def minutes_submit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    try:
        version = service.submit(minutes=minutes, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, meeting, "leaks")
    messages.success(
        request,
        _("Version %(number)s is with the Coordination Group.") % {"number": version.number},
    )
    return _back(request, meeting)


@requires(Action.REVIEW_MINUTES)
@require_POST
def minutes_review(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, access = _meeting_and_minutes(request, pk)
    form = ReviewForm(request.POST)
    posted = {
        name[len(NOTE_PREFIX) :]: value
        for name, value in request.POST.items()
        if name.startswith(NOTE_PREFIX)
    }
    posted[""] = request.POST.get("comment", "")
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        outcome = service.review(
            minutes=minutes,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            comments=form.notes(),
        )
    except ValidationError as exc:
        minutes.refresh_from_db()
        if minutes.status == Minutes.Status.SUBMITTED:
            return _review(
                request, meeting, minutes, access, form_errors=exc.messages, posted=posted
            )
        messages.error(request, " ".join(exc.messages))
        return _back(request, meeting)
    if outcome.returned:
        messages.success(
            request, _("The minutes are returned to the Secretariat with your comment.")
        )
    elif outcome.approved:
        messages.success(
            request, _("The minutes are approved and will be circulated to the members.")
        )
    else:
        messages.success(request, _("Your seat's approval is recorded."))
    return _back(request, meeting)


@requires(Action.EDIT_MINUTES)
@require_POST
def minutes_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    form = AdoptForm(request.POST, candidates=_adopting_plenaries(minutes))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return _back(request, meeting)
    try:
        service.adopt(minutes=minutes, actor=request.user, meeting=form.cleaned_data["meeting"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The adoption is recorded."))
    return _back(request, meeting)


@requires(Action.VIEW_ACCESS_LOG)
@require_GET
def minutes_access(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    logged = MinutesAccess.objects.filter(minutes=minutes)
    people = list(User.objects.filter(pk__in=logged.values("user")).order_by("full_name", "email"))
    form = AccessFilterForm(request.GET or None, people=people)
    entries = logged.select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        if data["reader"]:
            entries = entries.filter(user=data["reader"])
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["since"]:
            entries = entries.filter(day__gte=data["since"])
        if data["until"]:
            entries = entries.filter(day__lte=data["until"])
    return render(
        request,
        "meetings/minutes/access.html",
        {
            "meeting": meeting,
            "form": form,
            "entries": list(entries[:500]),
            "readers": service.readers(minutes),
        },
    )
