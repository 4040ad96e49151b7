"""Minutes pages. One URL, three readers: the Secretariat edits the attributed record, a
Coordination seat reviews the version submitted, members read the circulated members' version.
Which rendering a reader gets is decided by the access policy (``meetings.access``), and built
by ``meetings.services.redaction``; templates only display what they are given.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from meetings.access import MeetingAccess, Reader, meeting_access
from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    Guest,
    Meeting,
    Minutes,
    MinutesAccess,
    MinutesReview,
    MinutesSection,
    MinutesVersion,
)
from meetings.queries import minutes_cache
from meetings.services import attribution, leaks, redaction
from meetings.services import minutes as service
from meetings.services.minutes import EditConflict, MinutesError, RevisionMissing
from members.models import Institution, Representative
from vpswg import pdf
from vpswg.permissions import requires
from vpswg.roles import Action

Kind = MinutesAccess.Kind


def _meeting(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes | None, MeetingAccess]:
    """The meeting, its minutes (if started) and what this reader may have of them; a
    meeting they may not see is a 404, like another group's (the group's scope)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    minutes = _minutes(meeting)
    access = meeting_access(Reader.of(request), meeting, minutes)
    if not access.minutes:
        raise Http404
    return meeting, minutes, access


# The frozen renderings are large JSON: read one of them, when a page needs it, with
# ``_version_column``, never all three with every version row.
RENDERINGS = ("attributed", "members", "dissemination")


def _minutes(meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        # Not the meeting that adopted them: a whole meeting row for one title, read when shown.
        .select_related("current_version")
        .defer(*(f"current_version__{column}" for column in RENDERINGS))
        .first()
    )


def _meeting_and_minutes(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes, MeetingAccess]:
    """As ``_meeting``, for the actions that need the minutes: none yet is a 404 too."""
    meeting, minutes, access = _meeting(request, pk)
    if minutes is None:
        raise Http404
    return meeting, minutes, access


