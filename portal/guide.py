"""The founding guide: the ten steps of the Peruvian model as a checklist on the Secretariat's
dashboard, each step's status read from the group's own data, never ticked by hand.

In the portal because the steps read every app (roles, membership, meetings, terms of
reference, work plans, the register and the outreach log). One query, whatever the size of
the group: an ``EXISTS`` per fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, OutreachEntry
from meetings.models import AgendaItem, DiscussionTopic, Document, Meeting
from members.models import Institution, SecretariatTerm, TermsOfReference
from vpswg.models import RoleAssignment, WorkingGroup
from vpswg.roles import Pillar, Role
from workplan.models import WorkPlan

Terms = TermsOfReference.Status
#: A version the seats have had before them (or that is in force, or was).
SUBMITTED = (Terms.REVIEW, Terms.ADOPTED, Terms.SUPERSEDED)


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    why: str
    #: What is still missing, when the step is not met (one short sentence).
    missing: str
    url: str
    done: bool


def _facts(group: WorkingGroup) -> dict[str, bool]:
    """Every fact the steps read, in one query: an ``EXISTS`` each, tied to the group's row
    (and, through the scoped managers, to the active scope as well)."""
    now = timezone.now()
    member = Institution.objects.filter(
        participation=Institution.Participation.MEMBER, standing=Institution.Standing.ACTIVE
    )
    versions = TermsOfReference.objects.exclude(status=Terms.WITHDRAWN)
    facts = {
        "secretariat": RoleAssignment.objects.filter(role=Role.SECRETARIAT),
        **{
            f"seat_{pillar}": RoleAssignment.objects.filter(role=Role.COORDINATION, pillar=pillar)
            for pillar in Pillar.values
        },
        **{f"members_{pillar}": member.filter(pillar=pillar) for pillar in Pillar.values},
        "term": SecretariatTerm.objects.all(),
        "presentations": AgendaItem.objects.filter(
            meeting__kind=Meeting.Kind.PLENARY,
            meeting__status__in=[Meeting.Status.CONVENED, Meeting.Status.HELD],
            meeting__start__lte=now,
            format=Meeting.Format.PRESENTATION,
        ),
        "objectives": versions.exclude(objectives=""),
        "criteria": versions.filter(status__in=SUBMITTED),
        "adopted": versions.filter(status__in=[Terms.ADOPTED, Terms.SUPERSEDED]),
        "study_activity": Activity.objects.filter(kind=Activity.Kind.STUDY),
        "study_document": Document.objects.filter(kind=Document.Kind.STUDY),
        "plan": WorkPlan.objects.filter(
            status__in=[WorkPlan.Status.ADOPTED, WorkPlan.Status.CLOSED],
            end_date__gte=F("start_date") + timedelta(days=364),
        ),
        "topics": DiscussionTopic.objects.filter(status=DiscussionTopic.Status.DISCUSSED),
        "outreach": OutreachEntry.objects.all(),
        "state": Institution.objects.filter(
            kind=Institution.Kind.NATIONAL_GOVERNMENT, standing=Institution.Standing.ACTIVE
        ),
    }
    row = (
        WorkingGroup.objects.filter(pk=group.pk)
        .annotate(
            **{name: Exists(qs.filter(working_group=OuterRef("pk"))) for name, qs in facts.items()}
        )
        .values(*facts)
        .get()
    )
    return {
        **row,
        "seats": all(row[f"seat_{p}"] for p in Pillar.values),
        "members": all(row[f"members_{p}"] for p in Pillar.values),
        "study": row["study_activity"] or row["study_document"],
    }


def steps(group: WorkingGroup) -> list[Step]:
    """The ten steps, in the order of the model (in the active group's scope)."""
    facts = _facts(group)

    def url(name: str) -> str:
        return reverse(name, kwargs={"wg": group.slug})

    return [
        Step(
            1,
            _("Leadership"),
            _(
                "A champion convenes the three pillars, but the process lasts only with "
                "collective leadership: a Secretariat, and a seat for each pillar."
            ),
            _("Record a Coordination Group seat for each pillar."),
            url("group:secretariat") + "#seats-card",
            bool(facts["secretariat"] and facts["seats"]),
        ),
        Step(
            2,
            _("First meeting and initial activities"),
            _(
                "At the first plenary the actors present their institutions and their "
                "interest; then the group sets its long-term objectives."
            ),
            _(
                "Hold a plenary with institutional presentations on its agenda, and write the "
                "objectives in the terms of reference."
            ),
            url("meetings:list"),
            bool(facts["presentations"] and facts["objectives"]),
        ),
        Step(
            3,
            _("Scoping study"),
            _(
                "A study of how the Voluntary Principles are implemented in the country shows "
                "the gaps and makes the first contacts with future members."
            ),
            _("Record the scoping study in the activity register or the documents."),
            url("activities:list"),
            bool(facts["study"]),
        ),
        Step(
            4,
            _("Participation criteria"),
            _(
                "Who may take part is defined from the start, so that every member is there "
                "for its institution and is respected in its sector."
            ),
            _("Put terms of reference with the participation criteria before the seats."),
            url("group:terms"),
            bool(facts["criteria"]),
        ),
        Step(
            5,
            _("Working rules"),
            _(
                "Rules set from the start give the trust the process needs: how often and how "
                "long the group meets, and the Chatham House Rule."
            ),
            _("Have a plenary adopt the terms of reference."),
            url("group:terms"),
            bool(facts["adopted"]),
        ),
        Step(
            6,
            _("Management levels"),
            _(
                "A plenary of member institutions from every pillar, a Coordination Group with "
                "each pillar, and a Secretariat that convenes and keeps the minutes."
            ),
            _(
                "Admit member institutions from each pillar, record the seats and the "
                "institution holding the Secretariat."
            ),
            url("group:secretariat"),
            bool(facts["members"] and facts["seats"] and facts["term"]),
        ),
        Step(
            7,
            _("Work plan"),
            _(
                "A work plan of at least a year, with tasks assigned to members, commits every "
                "pillar to the group's work."
            ),
            _("Adopt a work plan covering at least a year."),
            url("workplan:list"),
            bool(facts["plan"]),
        ),
        Step(
            8,
            _("Discussion topics"),
            _(
                "Topics useful to the members' daily work keep their interest and attract new "
                "members."
            ),
            _("Have members propose topics, and discuss one at a meeting."),
            url("meetings:topics"),
            bool(facts["topics"]),
        ),
        Step(
            9,
            _("Relations and alliances"),
            _(
                "Outreach to companies, embassies, NGOs and state bodies reaches those not yet "
                "in the Voluntary Principles."
            ),
            _("Record the group's outreach in the outreach log."),
            url("activities:outreach"),
            bool(facts["outreach"]),
        ),
        Step(
            10,
            _("State commitment"),
            _(
                "State officials taking part lend the group credibility and help it carry out "
                "its work plan."
            ),
            _("Bring a national government body into the group, as member or observer."),
            url("members:directory"),
            bool(facts["state"]),
        ),
    ]


def wanted(group: WorkingGroup) -> bool:
    """Whether the steps are to be read at all for the dashboard."""
    return group.founding_guide in {WorkingGroup.Guide.UNTIL_DONE, WorkingGroup.Guide.ALWAYS}


def shown(group: WorkingGroup, found: list[Step]) -> bool:
    """Whether the dashboard shows the guide, as the group's setting says. The first time
    every step is met under "until every step is met", the setting becomes "met": the guide
    is gone for good (the steps, some 20 ms of building the query, are not read again), until
    the Secretariat chooses "Always" in the settings."""
    if group.founding_guide == WorkingGroup.Guide.ALWAYS:
        return True
    if group.founding_guide != WorkingGroup.Guide.UNTIL_DONE:
        return False
    if all(step.done for step in found):
        WorkingGroup.objects.filter(
            pk=group.pk, founding_guide=WorkingGroup.Guide.UNTIL_DONE
        ).update(founding_guide=WorkingGroup.Guide.MET)
        return False
    return True
