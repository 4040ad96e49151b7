"""The activity form (issue 15): an organiser is required, a member's proposal offers the
member's own institution, and the lists of institutions are drawn by pillar with a filter."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from activities.forms import ActivityForm
from activities.models import Activity
from tests.factories import make_institution, make_representative, make_secretariat, sign_in
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

DATA = {"title": "Taller en Cusco", "kind": "workshop", "start_date": "2026-05-10"}


def checked(body: str, name: str) -> set[str]:
    return {
        m[1]
        for m in re.finditer(
            rf'<input type="checkbox" name="{name}" value="(\d+)"[^>]*checked', body
        )
    }


def test_an_activity_needs_an_organiser(client, group):
    sign_in(client, make_secretariat(group))
    response = client.post(reverse("activities:new", kwargs={"wg": group.slug}), DATA)
    assert response.status_code == 200
    assert response.context["form"].errors["organisers"] == [
        "Choose at least one organising member institution: the reports count each activity "
        "for the institutions that organised it."
    ]
    assert "Choose at least one organising member institution" in response.content.decode()
    assert response.context["form"]["title"].value() == "Taller en Cusco"  # nothing typed lost
    with group_scope(group):
        assert not Activity.objects.exists()


def test_a_members_proposal_offers_the_members_own_institution(client, group):
    representative = make_representative(group)
    other = make_institution(group)
    sign_in(client, representative.user)
    body = client.get(reverse("activities:new", kwargs={"wg": group.slug})).content.decode()
    assert checked(body, "organisers") == {str(representative.institution_id)}
    assert checked(body, "partner_institutions") == set()
    response = client.post(
        reverse("activities:new", kwargs={"wg": group.slug}),
        {**DATA, "organisers": [representative.institution_id, other.pk]},
    )
    assert response.status_code == 302
    with group_scope(group):
        activity = Activity.objects.get()
        assert set(activity.organisers.all()) == {representative.institution, other}
        assert activity.status == "proposed"


def test_the_secretariat_is_offered_no_organiser(client, group):
    secretariat = make_secretariat(group)  # a representative too, of its own institution
    sign_in(client, secretariat)
    body = client.get(reverse("activities:new", kwargs={"wg": group.slug})).content.decode()
    assert checked(body, "organisers") == set()


def test_the_lists_of_institutions_are_drawn_by_pillar_with_a_filter(client, group):
    mine = make_institution(group, name="Minera Andina", pillar="companies")
    ministry = make_institution(
        group, name="Ministerio del Interior", pillar="government", kind="national_government"
    )
    ngo = make_institution(group, name="CooperAcción", pillar="civil_society", kind="ngo_academic")
    make_institution(group, name="Retirada", standing="withdrawn")
    with group_scope(group):
        pickers = ActivityForm().pickers()
    assert set(pickers) == {"organisers", "partner_institutions", "funder_institutions"}
    groups = {label: [o.choice_label for o in options] for label, options in pickers["organisers"]}
    assert groups == {
        "Companies": ["Minera Andina"],
        "Government": ["Ministerio del Interior"],
        "Civil society": ["CooperAcción"],
    }
    sign_in(client, make_secretariat(group, full_name="Ana"))
    body = client.get(reverse("activities:new", kwargs={"wg": group.slug})).content.decode()
    assert body.count("data-picker ") + body.count("data-picker>") == 3
    assert "js/picker.js" in body and "<script>" not in body  # no inline script (CSP)
    for institution in (mine, ministry, ngo):
        assert body.count(f'value="{institution.pk}"') == 3
