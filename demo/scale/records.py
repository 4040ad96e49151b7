"""The rest of a group's history: the register of activities and outreach, applications at
every stage, work plans, discussion topics, an audit trail and an access log."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from activities.models import Activity, OutreachEntry, ParticipantCount, Sector
from demo.scale.common import (
    ACTIVITIES_PER_GROUP,
    APPLICATIONS_PER_GROUP,
    OUTREACH_PER_GROUP,
    PILLAR_KINDS,
    TOPICS,
    Roster,
    _text,
)
from meetings.models import (
    DiscussionTopic,
    Meeting,
    TopicInterest,
)
from members.models import Application, ApplicationVote
from vpswg.models import AuditEntry
from vpswg.roles import Pillar
from vpswg.services.audit import record_many
from workplan.models import Objective, PlannedActivity, WorkPlan


def build_register(roster: Roster, years: int) -> None:
    """Activities with participants and organisers, and the outreach log."""
    group, rng = roster.group, roster.rng
    today = timezone.localdate()
    kinds = Activity.Kind.values
    activities = Activity.objects.bulk_create(
        [
            Activity(
                working_group=group,
                title=f"{TOPICS[n % len(TOPICS)]}: {kinds[n % len(kinds)].replace('_', ' ')} {n + 1}",
                kind=kinds[n % len(kinds)],
                start_date=today - timedelta(days=rng.randrange(years * 365)),
                place=f"City {n % 12 + 1}",
                region=f"Region {n % 6 + 1}",
                description=_text(rng, 2),
                partners="Embassy programme; a university" if n % 3 == 0 else "",
                status=Activity.Status.PROPOSED if n % 60 == 0 else Activity.Status.CONFIRMED,
                proposed_by=roster.users[n % 40],
                confirmed_by=None if n % 60 == 0 else roster.secretariat,
                confirmed_at=None if n % 60 == 0 else timezone.now(),
            )
            for n in range(ACTIVITIES_PER_GROUP)
        ]
    )
    sectors = Sector.values
    ParticipantCount.objects.bulk_create(
        [
            ParticipantCount(
                working_group=group,
                activity=activity,
                sector=sectors[(n + k * 3) % len(sectors)],
                total=(total := rng.randrange(5, 60)),
                women=total // 2 if k == 0 else None,
                men=total - total // 2 if k == 0 else None,
            )
            for n, activity in enumerate(activities)
            for k in range(3)
        ]
    )
    Organisers = Activity.organisers.through
    Organisers.objects.bulk_create(
        [
            Organisers(activity_id=a.pk, institution_id=roster.institutions[n % 38].pk)
            for n, a in enumerate(activities)
        ]
    )
    methods, targets = OutreachEntry.Method.values, OutreachEntry.TargetKind.values
    OutreachEntry.objects.bulk_create(
        [
            OutreachEntry(
                working_group=group,
                date=today - timedelta(days=rng.randrange(years * 365)),
                target_name=f"Ministry of Energy and Mines, office {n + 1}",
                target_kind=targets[n % len(targets)],
                by_institution=roster.institutions[n % 38],
                method=methods[n % len(methods)],
                outcome=_text(rng, 1),
                created_by=roster.secretariat,
            )
            for n in range(OUTREACH_PER_GROUP)
        ]
    )


def build_applications(roster: Roster) -> None:
    """Applications at every stage, with the Coordination Group's votes on the decided ones."""
    group = roster.group
    statuses = [
        Application.Status.SUBMITTED,
        Application.Status.INCOMPLETE,
        Application.Status.SCREENED,
        Application.Status.ACCEPTED,
        Application.Status.DECLINED,
    ]
    pillars = [p.value for p in Pillar]
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                working_group=group,
                reference=f"S{roster.index:04d}-{n:04d}",
                status=statuses[n % len(statuses)],
                name=f"Applicant institution {roster.index:04d}-{n:02d}",
                pillar=pillars[n % 3],
                kind=PILLAR_KINDS[n % len(PILLAR_KINDS)][1],
                description=_text(roster.rng, 2),
                contact_name=f"Contact {n}",
                contact_email=f"contact{n}@applicant-{roster.index:04d}.example.org",
                attests_institutional=True,
                attests_topics=True,
                attests_standing=True,
                token_hash=f"{roster.index:08d}{n:056d}",
                submitted_at=now - timedelta(days=30 * n),
            )
            for n in range(APPLICATIONS_PER_GROUP)
        ]
    )
    ApplicationVote.objects.bulk_create(
        [
            ApplicationVote(
                working_group=group, application=a, voter=user, pillar=pillar, vote="approve"
            )
            for a in applications
            if a.status
            in (
                Application.Status.SCREENED,
                Application.Status.ACCEPTED,
                Application.Status.DECLINED,
            )
            for user, pillar in roster.seats
        ]
    )


