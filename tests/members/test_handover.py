"""The Secretariat handed over from one member institution to another (seed step 6c): proposed,
voted on by the seats under the group's rule, carried out on its date; the roles, the custody
of the attributed records and the group's history follow; everyone is told; the checklist and
the hand-over show only what each reader may read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import MinutesKey
from meetings.services import minutes as minutes_service
from members.models import HandOver, Institution, SecretariatTerm
from members.services import secretariat as service
from tests.factories import (
    add_contribution,
    make_agenda_item,
    make_application,
    make_coordination,
    make_institution,
    make_meeting,
    make_member,
    make_minutes,
    make_representative,
    make_secretariat,
    make_user,
)
from vpswg.models import AuditEntry, Notification, RoleAssignment
from vpswg.roles import Role
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

SPEAKER = "Quispe Huamaní Canary-Speaker"
STATEMENT = "CANARY-HANDOVER: the agreements with the police must be published."


@pytest.fixture
def world(group):
    """A group whose Secretariat is held by Socios (its term recorded), three seats, an
    incoming institution with two representatives, members, an observer, and circulated
    minutes with an attributed statement."""
    socios = make_institution(group, name="Socios Andinos", pillar="civil_society")
    outgoing = make_secretariat(group)
    with group_scope(group):
        # The Secretariat's person represents Socios (make_secretariat gave them another one).
        outgoing.representations.update(institution=socios)
        service.record_term(
            working_group=group,
            institution=socios,
            started_on=timezone.localdate() - timedelta(days=4 * 365),
            actor=outgoing,
        )
    seats = {p: make_coordination(group, p) for p in ("companies", "government", "civil_society")}
    ideh = make_institution(group, name="Instituto Incoming", pillar="civil_society")
    incoming = make_representative(group, institution=ideh).user
    colleague = make_representative(group, institution=ideh).user
    member = make_member(group)
    meeting = make_meeting(group, "convened", days=20, title="Plenary with the police")
    make_agenda_item(meeting, topic="Agreements with the police")
    with group_scope(group):
        type(meeting).objects.filter(pk=meeting.pk).update(
            start=timezone.now() - timedelta(hours=3)
        )
        meeting.refresh_from_db()
    speaker = make_representative(group, institution=make_institution(group, name="Minera X"))
    speaker.user.full_name = SPEAKER
    speaker.user.save()
    minutes = make_minutes(meeting, actor=outgoing)
    add_contribution(minutes, STATEMENT, speaker=speaker, actor=outgoing)
    with group_scope(group):
        minutes_service.submit(minutes=minutes, actor=outgoing)
        for seat in seats.values():
            minutes_service.review(minutes=minutes, actor=seat, decision="approve")
        minutes_service.circulate(minutes=minutes)
    return {
        "group": group,
        "socios": socios,
        "ideh": ideh,
        "outgoing": outgoing,
        "incoming": incoming,
        "colleague": colleague,
        "seats": seats,
        "member": member,
        "meeting": meeting,
        "minutes": minutes,
    }


def propose(w, days: int = 30, **kw) -> HandOver:
    with group_scope(w["group"]):
        return service.propose(
            working_group=w["group"],
            actor=w["outgoing"],
            to_institution=kw.pop("to", w["ideh"]),
            effective_on=service.today(w["group"]) + timedelta(days=days),
            incoming=kw.pop("incoming", [w["incoming"]]),
            reason=kw.pop("reason", "Rotation after four years."),
        )


def agree(w, handover: HandOver, votes=("approve", "approve", "approve")) -> HandOver:
    with group_scope(w["group"]):
        for seat, choice in zip(w["seats"].values(), votes, strict=True):
            service.vote(handover=handover, actor=seat, choice=choice)
        return service.decide(handover=handover, actor=w["seats"]["companies"], confirmed=True)


def roles(w, user) -> set[str]:
    with group_scope(w["group"]):
        return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


# --- The service --------------------------------------------------------------------------------


def test_only_an_active_member_institution_other_than_the_current_one_takes_over(world):
    observer = make_institution(
        world["group"], pillar="", kind="international_organisation", participation="observer"
    )
    suspended = make_institution(world["group"])
    with group_scope(world["group"]):
        Institution.objects.filter(pk=suspended.pk).update(standing=Institution.Standing.SUSPENDED)
        suspended.refresh_from_db()
    for target in (observer, suspended, world["socios"]):
        with pytest.raises(service.HandOverError):
            propose(world, to=target, incoming=[])
    with pytest.raises(service.HandOverError, match="past"):
        propose(world, days=-1)
    # Someone who does not represent the incoming institution cannot be named to hold it.
    with pytest.raises(service.HandOverError, match="representatives"):
        propose(world, incoming=[world["member"]])
    with pytest.raises(service.HandOverError, match="at least one"):
        propose(world, incoming=[])


def test_one_hand_over_at_a_time(world):
    propose(world)
    with pytest.raises(service.HandOverError, match="already"):
        propose(world)


def test_the_decision_follows_the_groups_rule_with_the_incoming_pillar(world):
    """Majority with the pillar (the default): two seats for, but the incoming institution's
    own pillar against, is not agreed; nothing moves."""
    handover = agree(world, propose(world), votes=("approve", "approve", "decline"))
    assert handover.status == HandOver.Status.REJECTED
    assert Role.SECRETARIAT in roles(world, world["outgoing"])
    assert Role.SECRETARIAT not in roles(world, world["incoming"])


def test_the_seats_must_vote_before_a_decision(world):
    handover = propose(world)
    with group_scope(world["group"]):
        service.vote(handover=handover, actor=world["seats"]["companies"], choice="approve")
        with pytest.raises(service.HandOverError, match="Wait for the votes"):
            service.decide(handover=handover, actor=world["seats"]["companies"], confirmed=True)
        with pytest.raises(service.HandOverError, match="seat"):
            service.vote(handover=handover, actor=world["outgoing"], choice="approve")


def test_agreed_it_waits_for_its_date_then_the_roles_and_the_term_move(world, eager_tasks):
    from members.tasks import handovers

    handover = agree(world, propose(world, days=10))
    assert handover.status == HandOver.Status.SCHEDULED
    handovers.delay()  # the hourly job: not yet
    assert Role.SECRETARIAT in roles(world, world["outgoing"])
    assert Role.SECRETARIAT not in roles(world, world["incoming"])

    with group_scope(world["group"]):
        HandOver.objects.filter(pk=handover.pk).update(effective_on=service.today(world["group"]))
    assert handovers.delay().get() == 1
    assert Role.SECRETARIAT not in roles(world, world["outgoing"])
    assert Role.SECRETARIAT in roles(world, world["incoming"])
    # The colleague was not named: they stay a member, nothing more.
    assert roles(world, world["colleague"]) == {Role.MEMBER}
    with group_scope(world["group"]):
        handover.refresh_from_db()
        assert handover.status == HandOver.Status.COMPLETED
        terms = list(SecretariatTerm.objects.order_by("started_on"))
        assert [t.institution for t in terms] == [world["socios"], world["ideh"]]
        assert terms[0].ended_on == terms[1].started_on == service.today(world["group"])
        assert terms[1].handover_id == handover.pk
        verbs = list(AuditEntry.objects.values_list("verb", flat=True))
        assert "secretariat.handed_over" in verbs and verbs.count("role.revoked") >= 1
        told = set(
            Notification.objects.filter(kind="secretariat_handed_over").values_list(
                "recipient_id", flat=True
            )
        )
    # Every member of the group is told, the outgoing people and the seats included.
    everyone = {world["member"].pk, world["outgoing"].pk, world["incoming"].pk}
    everyone |= {s.pk for s in world["seats"].values()}
    assert everyone <= told
    # Run again: nothing more happens.
    assert handovers.delay().get() == 0


def test_a_hand_over_dated_today_happens_at_the_decision(world):
    handover = agree(world, propose(world, days=0))
    assert handover.status == HandOver.Status.COMPLETED
    assert Role.SECRETARIAT in roles(world, world["incoming"])


def test_the_custody_of_the_attributed_record_moves_with_the_role_and_nothing_is_rekeyed(
    client, world
):
    """Before: the outgoing Secretariat reads who said what, the incoming person does not.
    After: the reverse, with the same data key (wrapped the same: nobody re-keyed by hand)."""
    from tests.factories import enrol_totp

    url = reverse("meetings:minutes", kwargs={"wg": world["group"].slug, "pk": world["meeting"].pk})
    with group_scope(world["group"]):
        wrapped_before = MinutesKey.objects.get(minutes=world["minutes"]).wrapped
    client.force_login(world["outgoing"])
    assert SPEAKER in client.get(url).content.decode()
    client.force_login(world["incoming"])
    body = client.get(url).content.decode()
    assert STATEMENT in body and SPEAKER not in body

    enrol_totp(world["incoming"])
    agree(world, propose(world, days=0))

    client.force_login(world["incoming"])
    body = client.get(url).content.decode()
    assert STATEMENT in body and SPEAKER in body
    client.force_login(world["outgoing"])
    body = client.get(url).content.decode()
    assert STATEMENT in body and SPEAKER not in body
    # The outgoing person is a member now: the Secretariat's pages are closed to them.
    applications = reverse("members:applications", kwargs={"wg": world["group"].slug})
    assert client.get(applications).status_code == 403
    with group_scope(world["group"]):
        assert MinutesKey.objects.get(minutes=world["minutes"]).wrapped == wrapped_before


def test_the_incoming_people_must_set_up_a_second_factor_first(client, world):
    agree(world, propose(world, days=0))
    client.force_login(world["incoming"])
    response = client.get(reverse("group:home", kwargs={"wg": world["group"].slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_withdrawn_before_its_date_nothing_moves(world, eager_tasks):
    from members.tasks import handovers

    handover = agree(world, propose(world, days=5))
    with group_scope(world["group"]):
        service.withdraw(handover=handover, actor=world["outgoing"])
        HandOver.objects.filter(pk=handover.pk).update(effective_on=service.today(world["group"]))
    handovers.delay()
    assert Role.SECRETARIAT in roles(world, world["outgoing"])
    assert Role.SECRETARIAT not in roles(world, world["incoming"])


# --- The pages ----------------------------------------------------------------------------------


def page(client, w, user) -> str:
    client.force_login(user)
    response = client.get(reverse("group:secretariat", kwargs={"wg": w["group"].slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_an_open_hand_over_is_not_the_members_business_until_agreed(client, world):
    propose(world, reason="CANARY-REASON: the Secretariat's funding ends.")
    body = page(client, world, world["member"])
    assert "Instituto Incoming" not in body and "CANARY-REASON" not in body
    assert "Socios Andinos" in body  # the current Secretariat and its history
    # The seats and the incoming person see it; only the seats and the Secretariat the reason.
    seat_body = page(client, world, world["seats"]["government"])
    assert "Instituto Incoming" in seat_body and "CANARY-REASON" in seat_body
    incoming_body = page(client, world, world["incoming"])
    assert "Instituto Incoming" in incoming_body and "CANARY-REASON" not in incoming_body


def test_the_checklist_shows_the_incoming_person_only_what_a_member_may_read(client, world):
    """Closed and not-yet-convened meetings are counted, not named; applications are counts,
    never an applicant's name; the checklist is nobody else's."""
    group = world["group"]
    closed = make_meeting(group, "held", kind="coordination", title="CANARY-CLOSED meeting")
    make_minutes(closed, actor=world["outgoing"])
    make_meeting(group, "planned", days=40, title="CANARY-PLANNED plenary")
    make_application(group, "submitted", name="CANARY-APPLICANT Mining")
    propose(world)

    incoming = page(client, world, world["incoming"])
    assert "Hand-over checklist" in incoming
    assert "CANARY-CLOSED" not in incoming and "CANARY-PLANNED" not in incoming
    assert "CANARY-APPLICANT" not in incoming and "1 application to screen" in incoming
    assert "Plenary with the police" in incoming  # an open minutes the members may read
    assert "set up a second factor" in incoming

    outgoing = page(client, world, world["outgoing"])
    assert "Hand-over checklist" in outgoing and "CANARY-CLOSED" in outgoing
    assert "CANARY-PLANNED" in outgoing
    for user in (world["member"], world["colleague"], world["seats"]["companies"]):
        assert "Hand-over checklist" not in page(client, world, user)


def test_the_checklist_runs_a_constant_number_of_queries(client, world):
    """The same count with one and with five of each: plenaries to come, applications, open
    minutes (a next plenary costs a query to know if the reader may name it, whatever the
    data)."""
    make_meeting(world["group"], "planned", days=45)
    propose(world)
    client.force_login(world["outgoing"])
    url = reverse("group:secretariat", kwargs={"wg": world["group"].slug})
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        make_meeting(world["group"], "planned", days=50 + n)
        make_application(world["group"], "submitted", name=f"Applicant {n}")
        make_minutes(make_meeting(world["group"], "held"), actor=world["outgoing"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_dashboard_shows_the_history_and_the_public_page_names_nobody(client, world):
    agree(world, propose(world, days=0))
    client.force_login(world["member"])
    home = reverse("group:home", kwargs={"wg": world["group"].slug})
    body = client.get(home).content.decode()
    year = timezone.localdate().year
    assert "Socios Andinos" in body and "Instituto Incoming" in body
    assert f"{year}–" in body
    client.logout()
    public = client.get(home).content.decode()
    assert "Socios Andinos" not in public and "Instituto Incoming" not in public


def test_the_secretariat_proposes_through_the_page_in_two_steps(client, world):
    client.force_login(world["outgoing"])
    url = reverse("group:secretariat", kwargs={"wg": world["group"].slug})
    step = client.get(url, {"to": world["ideh"].pk}).content.decode()
    assert world["incoming"].full_name in step and world["colleague"].full_name in step
    # A person of another institution slipped into the form is refused, nothing is made.
    response = client.post(
        reverse("group:handover_propose", kwargs={"wg": world["group"].slug}),
        {
            "to": world["ideh"].pk,
            "effective_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "incoming": [world["member"].pk],
        },
    )
    assert response.status_code == 302
    with group_scope(world["group"]):
        assert not HandOver.objects.exists()
    response = client.post(
        reverse("group:handover_propose", kwargs={"wg": world["group"].slug}),
        {
            "to": world["ideh"].pk,
            "effective_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "incoming": [world["incoming"].pk],
            "reason": "Rotation.",
        },
    )
    assert response.status_code == 302
    with group_scope(world["group"]):
        handover = HandOver.objects.get()
        assert list(handover.incoming.all()) == [world["incoming"]]


def test_an_outsider_and_another_groups_hand_over_answer_404(client, world, other_group):
    other_secretariat = make_secretariat(other_group)
    other_target = make_institution(other_group, name="Beta Incoming")
    rep = make_representative(other_group, institution=other_target).user
    make_coordination(other_group, "companies")
    with group_scope(other_group):
        theirs = service.propose(
            working_group=other_group,
            actor=other_secretariat,
            to_institution=other_target,
            effective_on=timezone.localdate() + timedelta(days=9),
            incoming=[rep],
        )
    # Someone of another group opens this group's Secretariat page: 404.
    client.force_login(other_secretariat)
    assert (
        client.get(reverse("group:secretariat", kwargs={"wg": world["group"].slug})).status_code
        == 404
    )
    # This group's seat votes on the other group's hand-over by its id: 404, nothing recorded.
    client.force_login(world["seats"]["companies"])
    response = client.post(
        reverse("group:handover_vote", kwargs={"wg": world["group"].slug, "pk": theirs.pk}),
        {"vote": "approve"},
    )
    assert response.status_code == 404
    with group_scope(other_group):
        assert not theirs.votes.exists()
    client.force_login(make_user())
    assert (
        client.get(reverse("group:secretariat", kwargs={"wg": world["group"].slug})).status_code
        == 404
    )
