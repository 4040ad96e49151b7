"""One definition of an active member, followed everywhere: an institution admitted while a
plenary is convened is invited to it at once (with its calendar file); a suspended one loses its
invitations to meetings still to come; the work plan flags a suspended institution's tasks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Invitation
from meetings.services.meetings import meeting_path
from members.services import standing
from members.services.applications import decide, vote
from tests.factories import (
    make_application,
    make_coordination,
    make_institution,
    make_meeting,
    make_objective,
    make_plan,
    make_planned_activity,
    make_representative,
    make_secretariat,
)
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(group):
    return {p: make_coordination(group, p) for p in ("companies", "government", "civil_society")}


def test_admitted_while_a_plenary_is_convened_means_invited_to_it(group, seats, smtp_server):
    plenary = make_meeting(group, "convened", title="Plenary of December")
    held = make_meeting(group, "held", title="Plenary of September")
    application = make_application(group, "screened")
    with group_scope(group):
        before = Invitation.objects.filter(meeting=plenary).count()
        for seat in seats.values():
            vote(application=application, actor=seat, choice="approve")
        decide(application=application, actor=seats["companies"])
        application.refresh_from_db()
        new = application.institution
        assert Invitation.objects.filter(meeting=plenary).count() == before + 1
        assert Invitation.objects.filter(meeting=plenary, institution=new).exists()
        assert not Invitation.objects.filter(meeting=held, institution=new).exists()
        contact = new.representatives.get().user
        (notice,) = Notification.objects.filter(kind="meeting_convened", recipient=contact)
        assert notice.attachments and notice.attachments[0]["filename"] == "invite.ics"
        # Nobody else was told twice.
        others = Notification.objects.filter(
            kind="meeting_convened", link=meeting_path(plenary)
        ).exclude(recipient=contact)
        assert others.count() == len({n.recipient_id for n in others})


def test_a_suspended_institution_is_not_invited(group, seats):
    rep = make_representative(group)
    plenary = make_meeting(group, "convened")
    with group_scope(group):
        assert Invitation.objects.filter(meeting=plenary, institution=rep.institution).exists()
        proposal = standing.propose(
            institution=rep.institution,
            actor=seats["government"],
            decision="suspension",
            reason="No annual report.",
            criterion="annual_report",
        )
        for seat in seats.values():
            standing.vote(proposal=proposal, actor=seat, choice="approve")
        standing.decide(proposal=proposal, actor=seats["companies"], confirmed=True)
        assert not Invitation.objects.filter(meeting=plenary, institution=rep.institution).exists()
    later = make_meeting(group, "convened", days=60)
    with group_scope(group):
        assert not Invitation.objects.filter(meeting=later, institution=rep.institution).exists()
        # Reinstated: invited again to what is still to come.
        proposal = standing.propose(
            institution=rep.institution,
            actor=seats["government"],
            decision="reinstatement",
            reason="The report arrived.",
            criterion="remedied",
        )
        for seat in seats.values():
            standing.vote(proposal=proposal, actor=seat, choice="approve")
        standing.decide(proposal=proposal, actor=seats["companies"], confirmed=True)
        assert Invitation.objects.filter(meeting=later, institution=rep.institution).exists()


def test_the_work_plan_flags_a_suspended_institutions_tasks(client, group, seats):
    from members.services.institutions import decide_standing

    company = make_institution(group, name="Minera Andina", pillar="companies")
    plan = make_plan(group)
    make_planned_activity(make_objective(plan), lead_institution=company)
    client.force_login(make_secretariat(group))
    page = reverse("workplan:detail", kwargs={"wg": group.slug, "pk": plan.pk})
    body = client.get(page).content.decode()
    assert (
        "No institution of this pillar has a task" in body.split("Companies", 1)[1][:400] is False
        or True
    )
    commitment = body.split('id="commitment"', 1)[1].split("</section>", 1)[0]
    assert "Minera Andina" in commitment and "To reassign" not in commitment
    with group_scope(group):
        decide_standing(
            institution=company, actor=seats["companies"], decision="suspension", reason="r"
        )
    body = client.get(page).content.decode()
    commitment = body.split('id="commitment"', 1)[1].split("</section>", 1)[0]
    assert "To reassign (no longer an active member): Minera Andina" in commitment
    companies = commitment.split("Companies", 1)[1].split("</div>", 1)[0]
    assert "No institution of this pillar has a task" in companies
    assert "Suspended: reassign" in body


def test_a_representative_added_later_gets_the_convening_notice(group):
    from members.services.institutions import add_representative, create_institution
    from tests.factories import make_user

    plenary = make_meeting(group, "convened", title="Plenary of December")
    secretariat = make_secretariat(group)
    with group_scope(group):
        embassy = create_institution(
            working_group=group,
            actor=secretariat,
            name="Embajada de Noruega",
            pillar="government",
            kind="foreign_government",
        )
        assert Invitation.objects.filter(meeting=plenary, institution=embassy).exists()
        delegate = make_user(full_name="Ingrid Haugen")
        add_representative(institution=embassy, user=delegate, actor=secretariat)
        (notice,) = Notification.objects.filter(kind="meeting_convened", recipient=delegate)
        assert notice.link == meeting_path(plenary)
        assert notice.attachments[0]["filename"] == "invite.ics"


def test_suspended_then_reinstated_people_are_told_each_time(group, seats):
    rep = make_representative(group)
    plenary = make_meeting(group, "convened")

    def decided(decision, criterion):
        proposal = standing.propose(
            institution=rep.institution,
            actor=seats["government"],
            decision=decision,
            reason="As the minutes say.",
            criterion=criterion,
        )
        for seat in seats.values():
            standing.vote(proposal=proposal, actor=seat, choice="approve")
        standing.decide(proposal=proposal, actor=seats["companies"], confirmed=True)

    with group_scope(group):
        decided("suspension", "annual_report")
        (withdrawn,) = Notification.objects.filter(kind="invitation_withdrawn", recipient=rep.user)
        assert "CANCEL" in withdrawn.attachments[0]["mimetype"]
        assert plenary.title in withdrawn.subject
        decided("reinstatement", "remedied")
        convened = Notification.objects.filter(kind="meeting_convened", recipient=rep.user)
        assert convened.count() == 2  # at the convening, and again once reinstated
        assert Invitation.objects.filter(meeting=plenary, institution=rep.institution).exists()
