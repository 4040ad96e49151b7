"""Real browser, from the vote to the incoming Secretariat's first act: the Secretariat proposes
to hand over to another member institution today; two seats approve and one records the
decision; the roles move at once; the incoming person signs in with their second factor, sees
the group's Secretariat history and screens a pending application; the outgoing person can no
longer open the applications."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from members.models import Application, HandOver
from members.services import secretariat as service
from tests.factories import (
    browser_sign_in as sign_in,
)
from tests.factories import (
    enrol_totp,
    make_application,
    make_coordination,
    make_group,
    make_institution,
    make_representative,
    make_secretariat,
)
from vpswg.models import RoleAssignment
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_handed_over_from_the_vote_to_the_first_act(
    live_server, browser: Browser, eager_tasks
):
    base = live_server.url
    group = make_group("andes", name="Andes Working Group")
    outgoing = make_secretariat(group)
    with group_scope(group):
        socios = outgoing.representations.select_related("institution").get().institution
        service.record_term(
            working_group=group,
            institution=socios,
            started_on=timezone.localdate() - timedelta(days=3 * 365),
            actor=outgoing,
        )
    seats = {p: make_coordination(group, p) for p in ("companies", "government", "civil_society")}
    ideh = make_institution(group, name="Instituto Andino", pillar="civil_society")
    incoming = make_representative(group, institution=ideh).user
    incoming.full_name = "Rosa Incoming Quispe"
    incoming.save()
    enrol_totp(incoming)
    application = make_application(group, "submitted", name="Minera Nueva")

    # 1. The Secretariat proposes, in two steps: the institution, then its person and the date.
    page = sign_in(browser, base, outgoing, "/andes/secretariat/")
    page.get_by_label("Institution that takes over the Secretariat").select_option(label=ideh.name)
    page.get_by_role("button", name="Choose").click()
    page.get_by_label("Rosa Incoming Quispe").check()
    page.get_by_label("Date of the hand-over").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Propose the hand-over").click()
    expect(page.get_by_text("its seats vote on it")).to_be_visible()
    expect(page.get_by_role("heading", name="Hand-over checklist")).to_be_visible()

    # 2. Two seats approve (the incoming institution's pillar among them); one records it.
    for pillar in ("civil_society", "companies"):
        seat_page = sign_in(browser, base, seats[pillar], "/andes/secretariat/")
        seat_page.get_by_label("Approve").check()
        seat_page.get_by_role("button", name="Vote", exact=True).click()
        expect(seat_page.get_by_text("Your seat's vote has been recorded.")).to_be_visible()
    seat_page.get_by_label(re.compile("I record the Coordination Group's decision")).check()
    seat_page.get_by_role("button", name="Record the decision").click()
    expect(seat_page.get_by_text("the Secretariat has been handed over")).to_be_visible()
    with group_scope(group):
        assert HandOver.objects.get().status == HandOver.Status.COMPLETED
        holders = set(
            RoleAssignment.objects.filter(role="secretariat").values_list("user_id", flat=True)
        )
    assert holders == {incoming.pk}

    # 3. The incoming person signs in with their second factor; the history shows both.
    page = sign_in(browser, base, incoming, "/andes/")
    history = page.locator("#secretariat-card").locator("xpath=..")
    expect(history).to_contain_text("Instituto Andino")
    expect(history).to_contain_text(socios.name)
    # Their first act as Secretariat: screen the pending application.
    page.goto(f"{base}/andes/members/applications/{application.pk}/")
    page.get_by_label(re.compile("complete: send it to the Coordination Group")).check()
    page.get_by_role("button", name="Record the screening").click()
    expect(page.locator(".status").first).to_have_text(
        re.compile("Complete, before the Coordination Group")
    )
    with group_scope(group):
        assert Application.objects.get(pk=application.pk).status == "screened"
    page.screenshot(path="test-results/handover-incoming.png", full_page=True)

    # 4. The outgoing person is a member now: the applications are closed to them.
    page = sign_in(browser, base, outgoing, "/andes/")
    response = page.goto(f"{base}/andes/members/applications/")
    assert response.status == 403
