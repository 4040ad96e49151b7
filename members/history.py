"""Who was a member when: admission dates and the composition on a past day.

An institution's membership starts on its admission: the date of its earliest admission
decision (``StandingDecision``, written when an application is accepted, and by the demo for
the founders), or, for an institution entered directly by the Secretariat without one, the day
it was entered (``created_at`` in the group's time zone). ``standing_since`` is not it: every
decision moves it. Its standing on a day is the one the standing history gives for that day.
The annual report of a year (its composition) and compliance (which years' reports are owed)
both read membership from here, so that they agree.

Participation (member or observer) has no history: today's is used for every day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min
from django.utils import timezone

from members.constituency import Constituency, constituency
from members.models import Institution, StandingDecision
from vpswg.models import WorkingGroup

Standing = Institution.Standing


def admission_dates(working_group: WorkingGroup) -> dict[int, date]:
    """Each institution's earliest admission decision, by institution id: one query. An
    institution missing here was entered without one (see ``admitted_on``)."""
    return dict(
        StandingDecision.objects.filter(
            working_group=working_group, decision=StandingDecision.Decision.ADMISSION
        )
        .values("institution_id")
        .annotate(first=Min("effective_date"))
        .order_by()
        .values_list("institution_id", "first")
    )


def admitted_on(institution: Institution, admissions: dict[int, date]) -> date:
    """The day ``institution`` became part of the group (``admissions`` from
    ``admission_dates``)."""
    if institution.pk in admissions:
        return admissions[institution.pk]
    return timezone.localtime(institution.created_at, institution.working_group.zone).date()


def year_end(year: int, today: date | None = None) -> date:
    """The day a year's figures describe: its last day, or today while it is not over."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


@dataclass
class ConstituencyCount:
    constituency: str
    label: str
    members: int = 0
    observers: int = 0
    suspended: int = 0
    expelled: int = 0


@dataclass
class CompositionOn:
    """The group on ``day``: active members and observers by constituency, and those then
    suspended or expelled (withdrawn institutions had left and are not counted)."""

    day: date
    rows: list[ConstituencyCount] = field(default_factory=list)

    @property
    def members(self) -> int:
        return sum(r.members for r in self.rows)

    @property
    def observers(self) -> int:
        return sum(r.observers for r in self.rows)

    @property
    def suspended(self) -> int:
        return sum(r.suspended for r in self.rows)

    @property
    def expelled(self) -> int:
        return sum(r.expelled for r in self.rows)

    @property
    def shown(self) -> list[ConstituencyCount]:
        """The rows with anyone in them."""
        return [r for r in self.rows if r.members or r.observers or r.suspended or r.expelled]


def standing_on(institution: Institution, decisions: list[StandingDecision], day: date) -> str:
    """``institution``'s standing on ``day`` from its decisions (oldest first)."""
    before = [d for d in decisions if d.effective_date <= day]
    if before:
        return before[-1].to_standing
    if decisions:  # decided only later: what it was before the first decision
        return decisions[0].from_standing
    # No history: today's standing held since standing_since; before that it was active.
    return institution.standing if institution.standing_since <= day else Standing.ACTIVE


def composition_on(working_group: WorkingGroup, day: date) -> CompositionOn:
    """The composition of the group on ``day``, from membership dates and the standing
    history: two queries, whatever the group's size."""
    institutions = list(
        Institution.objects.filter(working_group=working_group).only(
            "pk",
            "working_group",
            "pillar",
            "kind",
            "participation",
            "standing",
            "standing_since",
            "created_at",
        )
    )
    history: dict[int, list[StandingDecision]] = {}
    for decision in (
        StandingDecision.objects.filter(working_group=working_group)
        .only("institution_id", "decision", "from_standing", "to_standing", "effective_date")
        .order_by("effective_date", "id")
    ):
        history.setdefault(decision.institution_id, []).append(decision)
    admissions = {
        pk: min(d.effective_date for d in ds if d.decision == StandingDecision.Decision.ADMISSION)
        for pk, ds in history.items()
        if any(d.decision == StandingDecision.Decision.ADMISSION for d in ds)
    }
    rows = {c.value: ConstituencyCount(c.value, str(c.label)) for c in Constituency}
    for institution in institutions:
        institution.working_group = working_group  # for its zone, without a query
        if admitted_on(institution, admissions) > day:
            continue
        standing = standing_on(institution, history.get(institution.pk, []), day)
        row = rows[constituency(institution.pillar, institution.kind)]
        if standing == Standing.ACTIVE:
            if institution.participation == Institution.Participation.MEMBER:
                row.members += 1
            else:
                row.observers += 1
        elif standing == Standing.SUSPENDED:
            row.suspended += 1
        elif standing == Standing.EXPELLED:
            row.expelled += 1
    return CompositionOn(day=day, rows=list(rows.values()))
