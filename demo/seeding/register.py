"""The register of activities and outreach, and the work plans."""

from __future__ import annotations

import datetime

from demo import data
from demo.seeding.people import demo_people, spread_over_sectors, women_and_men
from meetings.models import Meeting
from vpswg.models import WorkingGroup


def seed_register(group: WorkingGroup) -> None:
    """The scoping study, the four key activities of the seed and the others of 2010-2015
    (28 activities, 2,213 participants, as the seed reports), outreach, and the work plan."""
    from activities import services as activity_service
    from activities.models import Activity
    from workplan import services as plan_service
    from workplan.models import WorkPlan

    if Activity.objects.exists():
        return
    users, institutions = demo_people(group)
    secretariat = users[data.PERU_SECRETARIAT]

    def record(fields, organisers, partners=(), counts=None):
        fields = {
            k: (datetime.date.fromisoformat(v) if k.endswith("date") and isinstance(v, str) else v)
            for k, v in fields.items()
        }
        return activity_service.save_activity(
            working_group=group,
            actor=secretariat,
            data=fields,
            counts=[
                activity_service.Count(s, n, *women_and_men(n)) for s, n in (counts or {}).items()
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
                "title": f"{data.PERU_KIND_WORDS[kind]} sobre los Principios Voluntarios en {region}",
                "kind": kind,
                "start_date": datetime.date(year, 3 + (i * 5) % 9, 10 + i % 15),
                "place": region,
                "region": region,
            },
            [organisers[i % len(organisers)]],
            counts=spread_over_sectors(size, i),
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
