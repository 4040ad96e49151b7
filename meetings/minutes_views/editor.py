"""The Secretariat's editor of the attributed record: the sections with their parts, each
speaker opened with the minutes' data key, the leak findings, the versions."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from meetings.minutes_views.common import Kind, _versions_context
from meetings.models import (
    Attendance,
    Guest,
    MinutesSection,
    MinutesVersion,
)
from meetings.services import attribution, leaks, redaction
from meetings.services import minutes as service
from members.models import Institution, Representative


def _editor_context(request, meeting, minutes, rejected=None) -> dict:
    sections = list(
        MinutesSection.objects.filter(minutes=minutes)
        .prefetch_related("contributions", "decisions", "action_items")
        .order_by("position", "id")
    )
    opened = attribution.data_key(minutes)
    unreadable = 0
    for section in sections:
        for c in section.contributions.all():
            speaker = attribution.open_speaker(opened, c.pk, c.speaker_sealed)
            c.speaker_key = speaker.key
            c.speaker_unreadable = isinstance(speaker, attribution.Unreadable)
            unreadable += c.speaker_unreadable
    notes = _returned_comments(minutes, sections, opened)
    findings = leaks.scan(minutes)
    by_target: dict[str, list] = {}
    for finding in findings:
        by_target.setdefault(finding.hit.target, []).append(finding)
    speakers = _speakers(meeting, sections)
    institutions = list(Institution.objects.order_by("name").values_list("pk", "name"))
    # Every contribution and action item has a select of the same people or institutions:
    # the options are rendered once and only the selected one differs (a page of 40
    # contributions and 60 representatives would otherwise render 2,400 option nodes).
    speaker_options = _options(speakers)
    institution_options = _options(institutions)
    for section in sections:
        for c in section.contributions.all():
            c.speaker_options = _selected(speaker_options, c.speaker_key)
        for a in section.action_items.all():
            a.institution_options = _selected(institution_options, a.institution_id)
    if rejected is not None:
        _show_rejected(rejected, minutes, sections, speaker_options, institution_options)
    return {
        "meeting": meeting,
        "minutes": minutes,
        "sections": sections,
        "findings": findings,
        "findings_by_target": by_target,
        "attribution": opened,
        "unreadable_speakers": unreadable,
        "returned_notes": notes,
        "edit_url": reverse(
            "meetings:minutes_edit", kwargs={"wg": request.working_group.slug, "pk": meeting.pk}
        ),
        "speaker_options": speaker_options,
        "institution_options": institution_options,
        **_versions_context(meeting, minutes),
        "readers": service.readers(minutes),
        "preview": redaction.members(minutes) if request.GET.get("preview") == "members" else None,
    }


def _speakers(meeting, sections) -> list[tuple[str, str]]:
    """Who may be named as a speaker: once attendance is recorded, those present (people and
    guests) and the meeting's guest speakers; before, every current representative and guest.
    A speaker already chosen stays offered, marked, even if not on the list (or the select
    would silently show, and save, someone else)."""
    if meeting.attendance_recorded_at is not None:
        people = [
            (f"user:{a.user_id}", f"{a.user.get_full_name()} — {a.institution.name}")
            for a in Attendance.objects.filter(meeting=meeting)
            .select_related("user", "institution")
            .order_by("institution__name", "user__full_name")
        ]
        guests = Guest.objects.filter(
            Q(agenda_items__meeting=meeting) | Q(pk__in=meeting.guests_present.values("pk"))
        ).distinct()
    else:
        people = [
            (f"user:{r.user_id}", f"{r.user.get_full_name()} — {r.institution.name}")
            for r in Representative.objects.filter(end_date__isnull=True)
            .select_related("user", "institution")
            .order_by("institution__name", "user__full_name")
        ]
        guests = Guest.objects.all()
    speakers = people + [(f"guest:{g.pk}", str(g)) for g in guests.order_by("name")]
    offered = {key for key, _label in speakers}
    chosen = {
        c.speaker_key
        for section in sections
        for c in section.contributions.all()
        if c.speaker_key and c.speaker_key not in offered
    }
    if chosen:
        user_ids = [int(k.split(":")[1]) for k in chosen if k.startswith("user:")]
        guest_ids = [int(k.split(":")[1]) for k in chosen if k.startswith("guest:")]
        absent = _("not recorded as present")
        speakers += [
            (f"user:{r.user_id}", f"{r.user.get_full_name()} — {r.institution.name} ({absent})")
            for r in Representative.objects.filter(user_id__in=user_ids)
            .select_related("user", "institution")
            .order_by("user_id", "end_date")
        ]
        speakers += [
            (f"guest:{g.pk}", f"{g} ({absent})") for g in Guest.objects.filter(pk__in=guest_ids)
        ]
        speakers = list(dict(speakers).items())  # one entry per key
    return speakers


def _returned_comments(minutes, sections, opened) -> dict:
    """The Coordination Group's comments on the version it returned, put beside the section or
    statement each concerns (the parts' keys are their ids); the others, on a part since
    removed, listed apart."""
    version = minutes.current_version
    if (
        minutes.status != minutes.Status.DRAFT
        or version is None
        or version.status != MinutesVersion.Status.RETURNED
    ):
        return {"count": 0, "unplaced": []}
    shown = service.comments(minutes, [version.pk], opened)
    left = service.by_anchor(shown)
    for section in sections:
        section.notes = left.pop(redaction.section_key(section.pk), [])
        for c in section.contributions.all():
            c.notes = left.pop(redaction.contribution_key(c.pk), [])
    return {
        "count": len(shown),
        "version": version,
        "unplaced": [c for group in left.values() for c in group],
    }


#: What each part's form shows of a post, by the attribute the template reads.
POSTED_FIELDS = {
    "summary": ("summary",),
    "section": ("title", "main_points"),
    "contribution": ("text",),
    "decision": ("text",),
    "action": ("what",),
}


def _show_rejected(rejected, minutes, sections, speaker_options, institution_options) -> None:
    """Put a refused post back where it was typed, with the reason next to it: an existing
    part shows the posted values in place of the stored ones, a new one is filled in again."""
    data, part = rejected.data, rejected.part
    if part == "section_new":
        minutes.rejected_new_section = {
            "title": data.get("title", ""),
            "error": rejected.error,
            "invalid": "title" in rejected.fields,
        }
        return
    if rejected.target is None:  # a new contribution, decision or action item
        for section in sections:
            if section.pk == rejected.section.pk:
                section.rejected = {
                    "part": part,
                    "values": data,
                    "error": rejected.error,
                    "invalid": dict.fromkeys(rejected.fields, True),
                    "speaker_options": _selected(speaker_options, data.get("speaker")),
                    "institution_options": _selected(institution_options, data.get("institution")),
                }
        return
    shown = _shown(rejected.target, minutes, sections)
    if shown is None:  # a removal refused: nothing was typed
        return
    for field in POSTED_FIELDS.get(part, ()):
        setattr(shown, field, data.get(field, ""))
    if part == "contribution":
        shown.speaker_options = _selected(speaker_options, data.get("speaker"))
    if part == "action":
        shown.institution_options = _selected(institution_options, data.get("institution"))
        shown.due_posted = data.get("due_date", "")
    shown.rejected_error = rejected.error


def _shown(target, minutes, sections):
    """The object the editor displays for ``target`` (the page renders its own copies)."""
    if target.__class__ is minutes.__class__:
        return minutes
    for section in sections:
        if target.__class__ is section.__class__ and section.pk == target.pk:
            return section
        for related in (section.contributions, section.decisions, section.action_items):
            for obj in related.all():
                if obj.__class__ is target.__class__ and obj.pk == target.pk:
                    return obj
    return None


def _options(choices) -> str:
    return format_html_join("", '<option value="{}">{}</option>', choices)


def _selected(options: str, value) -> str:
    """``options`` with ``value`` selected (the values are escaped as they were rendered)."""
    if value in (None, ""):
        return options
    marker = format_html('value="{}"', value)
    return mark_safe(options.replace(marker + ">", marker + " selected>", 1))


def _editor(request, meeting, minutes, status: int = 200, rejected=None, **extra) -> HttpResponse:
    if minutes is None:
        return render(request, "meetings/minutes/start.html", {"meeting": meeting})
    # The Secretariat writing its own record is not reading it: logged apart (not counted).
    service.log_access(minutes=minutes, user=request.user, kind=Kind.EDITED)
    context = {**_editor_context(request, meeting, minutes, rejected), **extra}
    return render(request, "meetings/minutes/editor.html", context, status=status)
