"""Create (or bring up to date) the demo: the Peruvian working group and a Ghanaian one.

Idempotent: running it twice leaves the same data. It goes through the same services as the
application, so the demo exercises the real rules (roles, guardian grants, audit log).
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo import data
from demo.documents import simple_pdf
from meetings.models import Attendance, Meeting
from members.models import AnnualReport, Application, Institution, Representative
from members.services import applications as application_service
from members.services.compliance import submit_annual_report
from members.services.institutions import add_representative, create_institution
from vpswg.models import User, WorkingGroup
from vpswg.roles import Role
from vpswg.scoping import group_scope
from vpswg.services.groups import create_working_group
from vpswg.services.roles import grant_role
from vpswg.uploads import validate_document

ADMIN_EMAIL = "admin@example.org"


def demo_email(local: str, group_slug: str) -> str:
    if local in data.SHARED_PEOPLE:
        return f"{local}@example.org"
    return f"{local}@{group_slug}.example.org"


def ensure_user(email: str, full_name: str, *, language: str = "", **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=data.PASSWORD, full_name=full_name, language=language, **extra
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class Command(BaseCommand):
    help = "Create the demo working groups (Peru, Ghana) with their institutions and accounts."

    def handle(self, *args, **options):
        # The demo's notices are real rows (seen in the app); their e-mails stay in memory
        # instead of filling the terminal of `make run`.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            ensure_user(ADMIN_EMAIL, "Platform operator", is_staff=True, is_superuser=True)
            accounts = [account for spec in data.GROUPS for account in self.seed_group(spec)]
            peru = WorkingGroup.objects.get(slug=data.PERU["slug"])
            with group_scope(peru):
                self.seed_membership_in_motion(peru)
                self.seed_meetings(peru)
                self.seed_minutes(peru)
                self.seed_register(peru)
        self.print_accounts(accounts)

    def seed_group(self, spec: data.GroupSpec) -> list[tuple[str, str, str]]:
        group = WorkingGroup.objects.filter(slug=spec.fields["slug"]).first()
        if group is None:
            group = create_working_group(**spec.fields)
        accounts = []
        with group_scope(group):
            existing = {i.name: i for i in Institution.objects.all()}
            represented = set(
                Representative.objects.filter(end_date__isnull=True).values_list(
                    "institution_id", "user_id"
                )
            )
            for name, short, pillar, kind, participation, vps, person, local in spec.institutions:
                institution = existing.get(name) or create_institution(
                    working_group=group,
                    name=name,
                    short_name=short,
                    pillar=pillar,
                    kind=kind,
                    participation=participation,
                    vps_member=vps,
                )
                language = group.default_language if local not in data.SHARED_PEOPLE else "en"
                user = ensure_user(demo_email(local, group.slug), person, language=language)
                if (institution.pk, user.pk) not in represented:
                    add_representative(institution=institution, user=user, notify=False)
                roles = [participation]
                if local == spec.secretariat:
                    grant_role(working_group=group, user=user, role=Role.SECRETARIAT, notify=False)
                    roles.append("secretariat")
                for seat_pillar, seat_local in spec.seats.items():
                    if local == seat_local:
                        grant_role(
                            working_group=group,
                            user=user,
                            role=Role.COORDINATION,
                            pillar=seat_pillar,
                            notify=False,
                        )
                        roles.append(f"coordination ({seat_pillar})")
                if len(roles) > 1 or local in spec.showcase:
                    accounts.append((group.slug, user.email, ", ".join(roles)))
        return accounts

    def seed_membership_in_motion(self, group: WorkingGroup) -> None:
        """Applications under review, plenaries held with their attendance, annual reports."""
        by_local = {
            local: User.objects.get(email=demo_email(local, group.slug))
            for *_, local in data.PERU_INSTITUTIONS
        }
        secretariat = by_local[data.PERU_SECRETARIAT]
        for fields, step, votes in data.PERU_APPLICATIONS:
            if Application.objects.filter(name=fields["name"]).exists():
                continue
            letter = SimpleUploadedFile(
                "carta.pdf", simple_pdf(["Carta de solicitud", fields["name"], "Lima"])
            )
            letter.document_type = validate_document(letter)
            application, token = application_service.submit_application(
                working_group=group, data=fields, letter=letter
            )
            # The applicant followed the link sent to the contact address.
            application = application_service.confirm_address(application=application, token=token)
            if step in {"screened"}:
                application_service.screen(
                    application=application, actor=secretariat, complete=True
                )
            for local, choice in votes.items():
                application_service.vote(
                    application=application, actor=by_local[local], choice=choice
                )
        reps = {
            r.user_id: r
            for r in Representative.objects.filter(end_date__isnull=True).select_related(
                "institution"
            )
        }
        for when, title, absent in data.PERU_PLENARIES:
            if Meeting.objects.filter(title=title).exists():
                continue
            start = datetime.datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=group.zone)
            meeting = Meeting.objects.create(
                working_group=group,
                kind=Meeting.Kind.PLENARY,
                title=title,
                start=start,
                venue="Lima",
                status=Meeting.Status.HELD,
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        working_group=group,
                        meeting=meeting,
                        user=user,
                        institution=reps[user.pk].institution,
                    )
                    for local, user in by_local.items()
                    if local not in absent and user.pk in reps
                ]
            )
        Institution.objects.update(created_at=datetime.datetime(2016, 8, 1, tzinfo=group.zone))
        for local in data.PERU_REPORTS_2025:
            rep = reps[by_local[local].pk]
            if not AnnualReport.objects.filter(institution=rep.institution, year=2025).exists():
                submit_annual_report(
                    institution=rep.institution,
                    actor=rep.user,
                    year=2025,
                    text="Capacitación en Principios Voluntarios para el personal de seguridad; "
                    "diálogo con comunidades del área de influencia.",
                )

    def seed_meetings(self, group: WorkingGroup) -> None:
        """Topics of seed step 8, the register of guests, the agreements of the last plenary,
        and the next plenary convened with its agenda."""
        from meetings.models import DiscussionTopic, Guest, TopicInterest
        from meetings.services import meetings as meeting_service
        from meetings.services import participation
        from meetings.services import topics as topic_service

        users, _ = _people(group)
        secretariat = users[data.PERU_SECRETARIAT]
        for title, proposer, interested in data.PERU_TOPICS:
            if DiscussionTopic.objects.filter(title=title).exists():
                continue
            topic = topic_service.propose(working_group=group, actor=users[proposer], title=title)
            TopicInterest.objects.bulk_create(
                [TopicInterest(working_group=group, topic=topic, user=users[u]) for u in interested]
            )
        guests = []
        for fields in data.PERU_GUESTS:
            guest = Guest.objects.filter(name=fields["name"]).first()
            if guest is None:
                guest = meeting_service.register_guest(
                    working_group=group, actor=secretariat, **fields
                )
            guests.append(guest)
        spec = data.PERU_NEXT_PLENARY
        if Meeting.objects.filter(title=spec["title"]).exists():
            return
        last = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-start").first()
        if last is not None:
            participation.record_next(
                meeting=last,
                actor=secretariat,
                topics=spec["agenda"][1][0],
                venue=spec["venue"],
                guests=[guests[1]],
            )
        start = (
            datetime.datetime.now(group.zone) + datetime.timedelta(days=spec["days_ahead"])
        ).replace(hour=9, minute=0, second=0, microsecond=0)
        meeting = meeting_service.plan_meeting(
            working_group=group,
            actor=secretariat,
            kind=Meeting.Kind.PLENARY,
            title=spec["title"],
            start=start,
            venue=spec["venue"],
            use_agreements=False,
        )
        for topic, fmt, minutes, speakers, guest_indexes in spec["agenda"]:
            meeting_service.save_agenda_item(
                meeting=meeting,
                actor=secretariat,
                topic=topic,
                format=fmt,
                duration_minutes=minutes,
                speakers=[users[s] for s in speakers],
                guests=[guests[i] for i in guest_indexes],
            )
        meeting_service.convene(meeting=meeting, actor=secretariat)
        closed = data.PERU_COORDINATION
        coordination = meeting_service.plan_meeting(
            working_group=group,
            actor=secretariat,
            kind=Meeting.Kind.COORDINATION,
            title=closed["title"],
            start=start - datetime.timedelta(days=spec["days_ahead"] - closed["days_ahead"]),
            venue=closed["venue"],
            use_agreements=False,
        )
        for topic in closed["agenda"]:
            meeting_service.save_agenda_item(
                meeting=coordination, actor=secretariat, topic=topic, duration_minutes=45
            )
        meeting_service.convene(meeting=coordination, actor=secretariat)

    def seed_minutes(self, group: WorkingGroup) -> None:
        """Circulated minutes of the last plenary; a draft with a name still in the text."""
        from meetings.models import Minutes
        from meetings.services import minutes as minutes_service

        users, institutions = _people(group)
        secretariat = users[data.PERU_SECRETARIAT]
        for title, spec in data.PERU_MINUTES.items():
            meeting = Meeting.objects.filter(title=title).first()
            if meeting is None or Minutes.objects.filter(meeting=meeting).exists():
                continue
            minutes = minutes_service.start_minutes(meeting=meeting, actor=secretariat)
            if spec["summary"]:
                minutes_service.save_summary(
                    minutes=minutes,
                    actor=secretariat,
                    summary=spec["summary"],
                    revision=minutes.revision,
                )
            for heading, points, said, decisions, actions in spec["sections"]:
                section = minutes_service.add_section(
                    minutes=minutes, actor=secretariat, title=heading
                )
                if points:
                    minutes_service.save_section(
                        section=section,
                        actor=secretariat,
                        title=heading,
                        main_points=points,
                        revision=section.revision,
                    )
                for speaker, text in said:
                    minutes_service.save_contribution(
                        section=section,
                        actor=secretariat,
                        text=text,
                        speaker=f"user:{users[speaker].pk}" if speaker else "",
                    )
                for text in decisions:
                    minutes_service.save_decision(section=section, actor=secretariat, text=text)
                for what, local, days in actions:
                    minutes_service.save_action_item(
                        section=section,
                        actor=secretariat,
                        what=what,
                        institution=institutions[local],
                        due_date=meeting.start.date() + datetime.timedelta(days=days),
                    )
            if spec["summary"]:  # the September minutes go all the way
                minutes_service.submit(minutes=minutes, actor=secretariat)
                for local in data.PERU_SEATS.values():
                    minutes_service.review(minutes=minutes, actor=users[local], decision="approve")

    def seed_register(self, group: WorkingGroup) -> None:
        """The scoping study, the four key activities of the seed and the others of 2010-2015
        (28 activities, 2,213 participants, as the seed reports), outreach, and the work plan."""
        from activities import services as activity_service
        from activities.models import Activity
        from workplan import services as plan_service
        from workplan.models import WorkPlan

        if Activity.objects.exists():
            return
        users, institutions = _people(group)
        secretariat = users[data.PERU_SECRETARIAT]

        def record(fields, organisers, partners=(), counts=None):
            fields = {
                k: (
                    datetime.date.fromisoformat(v)
                    if k.endswith("date") and isinstance(v, str)
                    else v
                )
                for k, v in fields.items()
            }
            return activity_service.save_activity(
                working_group=group,
                actor=secretariat,
                data=fields,
                counts=[
                    activity_service.Count(s, n, *_split(n)) for s, n in (counts or {}).items()
                ],
                organisers=[institutions[o] for o in organisers],
                partner_institutions=[institutions[p] for p in partners],
                confirmed=True,
            )

        study = dict(data.PERU_SCOPING_STUDY)
        record({k: v for k, v in study.items() if k != "organisers"}, study["organisers"])
        used = 0
        for fields, organisers, partners, counts in data.PERU_KEY_ACTIVITIES:
            record(fields, organisers, partners, counts)
            used += sum(counts.values())
        activities, participants = data.PERU_TOTAL_2010_2015
        others = activities - len(data.PERU_KEY_ACTIVITIES)
        remaining = participants - used
        sizes = [remaining // others + (1 if i < remaining % others else 0) for i in range(others)]
        sizes = [s + (7 if i % 2 else -7) for i, s in enumerate(sizes)]  # not all the same size
        organisers = [
            "socios",
            "aprodeh",
            "idehpucp",
            "mininter",
            "antamina",
            "canada",
            "switzerland",
            "minjusdh",
        ]
        for i, size in enumerate(sizes):
            year = 2010 + i * 6 // others
            kind = data.PERU_OTHER_ACTIVITY_KINDS[i % len(data.PERU_OTHER_ACTIVITY_KINDS)]
            region = data.PERU_REGIONS[i % len(data.PERU_REGIONS)]
            record(
                {
                    "title": f"{Activity.Kind(kind).label} sobre los Principios Voluntarios en {region}",
                    "kind": kind,
                    "start_date": datetime.date(year, 3 + (i * 5) % 9, 10 + i % 15),
                    "place": region,
                    "region": region,
                },
                [organisers[i % len(organisers)]],
                counts=_spread(size, i),
            )
        for when, name, kind, by, method, outcome in data.PERU_OUTREACH:
            activity_service.log_outreach(
                working_group=group,
                actor=secretariat,
                date=datetime.date.fromisoformat(when),
                target_name=name,
                target_kind=kind,
                by_institution=institutions[by],
                method=method,
                outcome=outcome,
                target_institution=next(
                    (i for i in institutions.values() if i.name in name or i.short_name == name),
                    None,
                ),
            )
        spec = data.PERU_WORKPLAN
        if WorkPlan.objects.exists():
            return
        plan = plan_service.create_plan(
            working_group=group,
            actor=secretariat,
            title=spec["title"],
            start_date=datetime.date.fromisoformat(spec["start_date"]),
            end_date=datetime.date.fromisoformat(spec["end_date"]),
        )
        for title, planned in spec["objectives"]:
            objective = plan_service.add_objective(plan=plan, actor=secretariat, title=title)
            for name, kind, lead, support, due, status in planned:
                plan_service.save_activity(
                    objective=objective,
                    actor=secretariat,
                    title=name,
                    kind=kind,
                    lead_institution=institutions[lead],
                    supporting=[institutions[s] for s in support],
                    due_date=datetime.date.fromisoformat(due),
                    status=status,
                )
        adopted_at = Meeting.objects.filter(title=spec["adopted_at"]).first()
        if adopted_at is not None:
            plan_service.adopt(plan=plan, actor=secretariat, meeting=adopted_at)

    def print_accounts(self, accounts) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready."))
        out.write(f"Every demo account's password: {data.PASSWORD}")
        out.write(f"  {'platform':8} {ADMIN_EMAIL:34} platform operator (/admin/)")
        for slug, email, roles in accounts:
            out.write(f"  {slug:8} {email:34} {roles}")
        out.write("Every other institution has a representative too: <name>@<group>.example.org.")


def _people(group: WorkingGroup) -> tuple[dict[str, User], dict[str, Institution]]:
    """The demo's representatives and their institutions, by the local part of their e-mail."""
    reps = {
        r.user.email: r
        for r in Representative.objects.filter(
            user__email__in=[demo_email(local, group.slug) for *_, local in data.PERU_INSTITUTIONS]
        ).select_related("user", "institution")
    }
    users, institutions = {}, {}
    for *_, local in data.PERU_INSTITUTIONS:
        rep = reps[demo_email(local, group.slug)]
        users[local], institutions[local] = rep.user, rep.institution
    return users, institutions


def _split(total: int) -> tuple[int, int]:
    """Women and men of a demo count (about two in five women)."""
    women = total * 2 // 5
    return women, total - women


SECTOR_PATTERNS = [
    ("civil_servants", "police_military", "business", "ngos"),
    ("police_military", "security_companies", "community"),
    ("business", "unions", "ngos", "academia"),
    ("civil_servants", "international", "community", "ngos"),
]


def _spread(total: int, index: int) -> dict[str, int]:
    """A demo activity's participants over a few sectors, adding up to ``total``."""
    sectors = SECTOR_PATTERNS[index % len(SECTOR_PATTERNS)]
    share = total // len(sectors)
    counts = {s: share for s in sectors}
    counts[sectors[0]] += total - share * len(sectors)
    return counts
