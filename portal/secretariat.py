"""The group's Secretariat: who holds it and has held it, and its hand-over (seed step 6c).

In the portal because the hand-over checklist composes every app's state (open minutes,
pending applications, the next plenary, the work plan, what is scheduled), which the
membership app below them may not import. The hand-over itself is
``members.services.secretariat``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings.access import Reader, visible_meetings
from meetings.models import Meeting, Minutes
from members.forms import (
    HandOverForm,
    HandOverTargetForm,
    HandOverVoteForm,
    SecretariatTermForm,
)
from members.models import Application, HandOver, Institution, Representative
from members.services import secretariat as service
from vpswg.forms import posted_id
from vpswg.permissions import can, requires
from vpswg.roles import Action
from vpswg.services.roles import seats, secretariat_users
from workplan.models import PlannedActivity, WorkPlan

#: Rows of each list of the checklist; the rest is counted.
SHOWN = 8


@dataclass
class Checklist:
    """What the incoming Secretariat takes on, as the outgoing one leaves it."""

    minutes: list[Minutes] = field(default_factory=list)
    minutes_count: int = 0
    applications: dict[str, int] = field(default_factory=dict)
    next_plenary: Meeting | None = None
    next_plenary_visible: bool = False
    convening_notice_on: date | None = None
    tasks: list[PlannedActivity] = field(default_factory=list)
    tasks_count: int = 0
    report_due: date | None = None
    report_reminder_on: date | None = None

    @property
    def applications_count(self) -> int:
        return sum(self.applications.values())


def checklist(request: HttpRequest) -> Checklist:
    """Each item in a constant number of queries, and only what the reader may read: the
    incoming people are members until the date, so meetings they may not open (a closed
    meeting, one not yet convened) are counted, not named, and applications are counts."""
    group = request.working_group
    reader = Reader.of(request)
    visible = visible_meetings(reader)
    result = Checklist()
    open_minutes = Minutes.objects.exclude(status=Minutes.Status.ADOPTED)
    result.minutes_count = open_minutes.count()
    result.minutes = list(
        open_minutes.filter(meeting__in=visible)
        .select_related("meeting")
        .order_by("meeting__start")[:SHOWN]
    )
    result.applications = {
        row["status"]: row["n"]
        for row in Application.objects.filter(
            status__in=[
                Application.Status.NOMINATED,
                Application.Status.SUBMITTED,
                Application.Status.INCOMPLETE,
                Application.Status.SCREENED,
            ]
        )
        .values("status")
        .annotate(n=Count("id"))
    }
    now = timezone.now()
    result.next_plenary = (
        Meeting.objects.filter(
            kind=Meeting.Kind.PLENARY,
            start__gt=now,
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
        )
        .order_by("start")
        .first()
    )
    if result.next_plenary is not None:
        plenary = result.next_plenary
        result.next_plenary_visible = visible.filter(pk=plenary.pk).exists()
        if plenary.status == Meeting.Status.PLANNED:
            result.convening_notice_on = timezone.localtime(plenary.start).date() - timedelta(
                days=group.notice_period_days
            )
    open_tasks = PlannedActivity.objects.filter(
        objective__plan__status=WorkPlan.Status.ADOPTED,
        status__in=[PlannedActivity.Status.PLANNED, PlannedActivity.Status.IN_PROGRESS],
    )
    result.tasks_count = open_tasks.count()
    result.tasks = list(open_tasks.order_by("due_date", "id")[:SHOWN])
    if group.annual_report_required:
        today = service.today(group)
        due = group.report_due_date(today.year - 1)  # the report on last year
        if due < today:
            due = group.report_due_date(today.year)
        result.report_due = due
        result.report_reminder_on = due - timedelta(days=group.report_reminder_days)
    return result


def _eligible(current) -> list[Institution]:
    qs = Institution.objects.filter(
        participation=Institution.Participation.MEMBER, standing=Institution.Standing.ACTIVE
    ).order_by("name")
    if current is not None:
        qs = qs.exclude(pk=current.institution_id)
    return qs


@requires(Action.VIEW_DIRECTORY)
@require_GET
def secretariat(request: HttpRequest) -> HttpResponse:
    """Who holds the Secretariat and who held it; the hand-over before the group, for those
    it concerns (an agreed one, for everyone); the checklist, for the outgoing and incoming
    people; the forms, for the Secretariat and the seats."""
    group = request.working_group
    user = request.user
    term = service.current_term()
    handover = service.active_handover()
    incoming = service.incoming_ids(handover)
    is_secretariat = can(request, Action.MANAGE_GROUP)
    # A Coordination seat's action only (vpswg.roles): whoever holds it holds a seat.
    is_seat = can(request, Action.DECIDE_HANDOVER)
    concerned = is_secretariat or is_seat or user.pk in incoming
    if handover is not None and handover.status == HandOver.Status.OPEN and not concerned:
        handover = None  # before the seats: not yet the members' business
    context = {
        "term": term,
        "terms": service.terms(),
        "holders": secretariat_users(),
        "seats": seats(),
        "handover": handover,
        "is_secretariat": is_secretariat,
        "is_seat": is_seat,
        "is_incoming": user.pk in incoming,
    }
    if handover is not None:
        context["incoming_people"] = list(handover.incoming.all())
        if is_secretariat or is_seat:
            context["tally"] = service.count(handover)
            context["votes"] = list(handover.votes.order_by("pillar"))
            context["my_vote"] = next((v for v in context["votes"] if v.voter_id == user.pk), None)
        if is_seat and handover.status == HandOver.Status.OPEN:
            context["vote_form"] = HandOverVoteForm(
                initial={"vote": context["my_vote"].vote} if context["my_vote"] else None
            )
        if is_secretariat or user.pk in incoming:
            context["checklist"] = checklist(request)
        if user.pk in incoming:
            context["needs_second_factor"] = not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
    if is_secretariat:
        context["seat_candidates"] = service.seat_candidates()
    if handover is None and is_secretariat:
        institutions = _eligible(term)
        target = HandOverTargetForm(request.GET or None, institutions=institutions)
        context["target_form"] = target
        if request.GET.get("to") and target.is_valid():
            chosen = target.cleaned_data["to"]
            context["chosen"] = chosen
            context["handover_form"] = HandOverForm(
                people=service.people_of(chosen),
                initial={"effective_on": service.today(group) + timedelta(days=30)},
            )
        if term is None:
            context["term_form"] = SecretariatTermForm(
                institutions=Institution.objects.filter(
                    participation=Institution.Participation.MEMBER
                ).order_by("name")
            )
    return render(request, "portal/secretariat.html", context)


def _back(request: HttpRequest, anchor: str = "") -> HttpResponse:
    url = reverse("group:secretariat", kwargs={"wg": request.working_group.slug})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _errors(request: HttpRequest, form) -> None:
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


@requires(Action.MANAGE_GROUP)
@require_POST
def handover_propose(request: HttpRequest) -> HttpResponse:
    group = request.working_group
    target = HandOverTargetForm(request.POST, institutions=_eligible(service.current_term()))
    if not target.is_valid():
        _errors(request, target)
        return _back(request, "propose")
    chosen = target.cleaned_data["to"]
    form = HandOverForm(request.POST, people=service.people_of(chosen))
    if not form.is_valid():
        _errors(request, form)
        return redirect(
            reverse("group:secretariat", kwargs={"wg": group.slug}) + f"?to={chosen.pk}#propose"
        )
    try:
        service.propose(
            working_group=group,
            actor=request.user,
            to_institution=chosen,
            effective_on=form.cleaned_data["effective_on"],
            incoming=form.cleaned_data["incoming"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(
            reverse("group:secretariat", kwargs={"wg": group.slug}) + f"?to={chosen.pk}#propose"
        )
    messages.success(
        request, _("The hand-over is before the Coordination Group: its seats vote on it.")
    )
    return _back(request, "handover")


def _handover(pk: int) -> HandOver:
    return get_object_or_404(HandOver, pk=pk)


@requires(Action.DECIDE_HANDOVER)
@require_POST
def handover_vote(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _handover(pk)
    form = HandOverVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, decline or abstain."))
        return _back(request, "handover")
    try:
        service.vote(
            handover=handover,
            actor=request.user,
            choice=form.cleaned_data["vote"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your seat's vote has been recorded."))
    return _back(request, "handover")


@requires(Action.DECIDE_HANDOVER)
@require_POST
def handover_decide(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _handover(pk)
    try:
        handover = service.decide(
            handover=handover, actor=request.user, confirmed=bool(request.POST.get("confirm"))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if handover.status == HandOver.Status.COMPLETED:
            messages.success(
                request, _("Agreed: the Secretariat has been handed over and everyone told.")
            )
        elif handover.status == HandOver.Status.SCHEDULED:
            messages.success(
                request, _("Agreed: the Secretariat changes hands on the date of the hand-over.")
            )
        else:
            messages.success(request, _("Not agreed: the Secretariat stays where it is."))
    return _back(request, "handover")


@requires(Action.MANAGE_GROUP)
@require_POST
def handover_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        service.withdraw(handover=_handover(pk), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The hand-over is withdrawn."))
    return _back(request)


@requires(Action.MANAGE_GROUP)
@require_POST
def secretariat_term(request: HttpRequest) -> HttpResponse:
    form = SecretariatTermForm(
        request.POST,
        institutions=Institution.objects.filter(participation=Institution.Participation.MEMBER),
    )
    if not form.is_valid():
        _errors(request, form)
        return _back(request, "record-term")
    try:
        service.record_term(
            working_group=request.working_group,
            institution=form.cleaned_data["institution"],
            started_on=form.cleaned_data["started_on"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The Secretariat's institution has been recorded."))
    return _back(request)


@requires(Action.MANAGE_GROUP)
@require_POST
def seat_appoint(request: HttpRequest) -> HttpResponse:
    """The Secretariat records who holds a pillar's seat, as the group chose."""
    representative = Representative.objects.filter(
        pk=posted_id(request.POST.get("representative"))
    ).first()
    if representative is None:
        messages.error(request, _("Choose the representative who holds the seat."))
        return _back(request, "seats")
    try:
        service.appoint_seat(
            working_group=request.working_group, actor=request.user, representative=representative
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s holds the seat of %(pillar)s; they have been told.")
            % {
                "name": representative.user.get_full_name() or representative.user.email,
                "pillar": representative.institution.get_pillar_display(),
            },
        )
    return _back(request, "seats")


@requires(Action.MANAGE_GROUP)
@require_POST
def seat_end(request: HttpRequest) -> HttpResponse:
    seat = next((s for s in seats() if s.user_id == posted_id(request.POST.get("user"))), None)
    if seat is None:
        messages.error(request, _("This person holds no seat."))
        return _back(request, "seats")
    service.end_seat(working_group=request.working_group, actor=request.user, user=seat.user)
    messages.success(request, _("The seat is vacant."))
    return _back(request, "seats")