def _back(request: HttpRequest, meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = reverse("meetings:minutes", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _version_column(version_id: int, column: str) -> dict:
    """One rendering of a frozen version: only that column is read from the database."""
    return MinutesVersion.objects.filter(pk=version_id).values_list(column, flat=True).get()


#: How long a rendered version is kept in the process (``caches["local"]``).
RENDERED_SECONDS = 3600


def _rendered(
    version: MinutesVersion | int,
    column: str,
    minutes: Minutes | None = None,
    opened: attribution.DataKey | None = None,
) -> SafeString:
    """One rendering of a frozen version, as HTML.

    A version never changes once frozen, so its HTML in a language is the same on every view:
    it is kept per version, rendering and language. In the process's memory, which renders it
    anyway, and not in Redis: who said what stays out of stores shared with other uses. The
    attributed rendering is opened with the minutes' data key, whose state (open, destroyed,
    unreadable) is part of the key: a destroyed attribution is never served from memory.
    """
    version_id = version if isinstance(version, int) else version.pk
    state = ""
    if column == "attributed":
        opened = opened or attribution.data_key(minutes)
        state = opened.state
    else:
        opened = None
    key = f"minutes:rendered:{version_id}:{column}:{get_language()}:{state}"
    local = caches["local"]
    html = local.get(key)
    if html is None:
        content = _version_column(version_id, column)
        if opened is not None:
            content = attribution.open_version(content, opened=opened, number=version.number)
        html = render_to_string(
            "meetings/minutes/includes_rendering.html", {"content": content, "rendering": column}
        )
        local.set(key, html, RENDERED_SECONDS)
    return mark_safe(html)  # our template's output


# --- Reading ------------------------------------------------------------------------------------


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, access = _meeting(request, pk)
    if request.GET.get("version") == "dissemination":
        return _reader(request, meeting, minutes, "dissemination")
    if access.minutes == "secretariat":
        if (
            minutes is not None
            and minutes.status != Minutes.Status.DRAFT
            and (minutes.status == Minutes.Status.ADOPTED or request.GET.get("edit") != "1")
        ):
            return _attributed_reader(request, meeting, minutes)
        return _editor(request, meeting, minutes)
    if access.minutes == "review":
        return _review(request, meeting, minutes, access)
    return _reader(request, meeting, minutes, "members")


def _reader(request, meeting, minutes, column: str) -> HttpResponse:
    version_id = minutes.circulated_version_id if minutes else None
    rendered = _rendered(version_id, column) if version_id else None
    return render(
        request,
        "meetings/minutes/read.html",
        {"meeting": meeting, "minutes": minutes, "rendered": rendered, "rendering": column},
    )


def _versions_context(meeting, minutes) -> dict:
    """The versions and, for circulated minutes, the plenaries that may adopt them: kept in
    the process until the minutes, a version, a review or a meeting of the group change."""
    return minutes_cache.get_or_set(
        meeting.working_group_id,
        ("versions", minutes.pk),
        lambda: _draw_versions_context(meeting, minutes),
    )


def _draw_versions_context(meeting, minutes) -> dict:
    return {
        "versions": list(
            minutes.versions.only(
                "pk", "minutes_id", "number", "status", "created_at", "content_hash"
            )
            # A list, not a manager: ``.all()`` in the template would clone a queryset per row.
            .prefetch_related(Prefetch("reviews", to_attr="review_list"))
            .order_by("-number")
        ),
        "later_plenaries": list(
            Meeting.objects.filter(
                kind=Meeting.Kind.PLENARY,
                start__gt=meeting.start,
                status__in=[Meeting.Status.CONVENED, Meeting.Status.HELD],
            )
            .only("pk", "title", "start")
            .order_by("start")
        )
        if minutes.status == Minutes.Status.CIRCULATED
        else [],
    }


def _attributed_reader(request, meeting, minutes) -> HttpResponse:
    """Submitted, approved, circulated or adopted minutes, as the Secretariat reads them: the
    attributed rendering of the version under way, read-only. Editing is a deliberate step
    (``?edit=1``), since it makes the minutes a draft again; adopted minutes are final."""
    version = minutes.current_version
    service.log_access(
        minutes=minutes, user=request.user, kind=Kind.ATTRIBUTED, version_number=version.number
    )
    opened = attribution.data_key(minutes)
    return render(
        request,
        "meetings/minutes/attributed.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "rendered": _rendered(version, "attributed", minutes, opened),
            "attribution": opened,
            "editable": minutes.status != Minutes.Status.ADOPTED,
            **_versions_context(meeting, minutes),
        },
    )


def _review(request, meeting, minutes, access: MeetingAccess, form_errors=None) -> HttpResponse:
    version = minutes.current_version
    attributed = access.review_rendering == "attributed"
    rendered = _rendered(version, access.review_rendering, minutes)
    if attributed:
        service.log_access(
            minutes=minutes, user=request.user, kind=Kind.ATTRIBUTED, version_number=version.number
        )
    mine = MinutesReview.objects.filter(version=version, reviewer=request.user).first()
    reviews = list(MinutesReview.objects.filter(version=version).select_related("reviewer"))
    return render(
        request,
        "meetings/minutes/review.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "rendered": rendered,
            "rendering": "attributed" if attributed else "members",
            "my_review": mine,
            "reviews": reviews,
            "errors": form_errors or [],
            "is_seat": bool(request.wg_seats),
        },
        status=400 if form_errors else 200,
    )


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


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The version the reader may see, watermarked with their name and the time (the
    dissemination version has no personal watermark); every download is logged."""
    meeting, minutes, access = _meeting_and_minutes(request, pk)
    wanted = request.GET.get("version")
    watermark = True
    if wanted == "dissemination":
        if not minutes.circulated_version_id:
            raise Http404
        content, kind, number = (
            _version_column(minutes.circulated_version_id, "dissemination"),
            Kind.PDF_DISSEMINATION,
            None,
        )
        watermark = False
    elif access.minutes == "secretariat":
        content, kind, number = redaction.attributed(minutes), Kind.PDF_ATTRIBUTED, None
    elif access.minutes == "review":
        column = access.review_rendering
        version = minutes.current_version
        content = _version_column(version.pk, column)
        if column == "attributed":
            content = attribution.open_version(
                content, opened=attribution.data_key(minutes), number=version.number
            )
        kind = Kind.PDF_ATTRIBUTED if column == "attributed" else Kind.PDF_MEMBERS
        number = version.number
    else:
        if not minutes.circulated_version_id:
            raise Http404
        content, kind, number = (
            _version_column(minutes.circulated_version_id, "members"),
            Kind.PDF_MEMBERS,
            None,
        )
    service.log_access(minutes=minutes, user=request.user, kind=kind, version_number=number)
    body = render_minutes_pdf(
        request.working_group, content, reader=request.user if watermark else None
    )
    suffix = "dissemination" if wanted == "dissemination" else "minutes"
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{suffix}-{meeting.start:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def render_minutes_pdf(group, content: dict, *, reader=None) -> bytes:
    """The PDF of one rendering, in the group's language, with the Chatham House notice on
    every page and, for a named reader, a watermark naming them and the time."""
    return pdf.render(minutes_pdf_html(group, content, reader=reader), stylesheets=PDF_STYLESHEETS)


PDF_STYLESHEETS = ("css/minutes-pdf.css",)


def minutes_pdf_html(group, content: dict, *, reader=None) -> str:
    """The HTML the PDF is made of (apart, so the benchmark can time WeasyPrint alone on it)."""
    with translation.override(group.default_language), timezone.override(group.zone):
        watermark = ""
        if reader is not None:
            watermark = _("%(name)s · %(email)s · %(time)s") % {
                "name": reader.get_full_name(),
                "email": reader.email,
                "time": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
            }
        return render_to_string(
            "meetings/minutes/pdf.html",
            {
                "group": group,
                "content": content,
                "watermark": watermark,
                "start": _parse_start(content),
                "LANGUAGE_CODE": group.default_language,
            },
        )


def _parse_start(content: dict):
    return datetime.fromisoformat(content["meeting"]["start"])


# --- Editing (the Secretariat) -----------------------------------------------------------------


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
    try:
        outcome = service.review(
            minutes=minutes,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        minutes.refresh_from_db()
        if minutes.status == Minutes.Status.SUBMITTED:
            return _review(request, meeting, minutes, access, form_errors=exc.messages)
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
    at = Meeting.objects.filter(pk=_id(request.POST.get("meeting")) or 0).first()
    if at is None:
        messages.error(request, _("Choose the plenary that adopted the minutes."))
        return _back(request, meeting)
    try:
        service.adopt(minutes=minutes, actor=request.user, meeting=at)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The adoption is recorded."))
    return _back(request, meeting)


@requires(Action.VIEW_ACCESS_LOG)
@require_GET
def minutes_access(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, _access = _meeting_and_minutes(request, pk)
    entries = list(MinutesAccess.objects.filter(minutes=minutes).select_related("user")[:500])
    return render(request, "meetings/minutes/access.html", {"meeting": meeting, "entries": entries})
