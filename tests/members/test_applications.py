"""Applications and nominations: every transition, the decision rule, notices, and refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Application, Institution, Representative, StandingDecision
from members.services import applications as service
from members.services.applications import TransitionError
from tests.factories import (
    APPLICATION_DATA,
    make_application,
    make_coordination,
    make_member,
    make_secretariat,
    sign_in,
    upload,
)
from vpswg.models import AuditEntry, Notification, RoleAssignment, User
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(group):
    """The Coordination Group: one seat per pillar."""
    return {
        pillar: make_coordination(group, pillar)
        for pillar in ("companies", "government", "civil_society")
    }


def notices(group, kind):
    with group_scope(group):
        return list(Notification.objects.filter(kind=kind))


def test_submission_acknowledges_with_a_reference_and_tells_the_secretariat(group):
    secretariat = make_secretariat(group)
    application = make_application(group)
    assert application.status == "submitted"
    assert application.reference.startswith("ALP-")
    assert application.letter.name.startswith(f"letters/{group.pk}/")
    assert "letter" not in application.letter.name.rsplit("/", 1)[-1]  # a random name
    (ack,) = notices(group, "application_received")
    assert ack.email == APPLICATION_DATA["contact_email"] and ack.recipient is None
    assert application.reference in ack.subject + ack.body
    assert f"/{group.slug}/apply/a/{application.token}/" in ack.body
    (to_screen,) = notices(group, "application_to_screen")
    assert to_screen.recipient == secretariat


def test_the_form_refuses_an_unmet_criterion(group):
    data = {**APPLICATION_DATA, "vps_member": False, "proposed_by": ""}
    with group_scope(group), pytest.raises(ValidationError, match="a"):
        service.submit_application(working_group=group, data=data, letter=upload())
    with group_scope(group):
        assert not Application.objects.exists()


def test_closed_applications_are_refused(group):
    group.applications_open = False
    group.save()
    with group_scope(group), pytest.raises(TransitionError):
        service.submit_application(working_group=group, data=APPLICATION_DATA, letter=upload())


def test_screening_incomplete_asks_the_applicant_with_a_new_link(group):
    application = make_application(group)
    old_token = application.token
    screener = make_secretariat(group)
    with group_scope(group):
        with pytest.raises(ValidationError):
            service.screen(application=application, actor=screener, complete=False, note=" ")
        service.screen(
            application=application, actor=screener, complete=False, note="Sign the letter."
        )
        assert service.find_by_token(old_token) is None  # the old link no longer opens it
        (asked,) = Notification.objects.filter(kind="application_incomplete")
    assert "Sign the letter." in asked.body
    new_token = asked.link.rstrip("/").rsplit("/", 1)[-1]
    with group_scope(group):
        found = service.find_by_token(new_token)
        assert found.status == "incomplete"
        service.complete_by_applicant(
            application=found, token=new_token, data={}, letter=upload("signed.pdf")
        )
        found.refresh_from_db()
    assert found.status == "submitted" and found.letter_name == "signed.pdf"


def test_screening_complete_asks_the_seats_to_vote(group, seats):
    application = make_application(group, "screened")
    assert application.status == "screened"
    voters = {n.recipient for n in notices(group, "application_to_vote")}
    assert voters == set(seats.values())


def test_illegal_transitions_are_refused(group, seats):
    secretariat = make_secretariat(group)
    application = make_application(group)
    with group_scope(group):
        with pytest.raises(TransitionError, match="screened"):
            service.decide(application=application, actor=seats["companies"])
        with pytest.raises(TransitionError):
            service.vote(application=application, actor=seats["companies"], choice="approve")
        service.screen(application=application, actor=secretariat, complete=True)
        with pytest.raises(TransitionError):
            service.screen(application=application, actor=secretariat, complete=True)
        with pytest.raises(TransitionError, match="seat"):
            service.vote(application=application, actor=secretariat, choice="approve")
        with pytest.raises(TransitionError, match="Wait for the votes"):
            service.decide(application=application, actor=seats["companies"])
        for seat in seats.values():
            service.vote(application=application, actor=seat, choice="approve")
        service.decide(application=application, actor=seats["government"])
        with pytest.raises(TransitionError, match="already been decided"):
            service.decide(application=application, actor=seats["government"])
        with pytest.raises(TransitionError):
            service.vote(application=application, actor=seats["companies"], choice="decline")
        with pytest.raises(TransitionError):
            service.complete_by_applicant(application=application, token="x", data={}, letter=None)


def test_acceptance_creates_the_member_and_invites_its_contact(group, seats):
    application = make_application(group, "screened")
    with group_scope(group):
        service.vote(
            application=application,
            actor=seats["companies"],
            choice="approve",
            comment="Solid record.",
        )
        service.vote(application=application, actor=seats["government"], choice="approve")
        service.decide(application=application, actor=seats["companies"], message="Welcome.")
        application.refresh_from_db()
        institution = application.institution
        assert application.status == "accepted" and institution.name == APPLICATION_DATA["name"]
        assert (institution.participation, institution.pillar, institution.standing) == (
            "member",
            "companies",
            "active",
        )
        rep = Representative.objects.get(institution=institution)
        assert rep.user.email == APPLICATION_DATA["contact_email"]
        assert RoleAssignment.objects.filter(user=rep.user, role="member").exists()
        assert StandingDecision.objects.get(institution=institution).decision == "admission"
        (told,) = Notification.objects.filter(kind="application_accepted")
    assert told.email == APPLICATION_DATA["contact_email"]
    assert "/invitation/" in told.body and "Welcome." in told.body
    assert not rep.user.has_usable_password()


def test_decline_tells_the_applicant_the_reason_chosen(group, seats):
    application = make_application(group, "screened")
    with group_scope(group):
        service.vote(application=application, actor=seats["companies"], choice="decline")
        service.vote(application=application, actor=seats["government"], choice="decline")
        service.decide(
            application=application, actor=seats["government"], message="Reapply next year."
        )
        application.refresh_from_db()
        assert application.status == "declined" and application.institution is None
        assert not Institution.objects.filter(name=APPLICATION_DATA["name"]).exists()
        (told,) = Notification.objects.filter(kind="application_declined")
    assert "Reapply next year." in told.body


@pytest.mark.parametrize(
    ("rule", "votes", "accepted"),
    [
        # Default: majority of votes cast, and a seat of the applicant's pillar (companies) approves.
        ("majority_with_pillar", {"companies": "approve", "government": "approve"}, True),
        ("majority_with_pillar", {"government": "approve", "civil_society": "approve"}, False),
        ("majority_with_pillar", {"companies": "approve", "government": "decline"}, False),
        ("majority_with_pillar", {"companies": "approve", "government": "abstain"}, True),
        ("majority", {"government": "approve", "civil_society": "approve"}, True),
        ("majority", {"government": "approve", "civil_society": "decline"}, False),
        (
            "unanimity",
            {"companies": "approve", "government": "approve", "civil_society": "decline"},
            False,
        ),
        (
            "unanimity",
            {"companies": "approve", "government": "approve", "civil_society": "abstain"},
            True,
        ),
        ("majority_with_pillar", {"companies": "abstain", "government": "abstain"}, False),
    ],
)
def test_the_groups_rule_decides(group, seats, rule, votes, accepted):
    group.application_rule = rule
    group.save()
    application = make_application(group, "screened")
    with group_scope(group):
        for pillar, choice in votes.items():
            service.vote(application=application, actor=seats[pillar], choice=choice)
        decided = service.decide(application=application, actor=seats["companies"])
    assert (decided.status == "accepted") is accepted


def test_an_observer_without_a_pillar_needs_only_the_majority(group, seats):
    application = make_application(
        group, "screened", pillar="", participation="observer", kind="international_organisation"
    )
    with group_scope(group):
        service.vote(application=application, actor=seats["government"], choice="approve")
        service.vote(application=application, actor=seats["civil_society"], choice="approve")
        assert (
            service.decide(application=application, actor=seats["government"]).status == "accepted"
        )
        assert Institution.objects.get(name=APPLICATION_DATA["name"]).participation == "observer"


def test_a_seat_may_change_its_vote_before_the_decision(group, seats):
    application = make_application(group, "screened")
    with group_scope(group):
        service.vote(application=application, actor=seats["companies"], choice="decline")
        service.vote(application=application, actor=seats["companies"], choice="approve")
        assert [v.vote for v in application.votes.all()] == ["approve"]
        verbs = list(
            AuditEntry.objects.filter(verb="application.voted").values_list(
                "from_state", "to_state"
            )
        )
    assert ("decline", "approve") in verbs


def test_nomination_invites_the_institution_to_confirm(group):
    member = make_member(group)
    with group_scope(group):
        application = service.nominate(
            working_group=group,
            actor=member,
            data={
                **{
                    k: APPLICATION_DATA[k]
                    for k in (
                        "name",
                        "pillar",
                        "kind",
                        "participation",
                        "contact_name",
                        "contact_email",
                    )
                },
                "nomination_reason": "They train their guards on the VPs.",
            },
        )
        assert application.status == "nominated" and application.nominated_by == member
        assert application.nominating_institution is not None
        (invite,) = Notification.objects.filter(kind="nomination_invitation")
    token = invite.link.rstrip("/").rsplit("/", 1)[-1]
    with group_scope(group):
        with pytest.raises(ValidationError):  # the criteria and the letter are still missing
            service.complete_by_applicant(
                application=application, token=token, data={}, letter=None
            )
        service.complete_by_applicant(
            application=application,
            token=token,
            data={
                "vps_member": True,
                "attests_institutional": True,
                "attests_topics": True,
                "attests_standing": True,
            },
            letter=upload(),
        )
        application.refresh_from_db()
    assert application.status == "submitted"


def test_two_seats_voting_at_once_record_two_votes(group, seats):
    application = make_application(group, "screened")
    with group_scope(group):
        service.vote(application=application, actor=seats["companies"], choice="approve")
        service.vote(application=application, actor=seats["government"], choice="approve")
        assert application.votes.count() == 2


# --- Through HTTP -------------------------------------------------------------------------------


def test_public_form_keeps_everything_when_the_letter_is_wrong(client, group):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**APPLICATION_DATA, "letter": SimpleUploadedFile("letter.pdf", b"not a pdf at all")}
    response = client.post(reverse("apply:form", kwargs={"wg": group.slug}), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "neither a PDF nor a Word" in str(form.errors["letter"])
    assert form["name"].value() == APPLICATION_DATA["name"]
    assert form["contact_email"].value() == APPLICATION_DATA["contact_email"]
    with group_scope(group):
        assert not Application.objects.exists()


def test_public_form_sends_and_thanks_with_the_reference(client, group):
    response = client.post(
        reverse("apply:form", kwargs={"wg": group.slug}), {**APPLICATION_DATA, "letter": upload()}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    with group_scope(group):
        application = Application.objects.get()
    assert application.reference in page


def test_status_needs_the_reference_and_the_email(client, group, other_group):
    application = make_application(group)
    url = reverse("apply:status", kwargs={"wg": group.slug})
    wrong = client.post(url, {"reference": application.reference, "email": "someone@else.test"})
    assert wrong.context["application"] is None
    right = client.post(
        url, {"reference": application.reference, "email": APPLICATION_DATA["contact_email"]}
    )
    assert right.context["application"] == application
    # The same reference through another group's address finds nothing.
    other = client.post(
        reverse("apply:status", kwargs={"wg": other_group.slug}),
        {"reference": application.reference, "email": APPLICATION_DATA["contact_email"]},
    )
    assert other.context["application"] is None


def test_status_lookup_is_rate_limited(client, group):
    url = reverse("apply:status", kwargs={"wg": group.slug})
    statuses = [
        client.post(url, {"reference": f"X-{i}", "email": "a@b.test"}).status_code
        for i in range(21)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_review_pages_by_role(client, group, seats):
    application = make_application(group)
    secretariat = make_secretariat(group)
    sign_in(client, secretariat)
    page = client.get(
        reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk})
    )
    assert page.context["can_screen"] and not page.context["can_vote"]
    response = client.post(
        reverse("members:application_screen", kwargs={"wg": group.slug, "pk": application.pk}),
        {"complete": "no", "note": ""},
    )
    assert response.status_code == 400  # the note is required; nothing changed
    with group_scope(group):
        application.refresh_from_db()
    assert application.status == "submitted"
    client.post(
        reverse("members:application_screen", kwargs={"wg": group.slug, "pk": application.pk}),
        {"complete": "yes"},
    )
    client.logout()
    sign_in(client, seats["companies"])
    page = client.get(
        reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk})
    )
    assert page.context["can_vote"] and not page.context["can_screen"]
    response = client.post(
        reverse("members:application_decide", kwargs={"wg": group.slug, "pk": application.pk}), {}
    )
    assert response.status_code == 400
    assert "Wait for the votes" in response.content.decode()


def test_the_letter_is_served_only_as_a_download(client, group):
    application = make_application(group)
    sign_in(client, make_secretariat(group))
    response = client.get(
        reverse("members:application_letter", kwargs={"wg": group.slug, "pk": application.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_letter_is_not_in_any_public_path(client, group, settings):
    application = make_application(group)
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert client.get(f"/media/{application.letter.name}").status_code == 404
    assert client.get(f"/static/{application.letter.name}").status_code == 404


def test_new_user_from_application_sets_a_password_once(client, group, seats):
    application = make_application(group, "screened")
    with group_scope(group):
        for seat in seats.values():
            service.vote(application=application, actor=seat, choice="approve")
        service.decide(application=application, actor=seats["companies"])
        body = Notification.objects.get(kind="application_accepted").body
    path = "/invitation/" + body.split("/invitation/", 1)[1].split()[0]
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"new_password1": "a-fresh-pass-2026", "new_password2": "a-fresh-pass-2026"}
    )
    # Signed in at once (the link proved the address; the password was just typed).
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email=APPLICATION_DATA["contact_email"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.check_password("a-fresh-pass-2026")
    client.logout()
    assert client.get(path).status_code == 404  # used once
    assert user.emailaddress_set.get(email=user.email).verified is True
    sign_in(client, user, password="a-fresh-pass-2026")
    assert client.get(f"/{group.slug}/").templates[0].name == "portal/dashboard.html"


def test_the_kept_review_list_follows_applications_and_votes(client, group, other_group):
    """Kept per group, filter, page and language: a new application and a vote show at once."""
    first = make_application(group, "screened", name="Minera Pacífico S.A.")
    make_application(other_group, name="Beta Applicant Ltd")
    seat = make_coordination(group, "companies")
    url = reverse("members:applications", kwargs={"wg": group.slug})
    sign_in(client, seat)
    body = client.get(url).content.decode()
    assert "Minera Pacífico S.A." in body and "Beta Applicant Ltd" not in body
    assert "0 / 0 / 0" in body
    with group_scope(group):
        service.vote(application=first, actor=seat, choice="approve")
    assert "1 / 0 / 0" in client.get(url).content.decode()
    make_application(group, name="Asociación Pro Derechos")
    assert "Asociación Pro Derechos" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Solicitudes en curso" in client.get(url).content.decode()
    client.logout()
    sign_in(client, make_coordination(other_group, "companies"))
    assert client.get(url).status_code == 404
    theirs = client.get(reverse("members:applications", kwargs={"wg": other_group.slug}))
    assert "Beta Applicant Ltd" in theirs.content.decode()
    assert "Minera Pacífico S.A." not in theirs.content.decode()
