"""Synthetic working groups at the size of a group with a long history, for benchmarks.

Each group: 40 institutions and 60 accounts (40 primary representatives, 20 alternates), a
Secretariat and one Coordination seat per pillar; ``years`` years of quarterly plenaries, each
with a Coordination Group meeting three weeks before it (invitations, answers, attendance,
four agenda items with a speaker), minutes of 40 contributions for every meeting held, frozen
into the three renderings by the real projection service; the convening notices those
plenaries sent; 300 activities with participants by sector; 100 outreach entries; 30
applications at every stage; three work plans; discussion topics; an audit trail and an access
log. Plus one plenary ten days ahead that has not been convened yet, so that a benchmark can
convene every group at once.

Rows are written with ``bulk_create`` per table and group; the only per-row queries are the
projections of each minutes (a handful each), which must come from the real service: a
benchmark of the reading pages is only honest if what they read was made by the code that
makes it in production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from activities.models import Activity, OutreachEntry, ParticipantCount, Sector
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Contribution,
    Decision,
    DiscussionTopic,
    Invitation,
    Meeting,
    Minutes,
    MinutesAccess,
    MinutesKey,
    MinutesSection,
    MinutesVersion,
    TopicInterest,
)
from meetings.services import attribution, redaction
from members.models import Application, ApplicationVote, Institution, Representative
from vpswg.crypto import attribution_ring, new_key
from vpswg.models import AuditEntry, Notification, RoleAssignment, User, WorkingGroup
from vpswg.permissions import role_group_name
from vpswg.roles import Pillar, Role
from vpswg.services.audit import record_many
from workplan.models import Objective, PlannedActivity, WorkPlan

INSTITUTIONS_PER_GROUP = 40
ALTERNATES_PER_GROUP = 20
CONTRIBUTIONS_PER_MINUTES = 40
SECTIONS_PER_MINUTES = 4
ACTIVITIES_PER_GROUP = 300
OUTREACH_PER_GROUP = 100
APPLICATIONS_PER_GROUP = 30
ATTENDEES_PER_PLENARY = 30

PILLAR_KINDS = [
    (Pillar.COMPANIES, Institution.Kind.COMPANY),
    (Pillar.GOVERNMENT, Institution.Kind.NATIONAL_GOVERNMENT),
    (Pillar.GOVERNMENT, Institution.Kind.FOREIGN_GOVERNMENT),
    (Pillar.CIVIL_SOCIETY, Institution.Kind.NGO_ACADEMIC),
]

TOPICS = [
    "Private security companies and the draft law",
    "Grievance mechanisms in mining communities",
    "Agreements between companies and the national police",
    "Risk assessment before a new project",
    "Training of security personnel in human rights",
    "Social conflict early warning",
    "Lessons from the last site visit",
    "The annual report to the plenary of the Voluntary Principles",
]

#: Clauses that make contributions of a realistic length (about 300 characters) and variety.
CLAUSES = [
    "The participant described how the agreement with the police is reviewed every year",
    "a representative recalled that the last incident was reported to the ombudsman within days",
    "it was noted that the community liaison office now records every grievance it receives",
    "the training for private security guards has reached three regions so far",
    "there was concern that contracts do not yet include human rights clauses",
    "the group was asked to share the guidance on the use of force with new members",
    "progress depends on the regional governments taking part in the next round",
    "the risk assessment will be repeated before the expansion of the project",
    "another participant stressed the role of civil society in monitoring the commitments",
    "the Secretariat will circulate the comparison of the company policies before the next meeting",
]


@dataclass
class Roster:
    """What the later builders of a group need from its membership."""

    group: WorkingGroup
    index: int
    institutions: list[Institution]
    users: list[User]
    representatives: list[Representative]
    secretariat: User
    seats: list[tuple[User, str]]
    rng: random.Random = field(repr=False, default_factory=random.Random)

    def institution_of(self, user_index: int) -> Institution:
        return self.institutions[user_index % INSTITUTIONS_PER_GROUP]


def build_membership(group: WorkingGroup, index: int, password_hash: str) -> Roster:
    """Institutions, accounts, representatives and roles of one scale group."""
    institutions = []
    for i in range(INSTITUTIONS_PER_GROUP):
        observer = i >= INSTITUTIONS_PER_GROUP - 2
        pillar, kind = PILLAR_KINDS[i % len(PILLAR_KINDS)]
        institutions.append(
            Institution(
                working_group=group,
                name=f"Institution {index:04d}-{i:02d}",
                short_name=f"I{index:04d}{i:02d}",
                pillar="" if observer else pillar,
                kind=Institution.Kind.INTERNATIONAL_ORGANISATION if observer else kind,
                participation="observer" if observer else "member",
            )
        )
    Institution.objects.bulk_create(institutions)
    people = INSTITUTIONS_PER_GROUP + ALTERNATES_PER_GROUP
    users = User.objects.bulk_create(
        [
            User(
                email=f"user{p:02d}@scale-{index:04d}.example.org",
                full_name=f"Scale Person {index:04d}-{p:02d}",
                password=password_hash,
            )
            for p in range(people)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    representatives, roles = [], []
    for p, user in enumerate(users):
        institution = institutions[p % INSTITUTIONS_PER_GROUP]
        representatives.append(
            Representative(
                working_group=group,
                institution=institution,
                user=user,
                kind="primary" if p < INSTITUTIONS_PER_GROUP else "alternate",
            )
        )
        role = Role.OBSERVER if institution.participation == "observer" else Role.MEMBER
        roles.append(RoleAssignment(working_group=group, user=user, role=role))
    roles.append(RoleAssignment(working_group=group, user=users[0], role=Role.SECRETARIAT))
    seats = []
    for seat, pillar in enumerate(Pillar, start=1):
        roles.append(
            RoleAssignment(
                working_group=group, user=users[seat], role=Role.COORDINATION, pillar=pillar
            )
        )
        seats.append((users[seat], pillar.value))
    Representative.objects.bulk_create(representatives)
    RoleAssignment.objects.bulk_create(roles)
    django_groups = {g.name: g.pk for g in Group.objects.filter(name__startswith=f"wg:{group.pk}:")}
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [
            Membership(user_id=r.user_id, group_id=django_groups[role_group_name(group.pk, r.role)])
            for r in roles
        ]
    )
    return Roster(
        group=group,
        index=index,
        institutions=institutions,
        users=users,
        representatives=representatives,
        secretariat=users[0],
        seats=seats,
        rng=random.Random(index),
    )


def _text(rng: random.Random, clauses: int = 3) -> str:
    return "; ".join(rng.sample(CLAUSES, clauses)).capitalize() + "."


def _meeting_times(years: int, now: datetime) -> list[tuple[str, datetime]]:
    """(kind, start) of every meeting held in the last ``years`` years, oldest first."""
    first = date(now.year - years, now.month, 1)
    held = []
    for quarter in range(years * 4):
        month = first.month + quarter * 3
        day = date(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 12)
        plenary = timezone.make_aware(datetime.combine(day, time(15, 0)))
        if plenary >= now:
            break
        held.append((Meeting.Kind.COORDINATION, plenary - timedelta(days=21)))
        held.append((Meeting.Kind.PLENARY, plenary))
    return held


def build_meetings(roster: Roster, years: int) -> list[Meeting]:
    """Meetings held, their invitations, answers, attendance and agenda; one plenary ahead."""
    group, rng, now = roster.group, roster.rng, timezone.now()
    members = roster.institutions
    seat_institutions = [roster.institution_of(roster.users.index(u)) for u, _ in roster.seats]
    meetings = [
        Meeting(
            working_group=group,
            kind=kind,
            title=(
                f"Plenary {start:%B %Y}"
                if kind == Meeting.Kind.PLENARY
                else f"Coordination Group {start:%B %Y}"
            ),
            start=start,
            venue=f"Meeting room {n % 5 + 1}, Lima",
            status=Meeting.Status.HELD,
            created_by=roster.secretariat,
            convened_at=start - timedelta(days=21),
            attendance_recorded_at=start + timedelta(days=1),
        )
        for n, (kind, start) in enumerate(_meeting_times(years, now))
    ]
    meetings.append(
        Meeting(
            working_group=group,
            kind=Meeting.Kind.PLENARY,
            title="Next plenary",
            start=now + timedelta(days=10),
            venue="Meeting room 1, Lima",
            created_by=roster.secretariat,
        )
    )
    Meeting.objects.bulk_create(meetings)
    invitations, attendance, items = [], [], []
    for meeting in meetings:
        if meeting.status == Meeting.Status.HELD:
            invited = members if meeting.kind == Meeting.Kind.PLENARY else seat_institutions
            invitations += [
                Invitation(
                    working_group=group,
                    meeting=meeting,
                    institution=institution,
                    answer=rng.choice(["yes"] * 5 + ["no", "maybe"]),
                    answered_at=meeting.start - timedelta(days=7),
                )
                for institution in invited
            ]
            people = (
                rng.sample(range(len(roster.users)), ATTENDEES_PER_PLENARY)
                if meeting.kind == Meeting.Kind.PLENARY
                else [roster.users.index(u) for u, _ in roster.seats]
            )
            attendance += [
                Attendance(
                    working_group=group,
                    meeting=meeting,
                    user=roster.users[p],
                    institution=roster.institution_of(p),
                )
                for p in people
            ]
        items += [
            AgendaItem(
                working_group=group,
                meeting=meeting,
                position=position,
                topic=TOPICS[(position + meeting.start.month) % len(TOPICS)],
                description=_text(rng, 2),
            )
            for position in range(SECTIONS_PER_MINUTES)
        ]
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendance)
    AgendaItem.objects.bulk_create(items)
    Speakers = AgendaItem.speakers.through
    Speakers.objects.bulk_create(
        [
            Speakers(agendaitem_id=item.pk, user_id=roster.users[rng.randrange(40)].pk)
            for item in items
        ]
    )
    return meetings


def approved_version(minutes: Minutes, created_by_id: int, key: bytes, **fields) -> MinutesVersion:
    """An unsaved first version frozen through the real projections and sealing, so the scale
    data carries exactly what the product would have stored and the benchmark reads realistic
    rows."""
    content = redaction.attributed(minutes)
    stored = attribution.seal_version(content, key=key, minutes_id=minutes.pk, number=1)
    return MinutesVersion(
        working_group=minutes.working_group,
        minutes=minutes,
        number=1,
        status=MinutesVersion.Status.APPROVED,
        attributed=stored,
        members=redaction.members(minutes),
        dissemination=redaction.dissemination(minutes),
        took_part=attribution.took_part(content),
        content_hash=redaction.content_hash(stored),
        created_by_id=created_by_id,
        **fields,
    )


def _reserve_ids(model, count: int) -> list[int] | None:
    """Ids for ``count`` new rows, taken from the table's sequence (PostgreSQL), so that rows
    whose sealed values are bound to their id are written in one ``bulk_create``."""
    from django.db import connection

    if connection.vendor != "postgresql" or not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def build_minutes(roster: Roster, meetings: list[Meeting]) -> None:
    """Minutes of every meeting held, with 40 attributed contributions, frozen in the three
    renderings; all adopted but the last plenary's (circulated) and the last coordination
    meeting's (a draft the Secretariat is still writing)."""
    group, rng = roster.group, roster.rng
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    plenaries = [m for m in held if m.kind == Meeting.Kind.PLENARY]
    last_plenary, last_coordination = plenaries[-1], held[-2]
    next_plenary = {m.pk: plenaries[i + 1] for i, m in enumerate(plenaries[:-1])}
    minutes = Minutes.objects.bulk_create(
        [
            Minutes(
                working_group=group,
                meeting=meeting,
                summary=_text(rng, 2),
                status=(
                    Minutes.Status.DRAFT
                    if meeting is last_coordination
                    else Minutes.Status.CIRCULATED
                    if meeting is last_plenary
                    else Minutes.Status.ADOPTED
                ),
            )
            for meeting in held
        ]
    )
    # Each minutes' data key, wrapped by the master key as the product does (the seeding
    # keeps the clear keys in memory only, to seal the speakers below).
    ring = attribution_ring()
    keys = {m.pk: new_key() for m in minutes}
    MinutesKey.objects.bulk_create(
        [
            MinutesKey(
                working_group=group,
                minutes=m,
                wrapped=ring.encrypt(keys[m.pk], f"minutes-key:{m.pk}"),
            )
            for m in minutes
        ]
    )
    sections = MinutesSection.objects.bulk_create(
        [
            MinutesSection(
                working_group=group,
                minutes=m,
                position=position,
                title=TOPICS[(position + m.meeting.start.month) % len(TOPICS)],
                main_points=_text(rng, 2),
            )
            for m in minutes
            for position in range(SECTIONS_PER_MINUTES)
        ]
    )
    per_section = CONTRIBUTIONS_PER_MINUTES // SECTIONS_PER_MINUTES
    ids = iter(_reserve_ids(Contribution, len(sections) * per_section) or [])
    contributions, decisions, actions = [], [], []
    sealed_later = []
    for section in sections:
        for position in range(per_section):
            speaker = rng.randrange(len(roster.users))
            ref = attribution.SpeakerRef(
                user_id=roster.users[speaker].pk,
                institution_id=roster.institution_of(speaker).pk,
            )
            contribution = Contribution(
                working_group=group,
                section=section,
                position=position,
                text=_text(rng),
                pk=next(ids, None),
            )
            if contribution.pk is not None:
                contribution.speaker_sealed = attribution.seal_speaker(
                    keys[section.minutes_id], section.minutes_id, contribution.pk, ref
                )
            else:
                sealed_later.append((contribution, ref))
            contributions.append(contribution)
        decisions.append(Decision(working_group=group, section=section, text=_text(rng, 1)))
        actions.append(
            ActionItem(
                working_group=group,
                section=section,
                what=_text(rng, 1),
                institution=roster.institutions[rng.randrange(INSTITUTIONS_PER_GROUP)],
                due_date=section.minutes.meeting.start.date() + timedelta(days=60),
            )
        )
    Contribution.objects.bulk_create(contributions)
    for contribution, ref in sealed_later:  # without a sequence to reserve ids from
        contribution.speaker_sealed = attribution.seal_speaker(
            keys[contribution.section.minutes_id],
            contribution.section.minutes_id,
            contribution.pk,
            ref,
        )
    if sealed_later:
        Contribution.objects.bulk_update([c for c, _ref in sealed_later], ["speaker_sealed"])
    Decision.objects.bulk_create(decisions)
    ActionItem.objects.bulk_create(actions)

    versions = []
    frozen = [m for m in minutes if m.status != Minutes.Status.DRAFT]
    for m in frozen:
        m.working_group = group  # spares the projection a query per minutes
        versions.append(
            approved_version(
                m,
                roster.secretariat.pk,
                keys[m.pk],
                approved_at=m.meeting.start + timedelta(days=14),
            )
        )
    MinutesVersion.objects.bulk_create(versions)
    for m, version in zip(frozen, versions, strict=True):
        m.revision = 1
        m.current_version = version
        m.circulated_version = version
        if m.status == Minutes.Status.ADOPTED:
            m.adopted_at_meeting = next_plenary.get(m.meeting_id)
            m.adopted_at = m.adopted_at_meeting.start if m.adopted_at_meeting else None
    Minutes.objects.bulk_update(
        frozen,
        ["revision", "current_version", "circulated_version", "adopted_at_meeting", "adopted_at"],
    )
    MinutesAccess.objects.bulk_create(
        [
            MinutesAccess(
                working_group=group,
                minutes=frozen[rng.randrange(len(frozen))],
                user=roster.users[rng.randrange(len(roster.users))],
                kind=MinutesAccess.Kind.choices[rng.randrange(len(MinutesAccess.Kind.choices))][0],
                version_number=1,
            )
            for _ in range(500)
        ]
    )


