"""Institutions, representatives and standing: access follows the representation."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Institution, StandingDecision
from members.services import institutions as service
from tests.factories import (
    cold_process,
    make_coordination,
    make_institution,
    make_member,
    make_representative,
    make_secretariat,
    sign_in,
)
from vpswg.models import Notification, RoleAssignment
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def test_ending_a_representation_ends_access_on_the_next_request(client, group):
    rep = make_representative(group)
    sign_in(client, rep.user)
    assert client.get(reverse("members:directory", kwargs={"wg": group.slug})).status_code == 200
    with group_scope(group):
        service.end_representation(representative=rep, actor=None)
        with pytest.raises(ValidationError):
            service.end_representation(representative=rep, actor=None)
    assert client.get(reverse("members:directory", kwargs={"wg": group.slug})).status_code == 404
    with group_scope(group):
        rep.refresh_from_db()
        assert rep.end_date is not None  # the record stays


def test_a_second_representation_keeps_the_role(group):
    rep = make_representative(group)
    make_representative(group, user=rep.user)
    with group_scope(group):
        service.end_representation(representative=rep, actor=None)
        assert RoleAssignment.objects.filter(user=rep.user, role="member").exists()


def test_inviting_a_representative_creates_the_account_and_tells_them(group):
    institution = make_institution(group)
    secretariat = make_secretariat(group)
    with group_scope(group):
        rep = service.invite_representative(
            institution=institution,
            email="New.Person@Example.test",
            full_name="New Person",
            job_title="Director",
            actor=secretariat,
        )
        with pytest.raises(ValidationError):  # not twice
            service.invite_representative(
                institution=institution,
                email="new.person@example.test",
                full_name="x",
                actor=secretariat,
            )
        (welcome,) = Notification.objects.filter(kind="representative_welcome")
    assert rep.user.email == "new.person@example.test" and not rep.user.has_usable_password()
    assert "/invitation/" in welcome.body and not welcome.in_app


@pytest.mark.parametrize(
    ("decision", "standing", "keeps_access"),
    [
        ("warning", "active", True),
        ("suspension", "suspended", False),
        ("expulsion", "expelled", False),
        ("withdrawal", "withdrawn", False),
    ],
)
def test_standing_decisions_move_access_and_tell_the_institution(
    client, group, decision, standing, keeps_access
):
    rep = make_representative(group)
    seat = make_coordination(group)
    with group_scope(group):
        service.decide_standing(
            institution=rep.institution, actor=seat, decision=decision, reason="Absent a year."
        )
        institution = Institution.objects.get(pk=rep.institution_id)
        assert institution.standing == standing
        entry = StandingDecision.objects.get(institution=institution)
        assert (entry.from_standing, entry.to_standing, entry.reason) == (
            "active",
            standing,
            "Absent a year.",
        )
        (told,) = Notification.objects.filter(kind="standing_decision")
    assert told.recipient == rep.user and "Absent a year." in told.body
    sign_in(client, rep.user)
    status = client.get(reverse("members:directory", kwargs={"wg": group.slug})).status_code
    assert (status == 200) is keeps_access


def test_reinstatement_gives_access_back(group):
    rep = make_representative(group)
    seat = make_coordination(group)
    with group_scope(group):
        service.decide_standing(
            institution=rep.institution, actor=seat, decision="suspension", reason="r"
        )
        assert not RoleAssignment.objects.filter(user=rep.user, role="member").exists()
        with pytest.raises(ValidationError):  # a suspended institution cannot be suspended again
            service.decide_standing(
                institution=rep.institution, actor=seat, decision="suspension", reason="r"
            )
        with pytest.raises(ValidationError):  # a reason is required
            service.decide_standing(
                institution=rep.institution, actor=seat, decision="reinstatement", reason=" "
            )
        service.decide_standing(
            institution=rep.institution, actor=seat, decision="reinstatement", reason="Back."
        )
        assert RoleAssignment.objects.filter(user=rep.user, role="member").exists()


def test_changing_participation_moves_the_role(group):
    rep = make_representative(group)
    secretariat = make_secretariat(group)
    with group_scope(group):
        service.update_institution(
            institution=rep.institution, actor=secretariat, participation="observer"
        )
        roles = set(RoleAssignment.objects.filter(user=rep.user).values_list("role", flat=True))
    assert roles == {"observer"}


def test_secretariat_edits_aliases_through_the_form(client, group):
    institution = make_institution(group, name="Ministerio del Interior")
    sign_in(client, make_secretariat(group))
    url = reverse("members:institution_edit", kwargs={"wg": group.slug, "pk": institution.pk})
    response = client.post(
        url,
        {
            "name": "Ministerio del Interior",
            "short_name": "MININTER",
            "aliases": "Mininter\n  Ministry of the Interior \nmininter",
            "pillar": "government",
            "kind": "national_government",
            "participation": "member",
            "website": "mininter.example",
            "public_profile": "",
        },
    )
    assert response.status_code == 302
    with group_scope(group):
        institution.refresh_from_db()
    assert institution.aliases == ["Mininter", "Ministry of the Interior"]
    assert institution.website == "https://mininter.example"


def test_a_member_institution_needs_a_pillar(client, group):
    sign_in(client, make_secretariat(group))
    response = client.post(
        reverse("members:institution_new", kwargs={"wg": group.slug}),
        {
            "name": "No Pillar Inc",
            "pillar": "",
            "kind": "company",
            "participation": "member",
        },
    )
    assert response.status_code == 200
    assert "one of the three pillars" in str(response.context["form"].errors)


def directory_queries(client, group) -> int:
    cold_process()  # the count of a first request: the per-process cache empty
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:directory", kwargs={"wg": group.slug}))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def directory_sections(body: str) -> dict[str, list[str]]:
    """Institution names by section, as the page shows them."""
    sections = {}
    for chunk in body.split('class="card directory-section pillar-')[1:]:
        key = chunk.split(" ", 1)[0].rstrip('"')
        names = re.findall(r'class="institution-name" href="[^"]*">([^<]*)</a>', chunk)
        sections[key] = names
    return sections


def test_directory_is_kept_until_an_institution_a_representative_or_a_name_changes(
    client, group, other_group
):
    rep = make_representative(group, institution=make_institution(group, name="Andes Copper"))
    url = reverse("members:directory", kwargs={"wg": group.slug})
    sign_in(client, make_member(group))
    cold = directory_queries(client, group)
    assert directory_queries(client, group) == cold - 3  # institutions, representatives, counts
    first = client.get(url).content.decode()
    assert "Add an institution" not in first and str(rep.user) in first
    # Each change shows on the next view: a name, a new institution, a representation ended.
    rep.user.full_name = "Rosa Quispe Mamani"
    rep.user.save()
    assert "Rosa Quispe Mamani" in client.get(url).content.decode()
    make_institution(group, name="Minera del Sur", pillar="companies")
    assert "Minera del Sur" in directory_sections(client.get(url).content.decode())["companies"]
    with group_scope(group):
        service.end_representation(representative=rep)
    assert "Rosa Quispe Mamani" not in client.get(url).content.decode()
    # One rendering per language.
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Observadores" in client.get(url).content.decode()
    # What depends on the reader is not kept: the Secretariat's button, with the kept sections.
    client.logout()
    sign_in(client, make_secretariat(group))
    body = client.get(url).content.decode()
    assert "Add an institution" in body and "Minera del Sur" in body
    # The other group's Secretariat: not this directory, and its own has none of it.
    client.logout()
    sign_in(client, make_secretariat(other_group))
    assert client.get(url).status_code == 404
    theirs = client.get(reverse("members:directory", kwargs={"wg": other_group.slug}))
    assert "Beta Mining Corporation" in theirs.content.decode()
    assert "Minera del Sur" not in theirs.content.decode()


def test_directory_by_pillar_with_observers_apart(client, group, other_group):
    make_institution(group, name="Andes Copper", pillar="companies")
    make_institution(
        group, name="Ministry of Mines", pillar="government", kind="national_government"
    )
    make_institution(
        group,
        name="Red Cross",
        pillar="",
        kind="international_organisation",
        participation="observer",
    )
    make_institution(group, name="Suspended Co", standing="suspended")
    member = make_member(group)
    sign_in(client, member)
    response = client.get(reverse("members:directory", kwargs={"wg": group.slug}))
    body = response.content.decode()
    sections = directory_sections(body)
    assert "Andes Copper" in sections["companies"]
    assert sections["government"] == ["Ministry of Mines"]
    assert sections["observers"] == ["Red Cross"]
    assert "Suspended Co" not in body and "Beta Mining Corporation" not in body
    assert "<svg" in body and "<table" in body  # the chart and its table


def test_directory_query_count_is_the_same_for_3_and_30_institutions(client, group):
    sign_in(client, make_member(group))
    for _ in range(2):
        make_representative(group)
    few = directory_queries(client, group)
    for i in range(27):
        make_representative(
            group,
            institution=make_institution(
                group, pillar=["companies", "government", "civil_society"][i % 3]
            ),
        )
    assert directory_queries(client, group) == few
