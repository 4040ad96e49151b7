"""Real browser: the Secretariat proposes to suspend a member that sent no annual report; two
seats vote and one records the decision, confirmed; the member's representative signs in, is
told why and what to do, and submits the report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from members.models import AnnualReport, Institution
from tests.factories import (
    browser_sign_in as sign_in,
)
from tests.factories import (
    make_coordination,
    make_group,
    make_institution,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_suspended_by_the_seats_then_told_and_reporting(live_server, browser: Browser, eager_tasks):
    base = live_server.url
    group = make_group("andes", name="Andes Working Group")
    secretariat = make_secretariat(group)
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    company = make_institution(group, name="Minera Andina")
    rep = make_representative(group, institution=company)
    path = f"/andes/members/{company.pk}/"

    page = sign_in(browser, base, secretariat, path)
    page.select_option("#standing-decision", "suspension")
    page.select_option("#standing-criterion", "annual_report")
    page.fill("#standing-reason", "No annual report for 2025.")
    page.get_by_role("button", name="Record or propose").click()
    expect(page.get_by_text("before the Coordination Group")).to_be_visible()

    for seat in seats[:2]:
        seat_page = sign_in(browser, base, seat, path)
        seat_page.get_by_label("Approve").check()
        seat_page.get_by_role("button", name="Vote", exact=True).click()
        expect(seat_page.get_by_text("Your seat's vote has been recorded.")).to_be_visible()
    seat_page.get_by_label(re.compile("I record the Coordination Group's decision")).check()
    seat_page.get_by_role("button", name="Record the decision").click()
    expect(seat_page.get_by_text("Adopted: the decision takes effect")).to_be_visible()
    with group_scope(group):
        assert Institution.objects.get(pk=company.pk).standing == "suspended"

    member = sign_in(browser, base, rep.user, "/andes/")
    expect(member.get_by_role("heading", name="Minera Andina is suspended")).to_be_visible()
    expect(member.get_by_text("No annual report for 2025.")).to_be_visible()
    member.get_by_role("link", name="Submit the annual report").click()
    member.select_option("#id_year", "2025")
    member.fill("#id_text", "Our year: training of guards in the use of force.")
    member.get_by_role("button", name=re.compile("Submit")).click()
    expect(member.get_by_text("the report has been submitted")).to_be_visible()
    with group_scope(group):
        assert AnnualReport.objects.get(institution=company).year == 2025
    member.screenshot(path="test-results/suspended-member-report.png", full_page=True)
