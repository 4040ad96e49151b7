"""Contributions to the group's running: the Secretariat records them; a member sees its own
institution's and the totals by pillar (``members.services.contributions``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.forms import ContributionForm
from members.models import GroupContribution, Institution, Representative
from members.services import contributions as service
from vpswg.permissions import can, requires
from vpswg.roles import Action


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _own_institutions(request: HttpRequest) -> list[int]:
    today = timezone.localdate()
    return list(
        Representative.objects.filter(
            user=request.user, start_date__lte=today, end_date__isnull=True
        ).values_list("institution_id", flat=True)
    )


@requires(Action.VIEW_DIRECTORY)
@require_GET
def contributions(request: HttpRequest) -> HttpResponse:
    group = request.working_group
    year = _year(request)
    manages = can(request, Action.MANAGE_MEMBERSHIP)
    shown = service.amounts_shown_to(group, request.wg_perms)
    entries = GroupContribution.objects.filter(year=year).select_related("institution")
    own = _own_institutions(request)
    if not shown:
        entries = entries.filter(institution_id__in=own)
    summary = service.summaries([year], amounts_shown=shown)
    this_year = timezone.localdate().year
    context = {
        "year": year,
        "years": list(range(this_year + 1, 1999, -1))[:15],
        "entries": list(entries.order_by("institution__name", "kind", "id")),
        "summary": summary[0] if summary else None,
        "amounts_shown": shown,
        "own_only": not shown,
        "manages": manages,
        "min_contributors": service.MIN_CONTRIBUTORS,
    }
    if manages:
        context["form"] = ContributionForm(
            institutions=Institution.objects.order_by("name"), initial={"year": year}
        )
    return render(request, "members/contributions.html", context)


def _back(request: HttpRequest, year: int) -> HttpResponse:
    url = reverse("members:contributions", kwargs={"wg": request.working_group.slug})
    return redirect(f"{url}?year={year}")


@requires(Action.MANAGE_MEMBERSHIP)
@require_POST
def contribution_new(request: HttpRequest) -> HttpResponse:
    form = ContributionForm(request.POST, institutions=Institution.objects.all())
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, _year(request))
    data = form.cleaned_data
    try:
        service.record_contribution(
            working_group=request.working_group,
            actor=request.user,
            institution=data["institution"],
            year=data["year"],
            kind=data["kind"],
            amount=data["amount"],
            currency=data["currency"],
            description=data["description"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The contribution has been recorded."))
    return _back(request, data["year"])


@requires(Action.MANAGE_MEMBERSHIP)
@require_POST
def contribution_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(GroupContribution, pk=pk)
    year = entry.year
    service.delete_contribution(entry=entry, actor=request.user)
    messages.success(request, _("The contribution has been deleted."))
    return _back(request, year)
