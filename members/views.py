"""Membership pages of a group: directory, institutions, representatives, applications,
compliance. Thin: forms validate, services change state, queries read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.forms import (
    AnnualReportForm,
    DecideForm,
    InstitutionForm,
    NominationForm,
    RepresentativeForm,
    ScreenForm,
    StandingForm,
    VoteForm,
)
from members.models import AnnualReport, Application, ApplicationVote, Institution, Representative
from members.queries import (
    applications_cache,
    composition,
    directory_cache,
    review_list,
    reviewable,
)
from members.queries import directory as directory_query
from members.services import applications as application_service
from members.services import compliance as compliance_service
from members.services import institutions as institution_service
from vpswg.models import AuditEntry
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.uploads import attachment_response


def _institution(request: HttpRequest, pk: int) -> Institution:
    # The scope limits the lookup to the URL's group: another group's id is simply not found.
    return get_object_or_404(Institution, pk=pk)


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(reviewable(), pk=pk)


def _url(request: HttpRequest, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"wg": request.working_group.slug, **kwargs})


def _form_errors_to(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


# --- Directory and institutions -----------------------------------------------------------------


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
    institution = _institution(request, pk)
    form = StandingForm(request.POST)
    if form.is_valid():
        try:
            institution_service.decide_standing(
                institution=institution, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision has been recorded and the institution told."))
    else:
        messages.error(request, _("Choose a decision and give its reason."))
    return redirect(_url(request, "members:institution", pk=institution.pk))


# --- Nominations and applications ---------------------------------------------------------------


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


# --- Compliance ---------------------------------------------------------------------------------


@requires(Action.VIEW_COMPLIANCE)
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    rows = compliance_service.standings(request.working_group)
    return render(
        request,
        "members/compliance.html",
        {
            "rows": rows,
            "report_year": compliance_service.report_year(rows[0].today) if rows else None,
            "report_due": rows[0].report_due if rows else None,
        },
    )


@requires(Action.REPORT_COMPLIANCE)
@require_http_methods(["GET", "POST"])
def annual_report(request: HttpRequest) -> HttpResponse:
    representation = (
        Representative.objects.filter(user=request.user, end_date__isnull=True)
        .select_related("institution")
        .first()
    )
    if representation is None:
        raise Http404
    institution = representation.institution
    form = AnnualReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        compliance_service.submit_annual_report(
            institution=institution,
            actor=request.user,
            year=form.cleaned_data["year"],
            text=form.cleaned_data["text"],
            upload=form.cleaned_data.get("file"),
        )
        messages.success(request, _("Thank you: the report has been submitted."))
        return redirect(_url(request, "members:report"))
    reports = list(
        AnnualReport.objects.filter(institution=institution).select_related("submitted_by")
    )
    return render(
        request,
        "members/annual_report.html",
        {"form": form, "institution": institution, "reports": reports},
    )


@requires(Action.VIEW_COMPLIANCE)
@require_GET
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = AnnualReport.objects.filter(pk=pk).first()
    if report is None or not report.file:
        raise Http404
    return attachment_response(report.file, report.file_name, report.file_type)