def build_workplans(roster: Roster, meetings: list[Meeting]) -> None:
    """Two closed plans and the adopted one, four objectives each, three planned activities each."""
    group, today = roster.group, timezone.localdate()
    plenaries = [
        m for m in meetings if m.kind == Meeting.Kind.PLENARY and m.status == Meeting.Status.HELD
    ]
    plans = WorkPlan.objects.bulk_create(
        [
            WorkPlan(
                working_group=group,
                title=f"Work plan {today.year - age}",
                start_date=date(today.year - age, 1, 1),
                end_date=date(today.year - age, 12, 31),
                status=WorkPlan.Status.ADOPTED if age == 0 else WorkPlan.Status.CLOSED,
                adopted_at_meeting=plenaries[-1 - 4 * age],
                review="" if age == 0 else _text(roster.rng, 2),
                created_by=roster.secretariat,
            )
            for age in (2, 1, 0)
        ]
    )
    objectives = Objective.objects.bulk_create(
        [
            Objective(working_group=group, plan=plan, position=n, title=TOPICS[n])
            for plan in plans
            for n in range(4)
        ]
    )
    kinds, statuses = PlannedActivity.Kind.values, PlannedActivity.Status.values
    planned = PlannedActivity.objects.bulk_create(
        [
            PlannedActivity(
                working_group=group,
                objective=objective,
                title=f"{TOPICS[(n + k) % len(TOPICS)]}: step {k + 1}",
                kind=kinds[(n + k) % len(kinds)],
                lead_institution=roster.institutions[(n * 3 + k) % 38],
                due_date=objective.plan.start_date + timedelta(days=90 * (k + 1)),
                status=statuses[(n + k) % len(statuses)],
            )
            for n, objective in enumerate(objectives)
            for k in range(3)
        ]
    )
    Supporting = PlannedActivity.supporting_institutions.through
    Supporting.objects.bulk_create(
        [
            Supporting(plannedactivity_id=p.pk, institution_id=roster.institutions[(n + 7) % 38].pk)
            for n, p in enumerate(planned)
        ]
    )


def build_topics_and_audit(roster: Roster) -> None:
    group, rng = roster.group, roster.rng
    topics = DiscussionTopic.objects.bulk_create(
        [
            DiscussionTopic(
                working_group=group,
                title=f"{TOPICS[n % len(TOPICS)]} ({n + 1})",
                description=_text(rng, 1),
                proposed_by=roster.users[n],
            )
            for n in range(20)
        ]
    )
    TopicInterest.objects.bulk_create(
        [
            TopicInterest(working_group=group, topic=topic, user=user)
            for topic in topics
            for user in rng.sample(roster.users, 5)
        ]
    )
    record_many(  # chained like every entry (vpswg.services.audit), in one bulk insert
        working_group=group,
        entries=[
            AuditEntry(
                working_group=group,
                actor=roster.secretariat,
                verb="meeting.attendance_recorded",
                object_type="meetings.meeting",
                object_id=str(n),
                object_repr=f"Meeting {n}",
            )
            for n in range(1000)
        ],
    )
