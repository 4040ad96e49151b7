"""Work plan pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.models import ActionItem
from vpswg.permissions import can, requires
from vpswg.roles import Action
from workplan import services
from workplan.forms import (
    AdoptForm,
    CloseForm,
    FromActionForm,
    ObjectiveForm,
    PlanForm,
    PlannedActivityForm,
)
from workplan.models import Objective, PlannedActivity, WorkPlan


def _plan(pk: int) -> WorkPlan:
    return get_object_or_404(WorkPlan, pk=pk)


def _back(request, plan: WorkPlan) -> HttpResponse:
    return redirect("workplan:detail", wg=request.working_group.slug, pk=plan.pk)


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@requires(Action.VIEW_WORKPLAN)
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workplan/list.html", {"plans": list(WorkPlan.objects.order_by("-start_date"))}
    )


@requires(Action.MANAGE_WORKPLAN)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(
            working_group=request.working_group, actor=request.user, **form.cleaned_data
        )
        return _back(request, plan)
    return render(request, "workplan/plan_form.html", {"form": form})


@requires(Action.MANAGE_WORKPLAN)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    form = PlanForm(request.POST or None, instance=WorkPlan.objects.get(pk=plan.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _back(request, plan)
    return render(request, "workplan/plan_form.html", {"form": form, "plan": plan})


@requires(Action.VIEW_WORKPLAN)
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    objectives = list(
        Objective.objects.filter(plan=plan)
        .prefetch_related("activities__lead_institution", "activities__supporting_institutions")
        .order_by("position", "id")
    )
    context = {
        "plan": plan,
        "objectives": objectives,
        "commitment": services.pillar_commitment(plan),
        "can_manage": can(request, Action.MANAGE_WORKPLAN)
        and plan.status != WorkPlan.Status.CLOSED,
    }
    if context["can_manage"]:
        context.update(
            objective_form=ObjectiveForm(), adopt_form=AdoptForm(), close_form=CloseForm()
        )
    return render(request, "workplan/plan.html", context)


@requires(Action.MANAGE_WORKPLAN)
@require_POST
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        try:
            services.add_objective(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Give the objective a title."))
    return _back(request, plan)


@requires(Action.MANAGE_WORKPLAN)
@require_http_methods(["GET", "POST"])
def activity_form(
    request: HttpRequest, pk: int, objective: int | None = None, activity: int | None = None
) -> HttpResponse:
    plan = _plan(pk)
    instance = None
    if activity is not None:
        instance = (
            PlannedActivity.objects.filter(pk=activity, objective__plan=plan)
            .select_related("objective")
            .first()
        )
        if instance is None:
            raise Http404
        target = instance.objective
    else:
        target = get_object_or_404(Objective, pk=objective, plan=plan)
    form = PlannedActivityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_activity(
                objective=target,
                actor=request.user,
                activity=instance,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                lead_institution=data["lead_institution"],
                supporting=data["supporting_institutions"],
                start_date=data["start_date"],
                due_date=data["due_date"],
                status=data["status"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _back(request, plan)
    return render(
        request,
        "workplan/activity_form.html",
        {"form": form, "plan": plan, "objective": target, "activity": instance},
    )


@requires(Action.MANAGE_WORKPLAN)
@require_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.adopt(plan=plan, actor=request.user, meeting=form.cleaned_data["meeting"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The work plan is adopted."))
    else:
        messages.error(request, _("Choose the plenary that adopted the plan."))
    return _back(request, plan)


@requires(Action.MANAGE_WORKPLAN)
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    try:
        services.close(plan=plan, actor=request.user, review=request.POST.get("review", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The work plan is closed."))
    return _back(request, plan)


@requires(Action.MANAGE_WORKPLAN)
@require_http_methods(["GET", "POST"])
def from_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an action item of the minutes into a planned activity."""
    item = (
        ActionItem.objects.filter(pk=pk)
        .select_related("section__minutes__meeting", "institution")
        .first()
    )
    if item is None:
        raise Http404
    form = FromActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_from_action_item(
                action_item=item, objective=form.cleaned_data["objective"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The action item is now a planned activity."))
            return _back(request, activity.objective.plan)
    return render(request, "workplan/from_action.html", {"form": form, "item": item})