def build_notices(roster: Roster, meetings: list[Meeting]) -> None:
    """The convening notices the plenaries held sent, one per representative, all delivered."""
    group = roster.group
    Notification.objects.bulk_create(
        [
            Notification(
                working_group=group,
                recipient=user,
                email=user.email,
                kind="meeting.convened",
                key=f"scale:{group.pk}:convened:{meeting.pk}:{user.pk}",
                subject=f"{meeting.title}: you are invited",
                body=f"{meeting.title} on {meeting.start:%d %B %Y} at {meeting.venue}.",
                link=f"/{group.slug}/meetings/{meeting.pk}/",
                status=Notification.Status.SENT,
                attempts=1,
                sent_at=meeting.convened_at,
                read_at=meeting.convened_at,
            )
            for meeting in meetings
            if meeting.kind == Meeting.Kind.PLENARY and meeting.status == Meeting.Status.HELD
            for user in roster.users
        ],
        batch_size=2000,
    )


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


def build_group(group: WorkingGroup, index: int, password_hash: str, years: int = 12) -> None:
    """Everything of one scale group; run inside the group's scope and a transaction."""
    roster = build_membership(group, index, password_hash)
    meetings = build_meetings(roster, years)
    build_minutes(roster, meetings)
    build_notices(roster, meetings)
    build_register(roster, years)
    build_applications(roster)
    build_workplans(roster, meetings)
    build_topics_and_audit(roster)
