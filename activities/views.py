"""Activity register and outreach pages."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import services
from activities.forms import ActivityForm, OutreachForm
from activities.models import Activity, Evidence, OutreachEntry, ParticipantCount
from activities.queries import register_cache
from members.models import Institution
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.uploads import attachment_response


def _visible(request: HttpRequest):
    """Confirmed activities; proposals too for the Secretariat, and one's own proposals."""
    qs = Activity.objects.all()
    if not can(request, Action.MANAGE_ACTIVITIES):
        qs = qs.filter(Q(status=Activity.Status.CONFIRMED) | Q(proposed_by=request.user))
    return qs


def _activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(_visible(request), pk=pk)


@requires(Action.VIEW_ACTIVITIES)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    can_manage = can(request, Action.MANAGE_ACTIVITIES)

    def draw() -> str:
        return render_to_string(
            "activities/register.html#listing", _register_context(request, can_manage), request
        )

    # The Secretariat's listing is the same for all of it; a member's holds their own
    # proposals besides the confirmed activities, so it is kept per member.
    listing = register_cache.page(
        request,
        {"kind": 20, "year": 4, "status": 20, "page": 6},
        draw,
        per=("managers" if can_manage else request.user.pk,),
    )
    return render(
        request,
        "activities/register.html",
        {"listing": mark_safe(listing), "can_manage": can_manage},  # our template's output
    )


def _register_context(request: HttpRequest, can_manage: bool) -> dict:
    qs = _visible(request)
    kind, year, status = (request.GET.get(k, "") for k in ("kind", "year", "status"))
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    if _year(year):
        qs = qs.filter(start_date__year=int(year))
    if status in Activity.Status.values:
        qs = qs.filter(status=status)
    # Count and slice the plain rows; the sums and organisers are for the page's rows only.
    people = (
        ParticipantCount.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Sum("total"))
        .values("n")
    )
    page = Paginator(
        qs.order_by("-start_date", "-id")
        .only("pk", "title", "kind", "start_date", "place", "status")
        .annotate(people=Coalesce(Subquery(people), 0)),
        50,
    ).get_page(request.GET.get("page"))
    prefetch_related_objects(
        page.object_list,
        # A list, not a manager: ``.all()`` per row in the template costs a queryset clone each.
        Prefetch(
            "organisers", queryset=Institution.objects.only("pk", "name"), to_attr="organiser_list"
        ),
    )
    # The filter's years (from the first to the last, a year without activities included) and
    # the proposals waiting: one query.
    summary = _visible(request).aggregate(
        first=Min("start_date"),
        last=Max("start_date"),
        pending=Count("pk", filter=Q(status=Activity.Status.PROPOSED)),
    )
    years = (
        list(range(summary["last"].year, summary["first"].year - 1, -1)) if summary["first"] else []
    )
    return {
        "page": page,
        "kinds": Activity.Kind.choices,
        "years": years,
        "kind": kind,
        "year": year,
        "status": status,
        "can_manage": can_manage,
        "pending": summary["pending"] if can_manage else 0,
    }


def _year(value: str) -> bool:
    """A year a date can have: any other filter value is ignored (``"²".isdigit()`` is true)."""
    return (
        value.isascii()
        and value.isdigit()
        and len(value) <= len(str(MAXYEAR))
        and MINYEAR <= int(value) <= MAXYEAR
    )


def _save(request, form, activity=None) -> Activity:
    data = form.cleaned_data
    saved = services.save_activity(
        working_group=request.working_group,
        actor=request.user,
        data=data,
        counts=form.counts,
        organisers=data["organisers"],
        partner_institutions=data["partner_institutions"],
        funder_institutions=data["funder_institutions"],
        activity=activity,
        confirmed=can(request, Action.MANAGE_ACTIVITIES),
    )
    if data.get("evidence"):
        services.add_evidence(activity=saved, actor=request.user, upload=data["evidence"])
    return saved


@requires(Action.PROPOSE_ACTIVITY)
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    # A member proposes what their institution organised: it is offered as the organiser.
    proposer = None if can(request, Action.MANAGE_ACTIVITIES) else request.user
    form = ActivityForm(request.POST or None, request.FILES or None, proposer=proposer)
    if request.method == "POST" and form.is_valid():
        try:
            activity = _save(request, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if activity.status == Activity.Status.PROPOSED:
                messages.success(
                    request, _("Thank you: the Secretariat will confirm the activity.")
                )
            return redirect("activities:detail", wg=request.working_group.slug, pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form})


@requires(Action.MANAGE_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = ActivityForm(
        request.POST or None, request.FILES or None, instance=Activity.objects.get(pk=activity.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, activity=activity)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("activities:detail", wg=request.working_group.slug, pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@requires(Action.VIEW_ACTIVITIES)
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    participants = list(activity.participants.order_by("-total"))
    return render(
        request,
        "activities/activity.html",
        {
            "activity": activity,
            "participants": participants,
            "total": sum(p.total for p in participants),
            "organisers": list(activity.organisers.all()),
            "partner_institutions": list(activity.partner_institutions.all()),
            "funder_institutions": list(activity.funder_institutions.all()),
            "evidence": list(activity.evidence.all())
            if can(request, Action.MANAGE_ACTIVITIES)
            else [],
            "can_manage": can(request, Action.MANAGE_ACTIVITIES),
        },
    )


@requires(Action.MANAGE_ACTIVITIES)
@require_POST
def activity_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    try:
        services.confirm(
            activity=activity,
            actor=request.user,
            confirmed=request.POST.get("decision") != "decline",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("activities:detail", wg=request.working_group.slug, pk=activity.pk)


@requires(Action.MANAGE_ACTIVITIES)
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence: int) -> HttpResponse:
    item = get_object_or_404(Evidence, pk=evidence, activity_id=pk)
    return attachment_response(item.file, item.file_name, item.file_type)


@requires(Action.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def outreach(request: HttpRequest) -> HttpResponse:
    manage = can(request, Action.MANAGE_OUTREACH)
    form = OutreachForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            services.log_outreach(
                working_group=request.working_group, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("The outreach is in the log."))
            return redirect("activities:outreach", wg=request.working_group.slug)
    entries = Paginator(
        OutreachEntry.objects.select_related(
            "target_institution", "by_institution", "guest"
        ).order_by("-date", "-id"),
        50,
    ).get_page(request.GET.get("page"))
    return render(request, "activities/outreach.html", {"page": entries, "form": form})
