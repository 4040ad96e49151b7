"""Contributions to the group's running (seed step 6c): the Secretariat records them; a member
sees its own institution's entries and the totals by pillar, never another institution's amount
(unless the group's settings say so), nor a total that would be one institution's; the reports
and the annual report show the yearly summary by pillar."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import annual
from members.models import GroupContribution
from members.services import contributions as service
from tests.factories import (
    make_institution,
    make_representative,
    make_secretariat,
    make_user,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
CANARY_AMOUNT = "98765.43"


@pytest.fixture
def w(group):
    secretariat = make_secretariat(group)
    mine = make_institution(group, name="Own Institution", pillar="civil_society")
    member = make_representative(group, institution=mine).user
    canary = make_institution(group, name="CANARY Mining Giver", pillar="companies")
    with group_scope(group):
        service.record_contribution(
            working_group=group,
            actor=secretariat,
            institution=canary,
            year=YEAR,
            kind="financial",
            amount=Decimal(CANARY_AMOUNT),
            currency="USD",
        )
        service.record_contribution(
            working_group=group,
            actor=secretariat,
            institution=mine,
            year=YEAR,
            kind="venue",
            description="Room of the March plenary",
        )
    return {"group": group, "secretariat": secretariat, "member": member, "canary": canary}


def url(w, year=YEAR) -> str:
    return reverse("members:contributions", kwargs={"wg": w["group"].slug}) + f"?year={year}"


def test_what_cannot_be_recorded_is_refused_with_a_reason(w, other_group):
    group = w["group"]
    cases = [
        ({"kind": "financial"}, "amount"),
        ({"kind": "financial", "amount": Decimal("10"), "currency": "dollars"}, "three-letter"),
        ({"kind": "financial", "amount": Decimal("-5"), "currency": "USD"}, "more than zero"),
        ({"kind": "venue"}, "in kind"),
        ({"kind": "venue", "description": "x", "year": 1990}, "2000"),
    ]
    with group_scope(group):
        for fields, message in cases:
            data = {"year": YEAR, **fields}
            with pytest.raises(service.ContributionError, match=message):
                service.record_contribution(
                    working_group=group, actor=w["secretariat"], institution=w["canary"], **data
                )
        theirs = make_institution(other_group)
        with pytest.raises(service.ContributionError, match="institution of the group"):
            service.record_contribution(
                working_group=group,
                actor=w["secretariat"],
                institution=theirs,
                year=YEAR,
                kind="venue",
                description="x",
            )


def test_a_member_sees_its_own_entries_and_no_other_institutions_amount(client, w):
    client.force_login(w["member"])
    body = client.get(url(w)).content.decode()
    assert "Room of the March plenary" in body
    assert "CANARY Mining Giver" not in body
    # Neither the amount, in any rendering, nor a pillar total that would be that amount.
    assert "98765" not in body and "98.765" not in body and "98,765" not in body
    assert "given by 1 institution (not shown)" in body
    client.force_login(w["secretariat"])
    body = client.get(url(w)).content.decode()
    assert "CANARY Mining Giver" in body and "98,765.43" in body


def test_a_total_of_enough_institutions_is_shown_to_members(client, w):
    group = w["group"]
    with group_scope(group):
        for n in range(2):
            service.record_contribution(
                working_group=group,
                actor=w["secretariat"],
                institution=make_institution(group, name=f"Giver {n}", pillar="companies"),
                year=YEAR,
                kind="financial",
                amount=Decimal("1000"),
                currency="USD",
            )
    client.force_login(w["member"])
    body = client.get(url(w)).content.decode()
    assert "USD 100,765.43" in body and "Giver 0" not in body


def test_the_groups_setting_shows_every_entry_to_members(client, w):
    w["group"].contributions_shown_to_members = True
    w["group"].save()
    client.force_login(w["member"])
    body = client.get(url(w)).content.decode()
    assert "CANARY Mining Giver" in body and "98,765.43" in body


def test_the_reports_and_the_annual_report_summarise_by_pillar_naming_nobody(client, w):
    client.force_login(w["member"])
    reports = client.get(reverse("reports:index", kwargs={"wg": w["group"].slug})).content
    reports = reports.decode()
    assert "Contributions to the group" in reports and "Companies" in reports
    assert "CANARY Mining Giver" not in reports and "98,765" not in reports
    with group_scope(w["group"]):
        contents = annual.contents(w["group"], YEAR, w["secretariat"])
    html = render_to_string("activities/includes/annual_report_body.html", contents)
    assert "Contributions to the group" in html and "Venue: 1" in html
    # Even for the Secretariat: the PDF leaves the app, and shows amounts only as the group allows.
    assert "CANARY Mining Giver" not in html and "98,765" not in html


def test_the_secretariat_records_and_deletes_through_the_page(client, w):
    client.force_login(w["secretariat"])
    new = reverse("members:contribution_new", kwargs={"wg": w["group"].slug})
    response = client.post(
        new,
        {"institution": w["canary"].pk, "year": YEAR, "kind": "financial", "amount": "500"},
    )
    assert response.status_code == 302
    with group_scope(w["group"]):
        assert GroupContribution.objects.count() == 2  # refused: no currency
    client.post(
        new,
        {
            "institution": w["canary"].pk,
            "year": YEAR,
            "kind": "financial",
            "amount": "500",
            "currency": "pen",
        },
    )
    with group_scope(w["group"]):
        entry = GroupContribution.objects.get(amount=Decimal("500"))
    assert entry.currency == "PEN"
    delete = reverse("members:contribution_delete", kwargs={"wg": w["group"].slug, "pk": entry.pk})
    assert client.post(delete).status_code == 302
    with group_scope(w["group"]):
        assert not GroupContribution.objects.filter(pk=entry.pk).exists()


def test_the_page_runs_a_constant_number_of_queries(client, w):
    client.force_login(w["secretariat"])
    client.get(url(w))
    with CaptureQueriesContext(connection) as few:
        client.get(url(w))
    group = w["group"]
    with group_scope(group):
        for n in range(6):
            service.record_contribution(
                working_group=group,
                actor=w["secretariat"],
                institution=make_institution(group, pillar=["companies", "government"][n % 2]),
                year=YEAR,
                kind=["financial", "catering"][n % 2],
                amount=Decimal("10"),
                currency=["USD", "EUR", "PEN"][n % 3],
                description="Lunch",
            )
    with CaptureQueriesContext(connection) as many:
        client.get(url(w))
    assert len(many) == len(few)


def test_an_outsider_and_another_groups_entry_answer_404(client, w, other_group):
    theirs = make_secretariat(other_group)
    with group_scope(other_group):
        entry = service.record_contribution(
            working_group=other_group,
            actor=theirs,
            institution=make_institution(other_group),
            year=YEAR,
            kind="venue",
            description="Their room",
        )
    client.force_login(theirs)
    assert client.get(url(w)).status_code == 404
    client.force_login(w["secretariat"])
    delete = reverse("members:contribution_delete", kwargs={"wg": w["group"].slug, "pk": entry.pk})
    assert client.post(delete).status_code == 404
    with group_scope(other_group):
        assert GroupContribution.objects.filter(pk=entry.pk).exists()
    client.force_login(make_user())
    assert client.get(url(w)).status_code == 404
