"""Saving the parts of the attributed record (autosaved by htmx, or posted by the plain form),
with their forms (``meetings.minutes_forms``); conflicts shown, never overwritten."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from meetings.minutes_forms import AUTOSAVED, PARTS
from meetings.minutes_views.common import _back, _meeting, _meeting_and_minutes
from meetings.minutes_views.editor import _editor
from meetings.models import (
    Minutes,
    MinutesSection,
)
from meetings.services import leaks
from meetings.services import minutes as service
from meetings.services.minutes import EditConflict
from vpswg.forms import posted_id
from vpswg.permissions import requires
from vpswg.roles import Action


@requires(Action.EDIT_MINUTES)
@require_POST
def minutes_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _started, _access = _meeting(request, pk)
    try:
        service.start_minutes(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, meeting)


def _part(model, minutes: Minutes, raw_id: str):
    """A part of these minutes by id; another meeting's (or group's) part is not found."""
    if posted_id(raw_id) is None:
        raise Http404
    qs = model.objects.filter(pk=raw_id)
    qs = (
        qs.filter(minutes=minutes)
        if model is MinutesSection
        else qs.filter(section__minutes=minutes)
    )
    obj = qs.first()
    if obj is None:
        raise Http404
    return obj


@dataclass(frozen=True)
class Rejected:
    """A plain post the editor refused, shown again as it was posted with the reason."""

    part: str
    target: object
    section: MinutesSection | None
    data: QueryDict
    error: str
    #: The fields the form refused (none: the service refused the part as a whole).
    fields: frozenset[str] = frozenset()


def _target(model, creates: bool, minutes: Minutes, post):
    """The part being saved (None for a new one) and its section: its own, or for a new one
    the section the form names. Another meeting's (or group's) part is not found."""
    if model is None:  # a new section
        return None, None
    if model is Minutes:
        return minutes, None
    if creates and not post.get("id"):
        return None, _part(MinutesSection, minutes, post.get("section"))
    existing = _part(model, minutes, post.get("id"))
    return existing, existing if model is MinutesSection else existing.section


@requires(Action.EDIT_MINUTES)
@require_POST
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one part of the record (autosaved by htmx, or posted by the plain form) through its
    form (``meetings.minutes_forms``). What is refused is said and nothing typed is lost: an
    autosave leaves the text in the page, a plain form is shown again as it was posted."""
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    part, post = request.POST.get("part", ""), request.POST
    if part not in PARTS:
        raise Http404
    model, form_class, creates = PARTS[part]
    target, section = _target(model, creates, minutes, post)
    form = form_class(post, minutes=minutes, target=target, section=section)
    if not form.is_valid():
        return _refused(
            request, meeting, minutes, form, form.error_text(), fields=frozenset(form.errors)
        )
    try:
        saved = form.save(request.user)
    except EditConflict as conflict:
        return _conflict(request, meeting, minutes, part, conflict)
    except ValidationError as exc:
        # A refused revision (RevisionMissing) is no conflict with someone else's save (there
        # may be none): the page is stale or the request was not made by it; it says to reload.
        return _refused(request, meeting, minutes, form, " ".join(exc.messages))
    if request.htmx and target is not None and part in AUTOSAVED:
        return _saved_status(request, minutes, post.get("id"), saved=saved, part=part)
    back = _back(request, meeting, f"{part}-{saved.pk}" if saved is not None else "")
    if request.htmx:
        # A removal sent from an autosaved form: the whole editor changes, so it is reloaded.
        return HttpResponseClientRedirect(back["Location"])
    return back


def _refused(
    request, meeting, minutes, form, error: str, fields: frozenset[str] = frozenset()
) -> HttpResponse:
    """Nothing saved: an autosave is told in its status line (the text stays in the page);
    a plain post gets the editor again, 400, with the post where it was typed."""
    part = form.data.get("part", "")
    if request.htmx:
        ident = form.data.get("id") or "new"
        return _saved_status(request, minutes, ident, part=part, error=error, status=400)
    messages.error(request, error)
    rejected = Rejected(
        part=part,
        target=form.target,
        section=form.section,
        data=form.data,
        error=error,
        fields=fields,
    )
    return _editor(request, meeting, minutes, status=400, rejected=rejected)


def _saved_status(
    request, minutes, ident, *, saved=None, part="", error="", status=200
) -> HttpResponse:
    """htmx answer to an autosave: the new revision and a status line, swapped out of band, so
    the text being typed is never replaced; and the leak count, which the text may change."""
    response = render(
        request,
        "meetings/minutes/saved.html",
        {
            "ident": ident,
            "saved": saved,
            "part": part,
            "error": error,
            "leak_count": len(leaks.scan(minutes)),
        },
        status=status,
    )
    response["Vary"] = "HX-Request"
    return response


def _conflict(request, meeting, minutes, part, conflict: EditConflict) -> HttpResponse:
    """Someone else (or the same person in another tab) saved first: nothing is overwritten;
    the reader sees both texts and who saved the other."""
    mine = {k: v for k, v in request.POST.items() if k not in {"csrfmiddlewaretoken"}}
    current = conflict.current
    shown = {
        "current": current,
        "mine": mine,
        "part": part,
        "by": conflict.by,
        "by_self": conflict.by_self,
    }
    if request.htmx:
        response = render(
            request, "meetings/minutes/conflict.html", {**shown, "meeting": meeting}, status=409
        )
        response["HX-Retarget"] = f"#conflict-{part}-{current.pk}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return _editor(request, meeting, minutes, status=409, conflict=shown)
