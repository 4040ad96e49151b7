"""The directory and an institution's page: its details, its representatives and, for the
Secretariat, a decision on its standing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.forms import (
    InstitutionForm,
    RepresentativeForm,
    StandingForm,
    StandingVoteForm,
)
from members.models import Institution, Representative, StandingProposal
from members.queries import (
    composition,
    directory_cache,
)
from members.queries import directory as directory_query
from members.services import institutions as institution_service
from members.services import standing as standing_service
from members.views.common import _form_errors_to, _institution, _url
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.services.roles import seat_of


@requires(Action.VIEW_DIRECTORY)
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    group = request.working_group

    def draw() -> dict[str, str]:
        context = {
            "wg": group,
            "sections": directory_query(group),
            "composition": composition(group),
        }
        return {
            part: render_to_string(f"members/directory.html#{part}", context)
            for part in ("summary", "sections")
        }

    # The same for every reader: rendered once per group and language, until it changes.
    kept = directory_cache.get_or_set(group.pk, (get_language(),), draw)
    return render(
        request,
        "members/directory.html",
        {"kept": {part: mark_safe(html) for part, html in kept.items()}},  # our templates' output
    )


@requires(Action.VIEW_DIRECTORY)
@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution(request, pk)
    representatives = list(
        Representative.objects.filter(institution=institution)
        .select_related("user")
        .order_by("end_date", "kind", "user__full_name")
    )
    context = {
        "institution": institution,
        "current": [r for r in representatives if r.end_date is None],
        "former": [r for r in representatives if r.end_date is not None],
        "can_manage": can(request, Action.MANAGE_MEMBERSHIP),
        "can_decide": can(request, Action.DECIDE_STANDING),
    }
    if can(request, Action.VIEW_COMPLIANCE):
        context["decisions"] = list(
            institution.standing_decisions.select_related("decided_by").order_by(
                "-effective_date", "-id"
            )
        )
        context["standing_form"] = StandingForm()
        proposal = standing_service.open_proposal(institution)
        if proposal is not None:
            votes = list(proposal.votes.select_related("voter").order_by("pillar"))
            mine = next((v for v in votes if v.voter_id == request.user.pk), None)
            context["proposal"] = proposal
            context["proposal_votes"] = votes
            context["proposal_tally"] = standing_service.count(proposal)
            context["is_seat"] = seat_of(request.user) is not None
            context["vote_form"] = StandingVoteForm(
                initial={
                    "vote": mine.vote if mine else None,
                    "comment": mine.comment if mine else "",
                }
            )
    return render(request, "members/institution.html", context)


@requires(Action.MANAGE_MEMBERSHIP)
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = institution_service.create_institution(
                working_group=request.working_group, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("The institution has been added."))
            return redirect(_url(request, "members:institution", pk=institution.pk))
    return render(request, "members/institution_form.html", {"form": form, "institution": None})


@requires(Action.MANAGE_MEMBERSHIP)
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution(request, pk)
    form = InstitutionForm(
        request.POST or None, instance=Institution.objects.get(pk=institution.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            institution_service.update_institution(
                institution=institution,
                actor=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_url(request, "members:institution", pk=institution.pk))
    return render(
        request, "members/institution_form.html", {"form": form, "institution": institution}
    )


@requires(Action.MANAGE_MEMBERSHIP)
@require_http_methods(["GET", "POST"])
def representative_add(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution(request, pk)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution_service.invite_representative(
                institution=institution,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                kind=form.cleaned_data["kind"],
                job_title=form.cleaned_data["job_title"],
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("The representative has been added and told by e-mail."))
            return redirect(_url(request, "members:institution", pk=institution.pk))
    return render(
        request, "members/representative_form.html", {"form": form, "institution": institution}
    )


@requires(Action.MANAGE_MEMBERSHIP)
@require_POST
def representative_end(request: HttpRequest, pk: int, rep: int) -> HttpResponse:
    institution = _institution(request, pk)
    representative = get_object_or_404(Representative, pk=rep, institution=institution)
    try:
        institution_service.end_representation(representative=representative, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer represents the institution.") % {"name": representative.user},
        )
    return redirect(_url(request, "members:institution", pk=institution.pk))


@requires(Action.DECIDE_STANDING)
@require_POST
def standing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A warning or a withdrawal is recorded at once, saying who recorded it; a suspension,
    expulsion or reinstatement becomes a proposal the seats vote on."""
    institution = _institution(request, pk)
    form = StandingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_url(request, "members:institution", pk=institution.pk))
    data = form.cleaned_data
    try:
        if data["decision"] in institution_service.VOTED:
            standing_service.propose(
                institution=institution,
                actor=request.user,
                decision=data["decision"],
                reason=data["reason"],
                criterion=data["criterion"],
            )
        else:
            institution_service.decide_standing(
                institution=institution,
                actor=request.user,
                decision=data["decision"],
                reason=data["reason"],
                body="coordination" if seat_of(request.user) else "secretariat",
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if data["decision"] in institution_service.VOTED:
            messages.success(
                request, _("The proposal is before the Coordination Group: its seats vote on it.")
            )
        else:
            messages.success(request, _("The decision has been recorded and the institution told."))
    return redirect(_url(request, "members:institution", pk=institution.pk))


def _proposal(request: HttpRequest, pk: int, proposal: int):
    institution = _institution(request, pk)
    return institution, get_object_or_404(StandingProposal, pk=proposal, institution=institution)


@requires(Action.DECIDE_STANDING)
@require_POST
def standing_vote(request: HttpRequest, pk: int, proposal: int) -> HttpResponse:
    institution, proposal = _proposal(request, pk, proposal)
    form = StandingVoteForm(request.POST)
    if form.is_valid():
        try:
            standing_service.vote(
                proposal=proposal,
                actor=request.user,
                choice=form.cleaned_data["vote"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your seat's vote has been recorded."))
    else:
        messages.error(request, _("Choose approve, decline or abstain."))
    return redirect(_url(request, "members:institution", pk=institution.pk) + "#standing")


@requires(Action.DECIDE_STANDING)
@require_POST
def standing_record(request: HttpRequest, pk: int, proposal: int) -> HttpResponse:
    institution, proposal = _proposal(request, pk, proposal)
    try:
        proposal = standing_service.decide(
            proposal=proposal, actor=request.user, confirmed=bool(request.POST.get("confirm"))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if proposal.status == StandingProposal.Status.ADOPTED:
            messages.success(
                request, _("Adopted: the decision takes effect and the institution is told.")
            )
        else:
            messages.success(request, _("Not adopted: the institution's standing does not change."))
    return redirect(_url(request, "members:institution", pk=institution.pk) + "#standing")


@requires(Action.DECIDE_STANDING)
@require_POST
def standing_withdraw(request: HttpRequest, pk: int, proposal: int) -> HttpResponse:
    institution, proposal = _proposal(request, pk, proposal)
    try:
        standing_service.withdraw(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The proposal is withdrawn."))
    return redirect(_url(request, "members:institution", pk=institution.pk) + "#standing")
