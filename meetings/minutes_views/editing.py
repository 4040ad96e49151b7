"""Saving the parts of the attributed record (autosaved by htmx, or posted by the plain form),
with their forms (``meetings.minutes_forms``); conflicts shown, never overwritten."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.minutes_views.common import _back, _meeting, _meeting_and_minutes
from meetings.minutes_views.editor import _editor
from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    Minutes,
    MinutesSection,
)
from meetings.services import leaks
from meetings.services import minutes as service
from meetings.services.minutes import EditConflict, MinutesError, RevisionMissing
from members.models import Institution
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


def _id(value: str | None) -> int | None:
    """An id or a revision as posted: at most the 19 ASCII digits of a bigint (``"²".isdigit()``
    is true, but "²" is no number to int() or the database), else None."""
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 19 else None


def _part(model, minutes: Minutes, raw_id: str):
    """A part of these minutes by id; another meeting's (or group's) part is not found."""
    if _id(raw_id) is None:
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


def _item_and_section(model, minutes: Minutes, post):
    """The contribution, decision or action item being edited (None for a new one) and the
    section it belongs to: its own, or for a new one the section the form names."""
    if post.get("id"):
        existing = _part(model, minutes, post.get("id"))
        return existing, existing.section
    return None, _part(MinutesSection, minutes, post.get("section"))


def _revision(request) -> int | None:
    """The revision the edited text was loaded at; None (refused by the service) when the
    request has none or a malformed one."""
    return _id(request.POST.get("revision"))


@requires(Action.EDIT_MINUTES)
@require_POST
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one part of the record (autosaved by htmx, or posted by the plain form)."""
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    part, post, actor = request.POST.get("part", ""), request.POST, request.user
    anchor = ""
    try:
        if part == "summary":
            saved = service.save_summary(
                minutes=minutes,
                actor=actor,
                summary=post.get("summary", ""),
                revision=_revision(request),
            )
        elif part == "section_new":
            saved = service.add_section(minutes=minutes, actor=actor, title=post.get("title", ""))
        elif part == "section":
            saved = service.save_section(
                section=_part(MinutesSection, minutes, post.get("id")),
                actor=actor,
                title=post.get("title", ""),
                main_points=post.get("main_points", ""),
                revision=_revision(request),
            )
        elif part == "contribution":
            existing, section = _item_and_section(Contribution, minutes, post)
            saved = service.save_contribution(
                section=section,
                actor=actor,
                text=post.get("text", ""),
                speaker=post.get("speaker", ""),
                contribution=existing,
                revision=_revision(request),
            )
        elif part == "decision":
            existing, section = _item_and_section(Decision, minutes, post)
            saved = service.save_decision(
                section=section,
                actor=actor,
                text=post.get("text", ""),
                decision=existing,
                revision=_revision(request),
            )
        elif part == "action":
            existing, section = _item_and_section(ActionItem, minutes, post)
            institution = Institution.objects.filter(pk=_id(post.get("institution")) or 0).first()
            due = _date(post.get("due_date", ""))
            saved = service.save_action_item(
                section=section,
                actor=actor,
                what=post.get("what", ""),
                institution=institution,
                due_date=due,
                item=existing,
                revision=_revision(request),
            )
        elif part in {"delete_contribution", "delete_decision", "delete_action", "delete_section"}:
            model = {
                "delete_contribution": Contribution,
                "delete_decision": Decision,
                "delete_action": ActionItem,
                "delete_section": MinutesSection,
            }[part]
            service.delete_part(obj=_part(model, minutes, post.get("id")), actor=actor)
            saved = None
        else:
            raise Http404
    except EditConflict as conflict:
        return _conflict(request, meeting, minutes, part, conflict.current)
    except RevisionMissing as exc:
        # Not a conflict with someone else's save (there may be none): the page is stale or
        # the request was not made by it. Nothing was saved; the editor says to reload.
        if request.htmx:
            return _saved_status(
                request, minutes, post.get("id"), part=part, error=exc.messages[0], status=400
            )
        messages.error(request, exc.messages[0])
        return _editor(request, meeting, minutes, status=400)
    except ValidationError as exc:
        if request.htmx:
            return _saved_status(
                request,
                minutes,
                post.get("id") or "new",
                part=part,
                error=" ".join(exc.messages),
                status=400,
            )
        messages.error(request, " ".join(exc.messages))
        return _back(request, meeting)
    if saved is not None:
        anchor = f"{part}-{saved.pk}"
    if (
        request.htmx
        and part in {"summary", "section", "contribution", "decision", "action"}
        and post.get("id")
    ):
        return _saved_status(request, minutes, post.get("id"), saved=saved, part=part)
    return _back(request, meeting, anchor)


def _date(value: str):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise MinutesError(_("Enter the due date as YYYY-MM-DD.")) from exc


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


def _conflict(request, meeting, minutes, part, current) -> HttpResponse:
    """Someone else saved first: nothing is overwritten; the reader sees both texts."""
    mine = {k: v for k, v in request.POST.items() if k not in {"csrfmiddlewaretoken"}}
    if request.htmx:
        response = render(
            request,
            "meetings/minutes/conflict.html",
            {"current": current, "mine": mine, "part": part, "meeting": meeting},
            status=409,
        )
        response["HX-Retarget"] = f"#conflict-{part}-{current.pk}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return _editor(
        request,
        meeting,
        minutes,
        status=409,
        conflict={"current": current, "mine": mine, "part": part},
    )
