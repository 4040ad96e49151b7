"""Compliance with the participation criteria and the annual report institutions file."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from members.forms import (
    AnnualReportForm,
)
from members.models import AnnualReport, Institution, Representative
from members.services import compliance as compliance_service
from members.services import institutions as institution_service
from members.views.common import _url
from vpswg.permissions import requires
from vpswg.roles import Action
from vpswg.uploads import attachment_response

Standing = Institution.Standing


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


def reporting(view):
    """The annual report form: for those who report for an institution, and for the
    representatives of a suspended one, who hold no role while suspended (the report is what
    can put it right). Everyone else as ``requires`` says."""
    guarded = requires(Action.REPORT_COMPLIANCE)(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated and not request.wg_roles:
            notice = institution_service.standing_notice(request.user)
            if notice is not None and notice[0].institution.standing == Standing.SUSPENDED:
                return view(request, *args, **kwargs)
        return guarded(request, *args, **kwargs)

    wrapper.vpswg_access = guarded.vpswg_access
    return wrapper


@reporting
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
