"""The public side of membership: the application form and the applicant's own pages.

An applicant has no account. They get a reference number and a secret link by e-mail; the
status page asks for the reference *and* the contact address, and is rate-limited, so a
reference alone reveals nothing.
"""

from __future__ import annotations

import logging

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
from members.services import terms as terms_service
from vpswg.permissions import public
from vpswg.ratelimit import allow

logger = logging.getLogger(__name__)

SESSION_KEY = "vpswg.application.reference"


def _applicant_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k not in {"letter", "homepage"}}


#: The public form's limits: per client address, per contact address and per group and day.
#: A real applicant sends one application; these stop a program using the form to send mail
#: or to fill the storage, without standing in a real applicant's way.
POSTS_PER_HOUR = 20  # attempts, corrected ones included
SUBMISSIONS_PER_HOUR = 5  # accepted applications from one client address
SUBMISSIONS_PER_ADDRESS_PER_DAY = 3
SUBMISSIONS_PER_GROUP_PER_DAY = 50


def _too_many(request: HttpRequest, form) -> str:
    """Why this submission is refused now, or "": counted only for a valid one."""
    group = request.working_group
    address = form.cleaned_data["contact_email"].strip().lower()
    if not allow(request, action="apply_submit", limit=SUBMISSIONS_PER_HOUR, per_seconds=3600):
        return _(
            "Too many applications came from your connection in the last hour. Try again later."
        )
    if not allow(
        request,
        action="apply_address",
        limit=SUBMISSIONS_PER_ADDRESS_PER_DAY,
        per_seconds=86400,
        key=f"{group.pk}:{address}",
    ):
        return _("Too many applications gave this contact address today. Try again tomorrow.")
    if application_service.submitted_today(group) >= SUBMISSIONS_PER_GROUP_PER_DAY:
        application_service.tell_secretariat_of_cap(group, SUBMISSIONS_PER_GROUP_PER_DAY)
        return _(
            "The form has received as many applications as it takes in a day. Try again "
            "tomorrow; nothing you entered was sent."
        )
    return ""


@public
@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    group = request.working_group
    if not group.applications_open:
        return render(request, "members/apply_closed.html")
    if request.method == "POST" and not allow(
        request, action="apply_post", limit=POSTS_PER_HOUR, per_seconds=3600
    ):
        return render(
            request,
            "members/apply.html",
            {"form": ApplicationForm(), "limited": True, "adopted_terms": terms_service.current()},
            status=429,
        )
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("homepage"):
            # A robot: it is shown what a person would see, and nothing is kept or sent.
            logger.info("apply: the hidden field was filled in; nothing stored")
            request.session[SESSION_KEY] = ""
            return redirect("apply:thanks", wg=group.slug)
        refused = _too_many(request, form)
        if refused:
            form.add_error(None, refused)
            return render(
                request,
                "members/apply.html",
                {"form": form, "adopted_terms": terms_service.current()},
                status=429,
            )
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
    # The criteria the applicant attests to, as the group adopted them.
    return render(
        request, "members/apply.html", {"form": form, "adopted_terms": terms_service.current()}
    )


@public
@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SESSION_KEY)
    if reference is None:
        return redirect("apply:form", wg=request.working_group.slug)
    return render(
        request,
        "members/apply_thanks.html",
        {"reference": reference, "confirm_hours": application_service.CONFIRM_HOURS},
    )


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
    if application.status == Application.Status.UNCONFIRMED:
        # A button, not the link itself: mail scanners open links, people press buttons.
        if request.method == "POST":
            application_service.confirm_address(application=application, token=token)
            messages.success(
                request, _("Thank you: the address is confirmed and the application sent.")
            )
            return redirect(
                reverse(
                    "apply:applicant", kwargs={"wg": request.working_group.slug, "token": token}
                )
            )
        return render(request, "members/applicant_confirm.html", {"application": application})
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
