"""The Secretariat's editor of the attributed record: the sections with their parts, each
speaker opened with the minutes' data key, the leak findings, the versions."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from meetings.minutes_views.common import Kind, _versions_context
from meetings.models import (
    Guest,
    MinutesSection,
)
from meetings.services import attribution, leaks, redaction
from meetings.services import minutes as service
from members.models import Institution, Representative


def _editor_context(request, meeting, minutes) -> dict:
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
    findings = leaks.scan(minutes)
    by_target: dict[str, list] = {}
    for finding in findings:
        by_target.setdefault(finding.hit.target, []).append(finding)
    reps = list(
        Representative.objects.filter(end_date__isnull=True)
        .select_related("user", "institution")
        .order_by("institution__name", "user__full_name")
    )
    speakers = [
        (f"user:{r.user_id}", f"{r.user.get_full_name()} — {r.institution.name}") for r in reps
    ] + [(f"guest:{g.pk}", str(g)) for g in Guest.objects.order_by("name")]
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
    return {
        "meeting": meeting,
        "minutes": minutes,
        "sections": sections,
        "findings": findings,
        "findings_by_target": by_target,
        "attribution": opened,
        "unreadable_speakers": unreadable,
        "edit_url": reverse(
            "meetings:minutes_edit", kwargs={"wg": request.working_group.slug, "pk": meeting.pk}
        ),
        "speaker_options": speaker_options,
        "institution_options": institution_options,
        **_versions_context(meeting, minutes),
        "preview": redaction.members(minutes) if request.GET.get("preview") == "members" else None,
    }


def _options(choices) -> str:
    return format_html_join("", '<option value="{}">{}</option>', choices)


def _selected(options: str, value) -> str:
    """``options`` with ``value`` selected (the values are escaped as they were rendered)."""
    if value in (None, ""):
        return options
    marker = format_html('value="{}"', value)
    return mark_safe(options.replace(marker + ">", marker + " selected>", 1))


def _editor(request, meeting, minutes, status: int = 200, **extra) -> HttpResponse:
    if minutes is None:
        return render(request, "meetings/minutes/start.html", {"meeting": meeting})
    service.log_access(minutes=minutes, user=request.user, kind=Kind.ATTRIBUTED)
    context = {**_editor_context(request, meeting, minutes), **extra}
    return render(request, "meetings/minutes/editor.html", context, status=status)
