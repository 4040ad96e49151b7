"""A member's standing decided like an application: a suspension, expulsion or reinstatement
is proposed, voted on by the Coordination Group's seats under the group's rule, confirmed, and
only then takes effect; a warning is recorded at once and says who recorded it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Institution, StandingProposal
from members.services import standing
from members.services.standing import StandingError
from tests.factories import (
    make_coordination,
    make_institution,
    make_representative,
    make_secretariat,
    sign_in,
)
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(group):
    return {p: make_coordination(group, p) for p in ("companies", "government", "civil_society")}


@pytest.fixture
def company(group):
    return make_representative(group, institution=make_institution(group, name="Minera Andina"))


def url(group, name, **kw):
    return reverse(f"members:{name}", kwargs={"wg": group.slug, **kw})


def _standing(group, institution) -> str:
    with group_scope(group):
        return Institution.objects.get(pk=institution.pk).standing


def test_a_proposal_changes_nothing_until_the_seats_decide(client, group, seats, company):
    secretariat = make_secretariat(group)
    client.force_login(secretariat)
    response = client.post(
        url(group, "standing", pk=company.institution_id),
        {
            "decision": "suspension",
            "criterion": "annual_report",
            "reason": "No annual report for 2025.",
        },
        follow=True,
    )
    assert "before the Coordination Group" in response.content.decode()
    assert _standing(group, company.institution) == "active"
    with group_scope(group):
        proposal = StandingProposal.objects.get()
        told = Notification.objects.filter(kind="standing_proposed")
        assert {n.recipient for n in told} == set(seats.values())
        assert not Notification.objects.filter(kind="standing_decision").exists()
    # One seat alone cannot decide it.
    client.force_login(seats["companies"])
    client.post(
        url(group, "standing_vote", pk=company.institution_id, proposal=proposal.pk),
        {"vote": "approve"},
    )
    response = client.post(
        url(group, "standing_record", pk=company.institution_id, proposal=proposal.pk),
        {"confirm": "on"},
        follow=True,
    )
    assert "Wait for the votes: 1 of 3 seats has voted" in response.content.decode()
    assert _standing(group, company.institution) == "active"
    # A second seat: a majority has voted; without the confirmation, nothing either.
    client.force_login(seats["government"])
    client.post(
        url(group, "standing_vote", pk=company.institution_id, proposal=proposal.pk),
        {"vote": "approve"},
    )
    response = client.post(
        url(group, "standing_record", pk=company.institution_id, proposal=proposal.pk), follow=True
    )
    assert "Confirm the decision" in response.content.decode()
    assert _standing(group, company.institution) == "active"
    client.post(
        url(group, "standing_record", pk=company.institution_id, proposal=proposal.pk),
        {"confirm": "on"},
    )
    assert _standing(group, company.institution) == "suspended"
    with group_scope(group):
        proposal.refresh_from_db()
        assert proposal.status == "adopted" and proposal.standing_decision is not None
        (notice,) = Notification.objects.filter(kind="standing_decision")
    assert notice.recipient == company.user
    assert "The Coordination Group has decided" in notice.body
    assert "submit the missing annual report" in notice.body


def test_a_majority_decides_without_the_pillars_veto(group, seats, company):
    """The group's rule without the applications' pillar clause: the companies' seat cannot
    keep a company from being suspended when the other two approve."""
    with group_scope(group):
        proposal = standing.propose(
            institution=company.institution,
            actor=seats["government"],
            decision="suspension",
            reason="No annual report.",
            criterion="annual_report",
        )
        standing.vote(proposal=proposal, actor=seats["government"], choice="approve")
        standing.vote(proposal=proposal, actor=seats["civil_society"], choice="approve")
        standing.vote(proposal=proposal, actor=seats["companies"], choice="decline")
        standing.decide(proposal=proposal, actor=seats["government"], confirmed=True)
        proposal.refresh_from_db()
        assert proposal.status == "adopted"
    assert _standing(group, company.institution) == "suspended"


def test_a_seat_does_not_vote_on_its_own_institution(group, seats):
    with group_scope(group):
        own = seats["companies"].representations.get().institution
        proposal = standing.propose(
            institution=own,
            actor=seats["government"],
            decision="suspension",
            reason="No annual report.",
            criterion="annual_report",
        )
        with pytest.raises(StandingError):
            standing.vote(proposal=proposal, actor=seats["companies"], choice="decline")
        assert standing.count(proposal).seats == 2  # the two others decide it


def test_a_decline_by_the_majority_rejects(group, seats, company):
    """Two of three against: not adopted, nothing changes."""
    with group_scope(group):
        proposal = standing.propose(
            institution=company.institution,
            actor=seats["government"],
            decision="expulsion",
            reason="Broke the Chatham House Rule.",
            criterion="conduct",
        )
        standing.vote(proposal=proposal, actor=seats["government"], choice="approve")
        standing.vote(proposal=proposal, actor=seats["civil_society"], choice="decline")
        standing.vote(proposal=proposal, actor=seats["companies"], choice="decline")
        standing.decide(proposal=proposal, actor=seats["government"], confirmed=True)
        proposal.refresh_from_db()
        assert proposal.status == "rejected"
        (decided,) = Notification.objects.filter(kind="standing_proposal_decided")
        assert "did not adopt" in decided.body
    assert _standing(group, company.institution) == "active"


def test_one_question_at_a_time_and_only_seats_vote(group, seats, company):
    secretariat = make_secretariat(group)
    with group_scope(group):
        proposal = standing.propose(
            institution=company.institution,
            actor=secretariat,
            decision="suspension",
            reason="Absent a year.",
            criterion="attendance",
        )
        with pytest.raises(StandingError):
            standing.propose(
                institution=company.institution,
                actor=seats["companies"],
                decision="expulsion",
                reason="Again.",
                criterion="attendance",
            )
        with pytest.raises(StandingError):
            standing.vote(proposal=proposal, actor=secretariat, choice="approve")
        with pytest.raises(StandingError):  # a warning is not proposed: it is recorded
            standing.propose(
                institution=make_institution(group),
                actor=secretariat,
                decision="warning",
                reason="x",
                criterion="other",
            )
        standing.withdraw(proposal=proposal, actor=secretariat)
        with pytest.raises(StandingError):
            standing.vote(proposal=proposal, actor=seats["companies"], choice="approve")


def test_a_criterion_is_required_for_a_proposal(client, group, seats, company):
    client.force_login(make_secretariat(group))
    response = client.post(
        url(group, "standing", pk=company.institution_id),
        {"decision": "expulsion", "reason": "Absent."},
        follow=True,
    )
    assert "Say which criterion is not met" in response.content.decode()
    with group_scope(group):
        assert not StandingProposal.objects.exists()


def test_a_warning_by_the_secretariat_says_so(client, group, seats, company):
    client.force_login(make_secretariat(group))
    client.post(
        url(group, "standing", pk=company.institution_id),
        {"decision": "warning", "reason": "Two plenaries missed."},
    )
    with group_scope(group):
        (notice,) = Notification.objects.filter(kind="standing_decision")
    assert "The Secretariat has recorded a decision" in notice.body
    assert "Coordination Group has" not in notice.body
    assert _standing(group, company.institution) == "active"


def test_an_expulsion_notice_does_not_promise_a_further_decision(group, seats, company):
    with group_scope(group):
        proposal = standing.propose(
            institution=company.institution,
            actor=seats["government"],
            decision="expulsion",
            reason="Left the Voluntary Principles.",
            criterion="commitments",
        )
        for seat in seats.values():
            standing.vote(proposal=proposal, actor=seat, choice="approve")
        standing.decide(proposal=proposal, actor=seats["companies"], confirmed=True)
        (notice,) = Notification.objects.filter(kind="standing_decision")
    assert "Until a further decision" not in notice.body
    assert "no longer a member" in notice.body
    assert _standing(group, company.institution) == "expelled"


def test_the_institution_page_shows_the_proposal_to_seats_only_as_voters(
    client, group, other_group, seats, company
):
    with group_scope(group):
        proposal = standing.propose(
            institution=company.institution,
            actor=seats["government"],
            decision="suspension",
            reason="No annual report for 2025.",
            criterion="annual_report",
        )
    sign_in(client, seats["companies"])
    page = client.get(url(group, "institution", pk=company.institution_id)).content.decode()
    assert "No annual report for 2025." in page and "Your seat&#x27;s vote" in page
    client.force_login(make_secretariat(group))
    page = client.get(url(group, "institution", pk=company.institution_id)).content.decode()
    assert "No annual report for 2025." in page and "standing-vote-vote" not in page
    client.force_login(make_secretariat(other_group))
    assert (
        client.post(
            url(other_group, "standing_vote", pk=company.institution_id, proposal=proposal.pk),
            {"vote": "approve"},
        ).status_code
        == 404
    )
    with group_scope(group):
        assert not proposal.votes.exists()


def _decided(group, institution, decision, reason="No annual report for 2025."):
    from members.services.institutions import decide_standing

    with group_scope(group):
        decide_standing(
            institution=institution,
            actor=make_secretariat(group),
            decision=decision,
            reason=reason,
            body="coordination",
        )


PAGES = ("members:directory", "meetings:list", "workplan:list", "activities:list")


@pytest.mark.parametrize(
    ("decision", "title"),
    [
        ("suspension", "Minera Andina is suspended"),
        ("expulsion", "Minera Andina is no longer a member"),
        ("withdrawal", "Minera Andina has left the group"),
    ],
)
def test_what_a_representative_sees_by_standing(client, group, company, decision, title):
    _decided(group, company.institution, decision)
    sign_in(client, company.user)
    home = client.get(f"/{group.slug}/")
    body = home.content.decode()
    assert home.status_code == 200 and title in body
    assert "No annual report for 2025." in body
    assert "Apply for membership" not in body
    for name in PAGES:  # nothing else of the group
        assert client.get(reverse(name, kwargs={"wg": group.slug})).status_code == 404, name
    report = client.get(url(group, "report"))
    if decision == "suspension":
        assert report.status_code == 200 and url(group, "report") in body
    else:
        assert report.status_code == 404 and url(group, "report") not in body


def test_a_suspended_member_submits_the_report_that_puts_it_right(client, group, company):
    from members.models import AnnualReport

    _decided(group, company.institution, "suspension")
    sign_in(client, company.user)
    response = client.post(
        url(group, "report"), {"year": 2025, "text": "What we did in 2025."}, follow=True
    )
    assert response.status_code == 200
    with group_scope(group):
        (report,) = AnnualReport.objects.filter(institution=company.institution)
        assert (report.year, report.submitted_by) == (2025, company.user)


def test_an_active_member_and_a_stranger_see_what_they_saw(client, group, other_group, company):
    other = make_representative(other_group)
    _decided(other_group, other.institution, "suspension")
    sign_in(client, other.user)
    # Suspended in another group: this group's page is its public page, not a notice.
    body = client.get(f"/{group.slug}/").content.decode()
    assert "is suspended" not in body
    assert client.get(url(group, "report")).status_code == 404
    client.logout()
    sign_in(client, company.user)
    assert client.get(f"/{group.slug}/").templates[0].name == "portal/dashboard.html"
