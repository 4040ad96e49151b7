"""Work plans: at least a year long, adopted by a plenary, closed with a review; activities
assigned to institutions so that every pillar is committed (seed step 7)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ActionItem, Meeting
from members.models import Institution
from vpswg.models import User, WorkingGroup
from vpswg.roles import Pillar
from vpswg.services.audit import record
from workplan.models import Objective, PlannedActivity, WorkPlan

Status = WorkPlan.Status


def one_year_after(start: date) -> date:
    """The last day of a plan of exactly one year from ``start``.

    A plan starting on 29 February has its anniversary on 1 March of the next
    year (as a fixed-term contract does), so it runs to 28 February inclusive.
    """
    year = start.year + 1
    if start.day > calendar.monthrange(year, start.month)[1]:
        anniversary = date(year, start.month + 1, 1)
    else:
        anniversary = date(year, start.month, start.day)
    return anniversary - timedelta(days=1)


def check_period(start: date, end: date) -> None:
    if end < one_year_after(start):
        raise ValidationError(
            {
                "end_date": _(
                    "A work plan covers at least one year: from %(start)s it ends on %(end)s or later."
                )
                % {"start": start.isoformat(), "end": one_year_after(start).isoformat()}
            }
        )


def check_within_plan(plan: WorkPlan, *, start_date: date | None, due_date: date | None) -> None:
    """A planned activity falls within its plan's dates: the plan is what a plenary adopted
    for those years, and its progress is reported for them (a 2029 activity in a 2026-2027
    plan is a typing mistake, or belongs to the next plan)."""
    errors = {}
    for name, value in (("start_date", start_date), ("due_date", due_date)):
        if value and not plan.start_date <= value <= plan.end_date:
            errors[name] = _(
                "The plan runs from %(start)s to %(end)s: choose a date within it, or put the activity in another plan."
            ) % {"start": plan.start_date.isoformat(), "end": plan.end_date.isoformat()}
    if errors:
        raise ValidationError(errors)


def _open(plan: WorkPlan) -> WorkPlan:
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Status.CLOSED:
        raise ValidationError(_("A closed work plan cannot be changed."))
    return plan


@transaction.atomic
def create_plan(
    *, working_group: WorkingGroup, actor: User, title: str, start_date: date, end_date: date
) -> WorkPlan:
    check_period(start_date, end_date)
    plan = WorkPlan.objects.create(
        working_group=working_group,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    record(
        working_group=working_group,
        actor=actor,
        verb="workplan.created",
        obj=plan,
        to_state=Status.DRAFT,
    )
    return plan


@transaction.atomic
def update_plan(
    *, plan: WorkPlan, actor: User, title: str, start_date: date, end_date: date
) -> WorkPlan:
    plan = _open(plan)
    check_period(start_date, end_date)
    outside = (
        PlannedActivity.objects.filter(objective__plan=plan)
        .filter(
            Q(start_date__lt=start_date)
            | Q(start_date__gt=end_date)
            | Q(due_date__lt=start_date)
            | Q(due_date__gt=end_date)
        )
        .order_by("due_date", "pk")
        .values_list("title", flat=True)[:3]
    )
    if outside:
        raise ValidationError(
            _(
                "Planned activities would fall outside the plan's new dates (%(titles)s): change their dates first."
            )
            % {"titles": "; ".join(outside)}
        )
    plan.title, plan.start_date, plan.end_date = title.strip(), start_date, end_date
    plan.save(update_fields=["title", "start_date", "end_date"])
    record(working_group=plan.working_group, actor=actor, verb="workplan.changed", obj=plan)
    return plan


@transaction.atomic
def add_objective(*, plan: WorkPlan, actor: User, title: str, description: str = "") -> Objective:
    plan = _open(plan)
    if not title.strip():
        raise ValidationError(_("Give the objective a title."))
    last = plan.objectives.aggregate(m=Max("position"))["m"] or 0
    objective = Objective.objects.create(
        working_group=plan.working_group,
        plan=plan,
        position=last + 1,
        title=title.strip()[:300],
        description=description.strip(),
    )
    record(working_group=plan.working_group, actor=actor, verb="workplan.objective_added", obj=plan)
    return objective


@transaction.atomic
def save_activity(
    *,
    objective: Objective,
    actor: User,
    activity: PlannedActivity | None = None,
    title: str,
    kind: str,
    description: str = "",
    lead_institution: Institution | None = None,
    supporting=(),
    start_date=None,
    due_date=None,
    status: str = PlannedActivity.Status.PLANNED,
    source_action_item: ActionItem | None = None,
) -> PlannedActivity:
    plan = _open(objective.plan)
    if start_date and due_date and due_date < start_date:
        raise ValidationError({"due_date": _("The target date comes before the start.")})
    check_within_plan(plan, start_date=start_date, due_date=due_date)
    activity = activity or PlannedActivity(
        working_group=objective.working_group, objective=objective
    )
    activity.objective = objective
    activity.title, activity.kind, activity.description = (
        title.strip()[:300],
        kind,
        description.strip(),
    )
    activity.lead_institution, activity.start_date, activity.due_date = (
        lead_institution,
        start_date,
        due_date,
    )
    activity.status = status
    if source_action_item is not None:
        activity.source_action_item = source_action_item
    activity.full_clean(exclude=["source_action_item"])
    activity.save()
    activity.supporting_institutions.set([i for i in supporting if i != lead_institution])
    record(
        working_group=objective.working_group,
        actor=actor,
        verb="workplan.activity_saved",
        obj=activity,
        to_state=status,
    )
    return activity


@transaction.atomic
def activity_from_action_item(
    *, action_item: ActionItem, objective: Objective, actor: User
) -> PlannedActivity:
    """An action item of the minutes becomes a planned activity (once)."""
    if PlannedActivity.objects.filter(source_action_item=action_item).exists():
        raise ValidationError(_("This action item is already a planned activity."))
    return save_activity(
        objective=objective,
        actor=actor,
        title=action_item.what,
        kind=PlannedActivity.Kind.OTHER,
        lead_institution=action_item.institution,
        due_date=action_item.due_date,
        source_action_item=action_item,
    )


@transaction.atomic
def adopt(*, plan: WorkPlan, actor: User, meeting: Meeting) -> WorkPlan:
    plan = _open(plan)
    if plan.status != Status.DRAFT:
        raise ValidationError(_("Only a draft work plan is adopted."))
    if meeting.kind != Meeting.Kind.PLENARY or meeting.status not in {
        Meeting.Status.CONVENED,
        Meeting.Status.HELD,
    }:
        raise ValidationError(
            _("A work plan is adopted by a plenary that has been convened or held.")
        )
    if not plan.objectives.exists():
        raise ValidationError(_("The plan has no objective yet."))
    plan.status, plan.adopted_at_meeting = Status.ADOPTED, meeting
    plan.save(update_fields=["status", "adopted_at_meeting"])
    record(
        working_group=plan.working_group,
        actor=actor,
        verb="workplan.adopted",
        obj=plan,
        from_state=Status.DRAFT,
        to_state=Status.ADOPTED,
        data={"meeting": meeting.pk},
    )
    return plan


@transaction.atomic
def close(*, plan: WorkPlan, actor: User, review: str) -> WorkPlan:
    plan = _open(plan)
    if plan.status != Status.ADOPTED:
        raise ValidationError(_("Only an adopted work plan is closed."))
    if not review.strip():
        raise ValidationError(_("Write the review: what was done, what was not, and why."))
    plan.status, plan.review, plan.closed_at = Status.CLOSED, review.strip(), timezone.now()
    plan.save(update_fields=["status", "review", "closed_at"])
    record(
        working_group=plan.working_group,
        actor=actor,
        verb="workplan.closed",
        obj=plan,
        from_state=Status.ADOPTED,
        to_state=Status.CLOSED,
    )
    return plan


@dataclass
class PillarCommitment:
    pillar: str
    label: str
    institutions: list[str] = field(default_factory=list)
    #: Institutions with tasks that are no longer active members (suspended, expelled,
    #: withdrawn): their tasks are to be reassigned, and they do not count as committed.
    to_reassign: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return not self.institutions


def pillar_commitment(plan: WorkPlan) -> list[PillarCommitment]:
    """Which institutions carry tasks (lead or support), by pillar; a pillar with none is
    flagged. Two queries."""
    activities = PlannedActivity.objects.filter(objective__plan=plan).exclude(
        status=PlannedActivity.Status.CANCELLED
    )
    lead = Institution.objects.filter(pk__in=activities.values("lead_institution"))
    support = Institution.objects.filter(pk__in=activities.values("supporting_institutions"))
    carriers = {i.pk: i for i in (lead | support).distinct()}
    result = {p.value: PillarCommitment(p.value, str(p.label)) for p in Pillar}
    for institution in sorted(carriers.values(), key=lambda i: i.name):
        if institution.pillar in result:
            row = result[institution.pillar]
            if institution.standing == Institution.Standing.ACTIVE:
                row.institutions.append(institution.name)
            else:
                row.to_reassign.append(institution.name)
    return list(result.values())
