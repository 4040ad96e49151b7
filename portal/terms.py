"""The group's terms of reference: the version in force and its history for everyone in the
group; the proposal, for the Secretariat that drafts it and the seats that review it; its
adoption at a plenary; the PDF.

In the portal because adopting is a meeting's act (``meetings.services.terms``) on a
membership object (``members.services.terms``), and the founding guide reads both.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.models import Meeting
from meetings.services import terms as adoption
from members.forms import TermsForm, TermsVoteForm
from members.models import TermsOfReference
from members.services import terms as service
from vpswg import pdf
from vpswg.forms import posted_id
from vpswg.permissions import can, requires
from vpswg.roles import Action

Status = TermsOfReference.Status
#: The versions every role in the group reads; a proposal is the Secretariat's and the seats'.
PUBLISHED = (Status.ADOPTED, Status.SUPERSEDED)


def _involved(request: HttpRequest) -> bool:
    return can(request, Action.MANAGE_GROUP) or can(request, Action.REVIEW_TERMS)


def _version(request: HttpRequest, number: int) -> TermsOfReference:
    """The version, if the reader may read it: another group's, or a proposal for a member,
    answers 404 as one that does not exist."""
    terms = get_object_or_404(
        TermsOfReference.objects.select_related("adopted_at_meeting", "proposed_by"),
        number=number,
    )
    if terms.status not in PUBLISHED and not _involved(request):
        raise Http404
    return terms


def _back(request: HttpRequest, terms: TermsOfReference | None = None) -> HttpResponse:
    if terms is None:
        return redirect(reverse("group:terms", kwargs={"wg": request.working_group.slug}))
    return redirect(
        reverse(
            "group:terms_version", kwargs={"wg": request.working_group.slug, "number": terms.number}
        )
    )


@requires(Action.VIEW_DIRECTORY)
@require_GET
def terms_current(request: HttpRequest) -> HttpResponse:
    """The version in force, read by everyone in the group, and the versions before it."""
    current = service.current()
    context = {
        "terms": current,
        "statements": service.statements(current) if current else None,
        "history": service.history(),
        "is_secretariat": can(request, Action.MANAGE_GROUP),
    }
    if _involved(request):
        context["proposal"] = service.proposal()
    return render(request, "portal/terms/current.html", context)


@requires(Action.VIEW_DIRECTORY)
@require_GET
def terms_version(request: HttpRequest, number: int) -> HttpResponse:
    """One version: in force, superseded, or (for the Secretariat and the seats) the one
    proposed, with its votes, the vote form and, once agreed, the adoption at a plenary."""
    terms = _version(request, number)
    is_secretariat = can(request, Action.MANAGE_GROUP)
    is_seat = can(request, Action.REVIEW_TERMS)
    context = {
        "terms": terms,
        "statements": service.statements(terms),
        "is_secretariat": is_secretariat,
        "is_seat": is_seat,
    }
    if terms.status == Status.REVIEW:
        votes = list(terms.votes.order_by("pillar", "voter_id"))
        context["tally"] = service.count(terms, votes)
        context["votes"] = votes
        context["refusal"] = service.refusal(terms, context["tally"])
        mine = next((v for v in votes if v.voter_id == request.user.pk), None)
        if is_seat:
            context["vote_form"] = TermsVoteForm(
                initial={"vote": mine.vote, "comment": mine.comment} if mine else None
            )
        if is_secretariat and not context["refusal"]:
            context["meetings"] = list(adoption.adopting_meetings()[:12])
    return render(request, "portal/terms/version.html", context)


@requires(Action.VIEW_DIRECTORY)
@require_GET
def terms_pdf(request: HttpRequest, number: int) -> HttpResponse:
    """The version as a PDF, in the group's language, as the plenary reads it."""
    terms = _version(request, number)
    group = request.working_group
    with translation.override(group.default_language), timezone.override(group.zone):
        html = render_to_string(
            "portal/terms/pdf.html",
            {"terms": terms, "statements": service.statements(terms), "group": group},
        )
    response = HttpResponse(
        pdf.render(html, stylesheets=("css/minutes-pdf.css",)), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="terms-of-reference-{group.slug}-v{terms.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Action.MANAGE_GROUP)
@require_POST
def terms_new(request: HttpRequest) -> HttpResponse:
    try:
        terms = service.start_draft(working_group=request.working_group, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request)
    return redirect(
        reverse(
            "group:terms_edit", kwargs={"wg": request.working_group.slug, "number": terms.number}
        )
    )


@requires(Action.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def terms_edit(request: HttpRequest, number: int) -> HttpResponse:
    """The draft's texts and settings. Bad input keeps everything typed, with the reasons."""
    terms = _version(request, number)
    if terms.status != Status.DRAFT:
        messages.error(request, _("Only a draft is edited: return the version to a draft first."))
        return _back(request, terms)
    form = TermsForm(request.POST or None, instance=terms)
    if request.method == "POST" and form.is_valid():
        try:
            service.save_draft(
                terms=terms,
                actor=request.user,
                texts={
                    name: form.cleaned_data[name] for name in (*service.TEXT_FIELDS, "change_note")
                },
                rules=form.cleaned_data["rules"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if request.POST.get("submit"):
                return terms_submit(request, number)
            messages.success(request, _("The draft is saved."))
            return _back(request, terms)
    return render(request, "portal/terms/edit.html", {"terms": terms, "form": form})


def _step(request: HttpRequest, number: int, step, done: str, **kwargs) -> HttpResponse:
    """One step on a version (``step(terms=..., actor=..., **kwargs)``): its message, and back
    to the version, or with the reason it was refused."""
    terms = _version(request, number)
    try:
        step(terms=terms, actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _back(request, terms)


@requires(Action.MANAGE_GROUP)
@require_POST
def terms_submit(request: HttpRequest, number: int) -> HttpResponse:
    return _step(
        request,
        number,
        service.submit,
        _("The draft is before the Coordination Group: its seats review it."),
    )


@requires(Action.REVIEW_TERMS)
@require_POST
def terms_vote(request: HttpRequest, number: int) -> HttpResponse:
    form = TermsVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, decline or abstain."))
        return _back(request, _version(request, number))
    return _step(
        request,
        number,
        service.vote,
        _("Your seat's vote has been recorded."),
        choice=form.cleaned_data["vote"],
        comment=form.cleaned_data["comment"],
    )


@requires(Action.MANAGE_GROUP)
@require_POST
def terms_return(request: HttpRequest, number: int) -> HttpResponse:
    return _step(
        request,
        number,
        service.return_to_draft,
        _("The version is a draft again; the seats' votes are set aside."),
    )


@requires(Action.MANAGE_GROUP)
@require_POST
def terms_withdraw(request: HttpRequest, number: int) -> HttpResponse:
    terms = _version(request, number)
    try:
        service.withdraw(terms=terms, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, terms)
    messages.success(request, _("The proposal is withdrawn; the version in force applies."))
    return _back(request)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def terms_adopt(request: HttpRequest, number: int) -> HttpResponse:
    """The Secretariat records that a plenary adopted the version the seats agreed."""
    terms = _version(request, number)
    meeting = Meeting.objects.filter(pk=posted_id(request.POST.get("meeting"))).first()
    if meeting is None:
        messages.error(request, _("Choose the plenary that adopted the terms."))
        return _back(request, terms)
    try:
        adoption.adopt(terms=terms, meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, terms)
    messages.success(
        request,
        _(
            "Version %(number)s is in force: its settings apply from now, the minutes of the "
            "plenary record the decision and every member has been told."
        )
        % {"number": terms.number},
    )
    return _back(request)
