"""Real browser, issue 20's "done when": the operator founds a group in the admin and appoints
its Secretariat; the Secretariat follows the founding guide from an empty group to a first
plenary that adopts the terms of reference, and each step's status changes with the data.

The institutions, their people and the meeting's history are made through the services (the
heavy parts, tested on their own pages elsewhere); everything the guide asks of the
Secretariat and the seats is done in the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Browser, expect

from meetings.models import Meeting
from meetings.services import participation
from members.models import TermsOfReference
from tests.factories import (
    PASSWORD,
    enrol_totp,
    make_agenda_item,
    make_institution,
    make_meeting,
    make_representative,
    make_user,
)
from tests.factories import (
    browser_sign_in as sign_in,
)
from vpswg.models import User, WorkingGroup
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PILLARS = ("companies", "government", "civil_society")


def chip(page, step: int):
    return page.locator(f"#guide-step-{step} .status")


def test_a_group_founded_by_the_operator_reaches_adopted_terms_by_the_guide(
    live_server, browser: Browser
):
    base = live_server.url
    operator = make_user(is_staff=True, is_superuser=True)
    enrol_totp(operator)

    # 1. The operator creates the group and appoints its Secretariat.
    admin = sign_in(browser, base, operator, "/admin/vpswg/workinggroup/add/")
    admin.fill("#id_slug", "andes")
    admin.fill("#id_name", "Andes Working Group")
    admin.fill("#id_country", "Andesland")
    admin.select_option("#id_default_language", "en")
    admin.fill("#id_timezone", "America/Bogota")
    admin.fill("#id_appoint_secretariat", "ana@andes.test")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_contain_text("Andes Working Group")
    group = WorkingGroup.objects.get(slug="andes")
    ana = User.objects.get(email="ana@andes.test")
    ana.set_password(PASSWORD)  # she would from the e-mail's reset link
    ana.full_name = "Ana Secretaria"
    ana.save()
    EmailAddress.objects.update_or_create(
        user=ana, email=ana.email, defaults={"verified": True, "primary": True}
    )
    enrol_totp(ana)

    # 2. Her dashboard: the ten steps, none met.
    page = sign_in(browser, base, ana, "/andes/")
    expect(page.get_by_role("heading", name="Founding the group: the ten steps")).to_be_visible()
    expect(page.get_by_text("0 of 10 steps met")).to_be_visible()
    for step in range(1, 11):
        expect(chip(page, step)).to_have_text("To do")

    # 3. The founding institutions join (services); she records a seat for each pillar.
    people = {}
    for pillar in PILLARS:
        institution = make_institution(group, name=f"Founder of {pillar}", pillar=pillar)
        user = make_representative(group, institution=institution).user
        user.full_name = f"Seat {pillar}"
        user.save()
        enrol_totp(user)
        people[pillar] = user
    make_institution(
        group, name="Ministry of Energy", pillar="government", kind="national_government"
    )
    page.goto(f"{base}/andes/")
    expect(chip(page, 10)).to_have_text("Met")  # a state body takes part
    expect(chip(page, 1)).to_have_text("To do")
    page.locator("#guide-step-1 h3 a").click()
    for pillar in PILLARS:
        page.get_by_label("Record who holds a seat, as the group chose").select_option(
            label=f"Seat {pillar} · Founder of {pillar}"
        )
        page.get_by_role("button", name="Record the seat").click()
        expect(page.get_by_text("they have been told")).to_be_visible()
    page.goto(f"{base}/andes/")
    expect(chip(page, 1)).to_have_text("Met")

    # 4. The constituent plenary takes place, with the institutions presenting themselves.
    plenary = make_meeting(group, "convened", days=5, title="Constituent plenary", actor=ana)
    make_agenda_item(plenary, "Institutional presentations", format="presentation")
    with group_scope(group):
        Meeting.objects.filter(pk=plenary.pk).update(start=timezone.now() - timedelta(hours=3))
        participation.record_attendance(meeting=plenary, actor=ana, present=[])
    page.reload()
    expect(chip(page, 2)).to_have_text("To do")  # its objectives are not written yet

    # 5. She drafts the terms of reference and puts them before the seats.
    page.get_by_role("link", name="Terms of reference", exact=True).first.click()
    expect(page.get_by_text("The group has not adopted terms of reference yet.")).to_be_visible()
    page.get_by_role("button", name="Draft a new version").click()
    page.get_by_label("Objectives").fill("Dialogue on security and human rights in Andesland.")
    page.get_by_label("Further participation criteria").fill("Communities are heard directly.")
    page.get_by_label("Plenary cadence (months)").fill("2")
    page.get_by_role("button", name="Save and put before the Coordination Group").click()
    expect(page.get_by_text("its seats review it")).to_be_visible()
    page.goto(f"{base}/andes/")
    expect(chip(page, 2)).to_have_text("Met")
    expect(chip(page, 4)).to_have_text("Met")
    expect(chip(page, 5)).to_have_text("To do")

    # 6. Two of the three seats approve.
    for pillar in ("companies", "civil_society"):
        seat = sign_in(browser, base, people[pillar], "/andes/terms/1/")
        seat.get_by_label("Approve").check()
        seat.get_by_role("button", name="Vote", exact=True).click()
        expect(seat.get_by_text("Your seat's vote has been recorded.")).to_be_visible()

    # 7. She records that the plenary adopted them: the cadence is the group's from now on.
    page.goto(f"{base}/andes/terms/1/")
    page.get_by_label("The plenary that adopted it").select_option(index=0)
    page.get_by_role("button", name="Record the adoption").click()
    expect(page.get_by_text("Version 1 is in force")).to_be_visible()
    expect(page.get_by_text("The plenary meets at least once every 2 months.")).to_be_visible()
    group.refresh_from_db()
    assert group.meeting_cadence_months == 2
    with group_scope(group):
        assert TermsOfReference.objects.get().adopted_at_meeting_id == plenary.pk
    page.goto(f"{base}/andes/")
    expect(chip(page, 5)).to_have_text("Met")
    expect(page.get_by_text("5 of 10 steps met")).to_be_visible()

    # The public page shows the criteria as adopted.
    public = browser.new_context().new_page()
    public.goto(f"{base}/andes/")
    expect(public.get_by_text("Communities are heard directly.")).to_be_visible()
