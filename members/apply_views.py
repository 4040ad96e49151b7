"""The public side of membership: the application form and the applicant's own pages.

An applicant has no account. They get a reference number and a secret link by e-mail; the
status page asks for the reference *and* the contact address, and is rate-limited, so a
reference alone reveals nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from members.forms import ApplicationForm, StatusLookupForm
from members.models import Application
from members.services import applications as application_service
from vpswg.permissions import public
from vpswg.ratelimit import allow

SESSION_KEY = "vpswg.application.reference"


def _applicant_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "letter"}


@public
@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    group = request.working_group
    if not group.applications_open:
        return render(request, "members/apply_closed.html")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application, _token = application_service.submit_application(
                working_group=group,
                data=_applicant_fields(form),
                letter=form.cleaned_data["letter"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            request.session[SESSION_KEY] = application.reference
            return redirect("apply:thanks", wg=group.slug)
    return render(request, "members/apply.html", {"form": form})


@public
@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("apply:form", wg=request.working_group.slug)
    return render(request, "members/apply_thanks.html", {"reference": reference})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.POST or None)
    application = None
    if request.method == "POST":
        if not allow(request, action="application_status", limit=20, per_seconds=3600):
            return render(
                request, "members/apply_status.html", {"form": form, "limited": True}, status=429
            )
        if form.is_valid():
            application = application_service.find_by_reference(
                form.cleaned_data["reference"], form.cleaned_data["email"]
            )
            if application is None:
                form.add_error(
                    None,
                    _(
                        "No application matches this reference and e-mail address. Check both against the acknowledgement e-mail."
                    ),
                )
    return render(request, "members/apply_status.html", {"form": form, "application": application})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def applicant(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's secret link: the status, and the form when something is asked of them
    (confirming a nomination, completing what the screening found missing)."""
    application = application_service.find_by_token(token)
    if application is None:
        raise Http404
    editable = application.status in {Application.Status.NOMINATED, Application.Status.INCOMPLETE}
    form = None
    if editable:
        form = ApplicationForm(
            request.POST or None,
            request.FILES or None,
            instance=Application.objects.get(pk=application.pk),
            letter_required=not application.letter,
        )
        if request.method == "POST" and form.is_valid():
            try:
                application_service.complete_by_applicant(
                    application=application,
                    token=token,
                    data=_applicant_fields(form),
                    letter=form.cleaned_data.get("letter"),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Thank you: the application has been sent to the Secretariat.")
                )
                return redirect(
                    reverse(
                        "apply:applicant", kwargs={"wg": request.working_group.slug, "token": token}
                    )
                )
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(request, "members/applicant.html", {"application": application, "form": form})
