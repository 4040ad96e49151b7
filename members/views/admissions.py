"""Nominations and applications inside the group: the list, one application, and the steps a
Secretariat and the Coordination Group take on it (screen, vote, decide)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import duplicates
from members.forms import (
    DecideForm,
    NominationForm,
    ScreenForm,
    VoteForm,
)
from members.models import Application, ApplicationVote
from members.queries import (
    applications_cache,
    review_list,
)
from members.services import applications as application_service
from members.views.common import _application, _form_errors_to, _url
from vpswg.models import AuditEntry
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.uploads import attachment_response


@requires(Action.NOMINATE_INSTITUTION)
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest) -> HttpResponse:
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application_service.nominate(
            working_group=request.working_group, actor=request.user, data=form.cleaned_data
        )
        messages.success(
            request,
            _("Thank you. The institution has been invited to confirm with an application letter."),
        )
        return redirect(_url(request, "members:directory"))
    return render(request, "members/nominate.html", {"form": form})


@requires(Action.REVIEW_APPLICATIONS)
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    group = request.working_group

    def draw() -> str:
        page = Paginator(review_list(group, status), 50).get_page(request.GET.get("page"))
        return render_to_string(
            "members/applications.html#listing",
            {"page": page, "status": status, "statuses": Application.Status.choices},
            request,
        )

    # The same for every reviewer: kept per group, filter, page and language.
    listing = applications_cache.page(request, {"status": 20, "page": 6}, draw)
    # Our template's output.
    return render(request, "members/applications.html", {"listing": mark_safe(listing)})


@requires(Action.REVIEW_APPLICATIONS)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return render(request, "members/application.html", _application_context(request, application))


def _application_context(request, application, **forms) -> dict:
    votes = list(
        ApplicationVote.objects.filter(application=application)
        .select_related("voter")
        .order_by("pillar")
    )
    seats = application_service.seats()
    tally = application_service.tally(application, votes, len(seats))
    mine = next((v for v in votes if v.voter_id == request.user.pk), None)
    is_seat = any(s.user_id == request.user.pk for s in seats)
    history = (
        AuditEntry.objects.filter(object_type="members.application", object_id=str(application.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
    return {
        "application": application,
        # Probably the same institution as one in the group: said before screening and voting.
        "duplicate": duplicates.find(application.name, application.short_name)
        if application.status not in {Application.Status.ACCEPTED, Application.Status.DECLINED}
        else None,
        "votes": votes,
        "seats": seats,
        "tally": tally,
        "projected": application_service.outcome(
            request.working_group.application_rule, application, tally
        ),
        "history": history,
        "can_screen": can(request, Action.SCREEN_APPLICATIONS)
        and application.status == Application.Status.SUBMITTED,
        "can_vote": can(request, Action.DECIDE_APPLICATIONS)
        and is_seat
        and application.status == Application.Status.SCREENED,
        "screen_form": forms.get("screen_form") or ScreenForm(),
        "vote_form": forms.get("vote_form")
        or VoteForm(initial={"vote": mine.vote, "comment": mine.comment} if mine else None),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "my_vote": mine,
    }


def _transition(request, application, form, form_key, action, success_message):
    """Run a workflow step from a form; errors come back on the page, nothing is lost."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, success_message)
            return redirect(_url(request, "members:application", pk=application.pk))
    context = _application_context(request, application, **{form_key: form})
    context["errors"] = list(form.non_field_errors())
    return render(request, "members/application.html", context, status=400)


@requires(Action.SCREEN_APPLICATIONS)
@require_POST
def application_screen(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ScreenForm(request.POST)
    return _transition(
        request,
        application,
        form,
        "screen_form",
        lambda data: application_service.screen(
            application=application,
            actor=request.user,
            complete=data["complete"],
            note=data["note"],
        ),
        _("The screening has been recorded."),
    )


@requires(Action.DECIDE_APPLICATIONS)
@require_POST
def application_vote(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = VoteForm(request.POST)
    return _transition(
        request,
        application,
        form,
        "vote_form",
        lambda data: application_service.vote(
            application=application,
            actor=request.user,
            choice=data["vote"],
            comment=data["comment"],
        ),
        _("Your seat's vote has been recorded."),
    )


@requires(Action.DECIDE_APPLICATIONS)
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = DecideForm(request.POST)
    return _transition(
        request,
        application,
        form,
        "decide_form",
        lambda data: application_service.decide(
            application=application, actor=request.user, message=data["message"]
        ),
        _("The decision has been recorded and the applicant told."),
    )


@requires(Action.REVIEW_APPLICATIONS)
@require_GET
def application_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not application.letter:
        raise Http404
    return attachment_response(application.letter, application.letter_name, application.letter_type)
