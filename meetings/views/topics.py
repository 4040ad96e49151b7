"""Guest speakers, and the topics members propose for a meeting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings.access import (
    Reader,
    meeting_access,
    visible_meetings,
)
from meetings.forms import (
    GuestForm,
    ScheduleForm,
    TopicForm,
)
from meetings.models import DiscussionTopic, Guest
from meetings.queries import (
    topics_with_interest,
)
from meetings.services import guests as service
from meetings.services import topics
from meetings.views.common import _errors
from vpswg.permissions import can, requires
from vpswg.roles import Action


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
            # The choices once for every topic's form (each has its own ids).
            "schedule_choices": list(
                ScheduleForm(meetings=visible_meetings(reader)).fields["meeting"].choices
            )
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


@requires(Action.PROPOSE_TOPIC)
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposer rewords their topic, or withdraws it, while it is only a proposal."""
    topic = _topic(pk)
    if topic.proposed_by_id != request.user.pk:
        raise Http404  # another person's proposal: nothing to edit here
    if topic.status != DiscussionTopic.Status.PROPOSED:
        messages.error(
            request, _("The topic is on an agenda already: ask the Secretariat to change it there.")
        )
        return redirect("meetings:topics", wg=request.working_group.slug)
    form = TopicForm(
        request.POST or None, initial={"title": topic.title, "description": topic.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            topics.edit(topic=topic, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The topic is changed."))
        return redirect("meetings:topics", wg=request.working_group.slug)
    return render(
        request,
        "meetings/topic_form.html",
        {"form": form, "topic": topic},
        status=400 if form.errors else 200,
    )


@requires(Action.PROPOSE_TOPIC)
@require_POST
def topic_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(pk)
    if topic.proposed_by_id != request.user.pk:
        raise Http404
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that you withdraw the topic."))
        return redirect("meetings:topic_edit", wg=request.working_group.slug, pk=topic.pk)
    try:
        topics.withdraw(topic=topic, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The topic is withdrawn."))
    return redirect("meetings:topics", wg=request.working_group.slug)
