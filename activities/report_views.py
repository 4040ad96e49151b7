"""Reports: totals, charts and the seed's sentence; CSV; state participation; the annual report
built in the background."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from activities import annual as annual_service
from activities import reports
from activities.forms import AnnualReportForm, PeriodForm
from activities.models import ReportJob
from members.services import contributions
from vpswg.db import reporting
from vpswg.exports import csv_response
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.uploads import attachment_response


def _period(request: HttpRequest) -> tuple[PeriodForm, int | None, int | None]:
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return form, None, None


@requires(Action.VIEW_REPORTS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    group = request.working_group
    shown = contributions.amounts_shown_to(group, request.wg_perms)
    this_year = timezone.localdate().year
    # The period's years, or the last five: a table per year (three queries in all).
    last = min(end or this_year, this_year + 1)
    first = max(start or last - 4, 2000)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "figures": figures(group, start, end),
            "query": request.GET.urlencode(),
            "this_year": this_year,
            "contributions": contributions.summaries(
                list(range(first, last + 1)), amounts_shown=shown
            ),
            "contributions_withheld": not shown,
            "min_contributors": contributions.MIN_CONTRIBUTORS,
        },
    )


def figures(group, start: int | None, end: int | None) -> SafeString:
    """The totals, the charts and their tables, rendered.

    Two aggregates over the group's whole register and its plenaries' attendance, and three
    charts: most of the page's cost, for figures that change when an activity or an attendance
    is recorded, not between two views. So they are kept, rendered, per group, period,
    language and time zone until the group's data changes (``reports.figures_cache``).
    """

    def draw() -> str:
        # From the primary (as every kept value: vpswg.groupcache), drawn once per change.
        totals = reports.totals(group, start, end)
        attendance = reports.attendance_by_constituency(group, start, end)
        return render_to_string(
            "reports/includes/figures.html",
            {"totals": totals, "charts": reports.chart_set(totals, attendance)},
        )

    html = reports.figures_cache.get_or_set(
        group.pk, (start, end, get_language(), timezone.get_current_timezone_name()), draw
    )
    return mark_safe(html)  # rendered, and escaped, by our template


@requires(Action.VIEW_REPORTS)
@require_GET
def csv_export(request: HttpRequest) -> HttpResponse:
    _, start, end = _period(request)
    with reporting(fresh=True):  # a file the Secretariat keeps: never a lagging replica's
        body = reports.csv_export(request.working_group, start, end, language=request.LANGUAGE_CODE)
    period = f"-{start or ''}-{end or ''}" if start or end else ""
    return csv_response(body, f"activities-{request.working_group.slug}{period}.csv")


@requires(Action.VIEW_REPORTS)
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    full = can(request, Action.VIEW_STATE_PARTICIPATION)
    with reporting() as source:
        plenaries = reports.participation(request.working_group, full=full)
    return render(
        request,
        "reports/state.html",
        {
            "plenaries": plenaries,
            "full": full,
            "small": reports.SMALL,
            "as_of": source.as_of,
        },
    )


@requires(Action.PREPARE_ANNUAL_REPORT)
@require_POST
def annual(request: HttpRequest) -> HttpResponse:
    form = AnnualReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["year"]))
        return redirect("reports:index", wg=request.working_group.slug)
    job, started = annual_service.request_report(
        working_group=request.working_group, actor=request.user, year=form.cleaned_data["year"]
    )
    if not started:
        messages.info(
            request,
            _(
                "Your report of %(year)s is still being prepared: wait for it before asking for another."
            )
            % {"year": job.year},
        )
    return redirect("reports:job", wg=request.working_group.slug, pk=job.pk)


def _job(request: HttpRequest, pk: int) -> ReportJob:
    return get_object_or_404(ReportJob, pk=pk, requested_by=request.user)


@requires(Action.VIEW_REPORTS)
@never_cache
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; with htmx, only its progress (polled until it is done). Once it is
    done, the page shows what the PDF says (``annual.contents``), in the reader's language."""
    job = _job(request, pk)
    done = job.status == ReportJob.Status.DONE
    if request.htmx:
        response = render(request, "reports/job.html#progress", {"job": job})
        if done:  # the page is drawn again, now with the report on it
            response["HX-Refresh"] = "true"
    else:
        report = None
        if done:
            with reporting(fresh=True):  # what the PDF says, read as it was built
                report = annual_service.contents(request.working_group, job.year, request.user)
        response = render(request, "reports/job.html", {"job": job, "report": report})
    response["Vary"] = "HX-Request"
    return response


@requires(Action.VIEW_REPORTS)
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return attachment_response(
        job.file, f"annual-report-{request.working_group.slug}-{job.year}.pdf", "application/pdf"
    )
