"""Real browser: the Secretariat plans a plenary with two agenda items and a guest, convenes it,
a member answers yes, the Secretariat records attendance and what the next meeting will take up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from meetings.models import Attendance, Invitation, Meeting
from tests.factories import (
    browser_sign_in as sign_in,
)
from tests.factories import (
    make_group,
    make_guest,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_convene_answer_and_record(live_server, browser: Browser, eager_tasks, smtp_server):
    base = live_server.url
    group = make_group("andes", name="Andes Working Group", timezone="America/Lima")
    secretariat = make_secretariat(group)
    member = make_representative(group)
    make_guest(group, name="Dra. Elena Villanueva", email="elena@defensoria.example")

    # 1. Plan the plenary.
    page = sign_in(browser, base, secretariat, "/andes/meetings/new/")
    start = (timezone.now() + timedelta(days=3)).astimezone(group.zone)
    page.fill("#id_title", "Plenary on private security")
    page.fill("#id_start", start.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_venue", "Lima")
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plenary on private security")

    # 2. Two agenda items, the second with a guest speaker.
    page.get_by_role("link", name="Add an item").click()
    page.fill("#id_topic", "The draft law on private security companies")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an item").click()
    page.fill("#id_topic", "Use of force in social conflicts")
    page.get_by_label(re.compile("Dra. Elena Villanueva")).check()
    page.get_by_role("button", name="Save").click()
    agenda = page.locator("#agenda .agenda-item")
    expect(agenda).to_have_count(2)
    expect(agenda.nth(1)).to_contain_text("Dra. Elena Villanueva")
    # Reorder with htmx: the second item goes first without a page load.
    agenda.nth(1).get_by_role("button", name=re.compile("up$")).click()
    expect(page.locator("#agenda .agenda-item").first).to_contain_text("Use of force")

    # 3. Convene: the invitations go out.
    page.get_by_role("button", name="Convene").click()
    expect(page.locator(".status").first).to_have_text("Convened")
    smtp_server.recorder.wait_for(2)  # the member and the guest
    recipients = {r for m in smtp_server.recorder.received for r in m.recipients}
    assert member.user.email in recipients and "elena@defensoria.example" in recipients
    meeting_path = page.url.replace(base, "")

    # 4. A member answers yes (htmx swap of the answer card).
    member_page = sign_in(browser, base, member.user, meeting_path)
    member_page.get_by_label("Yes").check()
    member_page.get_by_role("button", name="Send the answer").click()
    expect(member_page.get_by_text("your institution's answer is recorded")).to_be_visible()
    with group_scope(group):
        assert Invitation.objects.get(institution=member.institution).answer == "yes"

    # 5. The meeting takes place; the Secretariat records attendance and the agreements.
    with group_scope(group):
        Meeting.objects.filter(title="Plenary on private security").update(
            start=timezone.now() - timedelta(hours=2)
        )
    page.reload()
    page.get_by_label(re.compile(member.user.full_name)).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator("#attendance").get_by_text("Attendance is recorded.")).to_be_visible()
    page.fill("#next-topics", "Agreements between the police and companies\nICoC")
    page.fill("#next-venue", "Cusco")
    page.get_by_role("button", name="Save the agreements").click()
    expect(page.get_by_text("The agreements for the next meeting are recorded.")).to_be_visible()
    with group_scope(group):
        meeting = Meeting.objects.get(title="Plenary on private security")
        assert meeting.status == "held"
        assert list(Attendance.objects.filter(meeting=meeting).values_list("user", flat=True)) == [
            member.user_id
        ]
        assert meeting.next_topics.splitlines() == [
            "Agreements between the police and companies",
            "ICoC",
        ]
    page.screenshot(path="test-results/meeting-held.png", full_page=True)
