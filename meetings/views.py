"""Meeting pages. htmx answers, agenda reordering and attendance swap a fragment of the same
page (``meetings/meeting.html#fragment``); without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.access import (
    MeetingAccess,
    Reader,
    closed_grantees,
    is_closed,
    meeting_access,
    visible_meetings,
)
from meetings.forms import (
    AgendaItemForm,
    AnswerForm,
    AttendanceForm,
    CancelForm,
    ClosedAccessForm,
    FilterForm,
    GuestForm,
    MeetingForm,
    NextMeetingForm,
    ScheduleForm,
    TopicForm,
)
from meetings.models import AgendaItem, DiscussionTopic, Guest, Meeting
from meetings.queries import (
    meeting_list,
    meeting_page,
    meetings_cache,
    topics_with_interest,
    years,
)
from meetings.services import meetings as service
from meetings.services import participation, topics
from meetings.services.ics import meeting_ics
from vpswg.permissions import Access, can, login_redirect, requires
from vpswg.roles import Action
from vpswg.services.notifications import absolute_url


def _meeting(request: HttpRequest, pk: int) -> tuple[Meeting, MeetingAccess]:
    """The meeting and what this reader may have of it (``meetings.access``). The group's
    scope limits the lookup, so another group's meeting is not found; one of this group that
    the reader may not see answers the same 404."""
    meeting = get_object_or_404(Meeting, pk=pk)
    access = meeting_access(Reader.of(request), meeting)
    if not access:
        raise Http404
    return meeting, access


def _back(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return redirect(
        reverse("meetings:detail", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
    )


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


# --- List and page ------------------------------------------------------------------------------


@requires(Action.VIEW_MEETINGS)
@require_GET
def meeting_index(request: HttpRequest) -> HttpResponse:
    reader = Reader.of(request)
    can_manage = reader.manages

    def draw() -> dict:
        form = FilterForm(request.GET or None, years=years(reader))
        kind, year = "", None
        if form.is_valid():
            kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
        upcoming, past = meeting_list(reader, kind=kind, year=year)
        page = Paginator(past, 20).get_page(request.GET.get("page"))
        upcoming = list(upcoming[:20])
        html = render_to_string(
            "meetings/list.html#listing",
            {"filter_form": form, "upcoming": upcoming, "page": page, "can_manage": can_manage},
            request,
        )
        # Time alone moves the next meeting from "upcoming" to "past": kept until it starts.
        starts = min((m.start for m in upcoming if m.start > timezone.now()), default=None)
        return {"html": html, "until": starts.timestamp() if starts else None}

    def seconds(kept: dict) -> float:
        return kept["until"] - time.time() if kept["until"] else float("inf")

    # The same for everyone of one audience (the Secretariat, the seats, members and
    # observers; with the closed meetings one was given): kept per group, audience, filters,
    # page and language (time zone: the group's), until it changes.
    per = (reader.audience, *sorted(reader.closed_grants()))
    kept = meetings_cache.page(
        request, {"kind": 20, "year": 4, "page": 6}, draw, per=per, seconds=seconds
    )
    return render(request, "meetings/list.html", {"listing": mark_safe(kept["html"])})


@members_or_guests
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    return render(request, "meetings/meeting.html", _page_context(request, meeting, access))


def _page_context(request: HttpRequest, meeting: Meeting, access: MeetingAccess, **extra) -> dict:
    can_manage = access.manage
    if can_manage:
        page = meeting_page(meeting, with_invitations=True)
    else:
        # What members and guests see of it (the agenda, answers and attendance as counts) is
        # the same for all of them: kept until the meeting, its agenda, its invitations or
        # its attendance change.
        page = meetings_cache.get_or_set(
            request.working_group.pk,
            ("page", meeting.pk, get_language()),
            lambda: meeting_page(meeting, with_invitations=False),
        )
        page.meeting = meeting
    if access.guest and is_closed(meeting):
        # A guest speaker of a closed meeting sees the items they speak at, nothing more of
        # its agenda (the kept page is shared: a copy).
        page = replace(
            page,
            agenda=[
                item
                for item in page.agenda
                if any(g.user_id == request.user.pk for g in item.guest_list)
            ],
        )
    context = {
        "meeting": meeting,
        "page": page,
        "access": access,
        "is_guest": access.guest,
        "can_manage": can_manage,
        "can_schedule": can(request, Action.SCHEDULE_TOPIC),
        "started_or_held": meeting.status == Meeting.Status.HELD
        or (meeting.status == Meeting.Status.CONVENED and meeting.start <= timezone.now()),
    }
    if access.guest:
        return {**context, **extra}
    invitation = participation.invitation_for(meeting, request.user)
    context["invitation"] = invitation
    if invitation is not None and access.answer:
        context["answer_form"] = extra.pop("answer_form", None) or AnswerForm(
            institution=invitation.institution,
            initial={
                "answer": invitation.answer if invitation.answer != "pending" else None,
                "attendees": list(invitation.attendees.all()),
                "note": invitation.note,
            },
        )
    if can_manage:
        context["attendance_form"] = extra.pop("attendance_form", None) or AttendanceForm(
            meeting=meeting,
            initial={
                "present": [a.user for a in page.attendance],
                "guests": list(meeting.guests_present.all()),
            },
        )
        context["next_form"] = NextMeetingForm(
            initial={
                "topics": meeting.next_topics,
                "venue": meeting.next_venue,
                "guests": list(meeting.next_guests.all()),
            }
        )
        context["cancel_form"] = CancelForm()
        context["started"] = meeting.start <= timezone.now()
        if is_closed(meeting):
            context["closed_grantees"] = closed_grantees(meeting)
            context["closed_form"] = ClosedAccessForm(meeting=meeting)
    return {**context, **extra}


@members_or_guests
@require_GET
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar file, for the person downloading it."""
    meeting, access = _meeting(request, pk)
    if not access.ics:
        raise Http404
    url = absolute_url(
        reverse("meetings:detail", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
    )
    body = meeting_ics(
        meeting,
        recipient_email=request.user.email,
        url=url,
        cancel=meeting.status == Meeting.Status.CANCELLED,
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- Planning -----------------------------------------------------------------------------------


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    group = request.working_group
    agreed = service.previous_agreements(group)
    form = MeetingForm(
        request.POST or None,
        initial={
            "kind": Meeting.Kind.PLENARY,
            "duration_minutes": group.default_meeting_duration,
            "venue": agreed.get("venue", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = service.plan_meeting(
                working_group=group, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The meeting is planned. Complete the agenda, then convene it.")
            )
            return _back(request, meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "agreed": agreed})


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        try:
            service.update_meeting(
                meeting=meeting,
                actor=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting has been updated."))
            return _back(request, meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    try:
        service.convene(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The meeting is convened: every invited person receives the notice.")
        )
    return _back(request, meeting)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason: everyone invited is told."))
        return _back(request, meeting)
    try:
        service.cancel(meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The meeting is cancelled."))
    return _back(request, meeting)


# --- Agenda -------------------------------------------------------------------------------------


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


def _fragment(
    request: HttpRequest,
    meeting: Meeting,
    access: MeetingAccess,
    name: str,
    status: int = 200,
    **extra,
) -> HttpResponse:
    response = render(
        request,
        f"meetings/meeting.html#{name}",
        _page_context(request, meeting, access, **extra),
        status=status,
    )
    response["Vary"] = "HX-Request"
    return response


# --- Answers, attendance, next meeting ---------------------------------------------------------


@requires(Action.ANSWER_INVITATION)
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    invitation = participation.invitation_for(meeting, request.user) if access.answer else None
    if invitation is None:
        raise Http404
    form = AnswerForm(request.POST, institution=invitation.institution)
    if form.is_valid():
        try:
            participation.answer(
                invitation=invitation,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                attendees=form.cleaned_data["attendees"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Thank you: your institution's answer is recorded."))
                return _back(request, meeting)
            return _fragment(request, meeting, access, "answer", saved=True)
    if request.htmx:
        return _fragment(request, meeting, access, "answer", status=400, answer_form=form)
    return render(
        request,
        "meetings/meeting.html",
        _page_context(request, meeting, access, answer_form=form),
        status=400,
    )


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = _meeting(request, pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            participation.record_attendance(
                meeting=meeting,
                actor=request.user,
                present=form.cleaned_data["present"],
                guests=form.cleaned_data["guests"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Attendance is recorded."))
                return _back(request, meeting)
            return _fragment(request, *_meeting(request, pk), "attendance", saved=True)
    if request.htmx:
        return _fragment(request, meeting, access, "attendance", status=400, attendance_form=form)
    return render(
        request,
        "meetings/meeting.html",
        _page_context(request, meeting, access, attendance_form=form),
        status=400,
    )


@requires(Action.MANAGE_MEETINGS)
@require_POST
def meeting_next(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _access = _meeting(request, pk)
    form = NextMeetingForm(request.POST)
    if form.is_valid():
        try:
            participation.record_next(
                meeting=meeting,
                actor=request.user,
                topics=form.cleaned_data["topics"],
                venue=form.cleaned_data["venue"],
                guests=form.cleaned_data["guests"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The agreements for the next meeting are recorded."))
    return _back(request, meeting)


# --- Guests and topics --------------------------------------------------------------------------


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def guests(request: HttpRequest) -> HttpResponse:
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service.register_guest(
            working_group=request.working_group, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The guest is in the register."))
        return redirect("meetings:guests", wg=request.working_group.slug)
    return render(
        request, "meetings/guests.html", {"form": form, "guests": Guest.objects.order_by("name")}
    )


@requires(Action.VIEW_MEETINGS)
@require_http_methods(["GET", "POST"])
def topic_index(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        if not can(request, Action.PROPOSE_TOPIC):
            raise PermissionDenied
        if form.is_valid():
            topics.propose(
                working_group=request.working_group, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Thank you: the topic is proposed."))
            return redirect("meetings:topics", wg=request.working_group.slug)
    reader = Reader.of(request)
    rows = list(topics_with_interest(request.user))
    for topic in rows:
        # Where a topic was put on the agenda is shown only to those who may see the meeting
        # (a Coordination Group meeting's agenda is not the members' business).
        item = topic.agenda_item
        topic.shown_meeting = (
            item.meeting if item is not None and meeting_access(reader, item.meeting) else None
        )
    return render(
        request,
        "meetings/topics.html",
        {
            "form": form,
            "topics": rows,
            "schedule_form": ScheduleForm(meetings=visible_meetings(reader))
            if can(request, Action.SCHEDULE_TOPIC)
            else None,
        },
    )


def _topic(pk: int) -> DiscussionTopic:
    return get_object_or_404(DiscussionTopic, pk=pk)


@requires(Action.PROPOSE_TOPIC)
@require_POST
def topic_interest(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(pk)
    topics.toggle_interest(topic=topic, actor=request.user)
    if request.htmx:
        row = topics_with_interest(request.user).get(pk=topic.pk)
        response = render(request, "meetings/topics.html#interest", {"topic": row})
        response["Vary"] = "HX-Request"
        return response
    return redirect("meetings:topics", wg=request.working_group.slug)


@requires(Action.SCHEDULE_TOPIC)
@require_POST
def topic_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(pk)
    form = ScheduleForm(request.POST, meetings=visible_meetings(Reader.of(request)))
    if form.is_valid():
        try:
            topics.schedule(topic=topic, meeting=form.cleaned_data["meeting"], actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The topic is on the meeting's agenda."))
    else:
        messages.error(request, _("Choose a planned or convened meeting."))
    return redirect("meetings:topics", wg=request.working_group.slug)


# --- Closed meetings ---------------------------------------------------------------------------


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
