"""Real browser (Playwright + Debian's Chromium) against the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_group, make_representative, make_secretariat, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_login(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label(re.compile("E-?mail", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()


def test_secretariat_signs_in_with_a_real_totp_code_and_sees_the_dashboard(live_server, page: Page):
    group = make_group("andes", name="Andes Working Group", country="Andesland")
    user = make_secretariat(group, full_name="Sara Secretariat")
    fill_login(page, live_server.url, user.email, "/andes/")
    # allauth's second step: the code from the authenticator app.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(user.totp_secret))
    page.get_by_role("button", name=re.compile("Sign In|Continue|Authenticate", re.I)).click()
    expect(page).to_have_url(f"{live_server.url}/andes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Andes Working Group")
    expect(page.get_by_text("As Secretariat you convene meetings")).to_be_visible()
    expect(page.get_by_role("link", name="Audit log").first).to_be_visible()
    page.screenshot(path="test-results/secretariat-dashboard.png", full_page=True)


def test_a_member_of_two_groups_uses_the_group_switcher(live_server, page: Page):
    andes = make_group("andes", name="Andes Working Group")
    coast = make_group("coast", name="Coast Working Group")
    rep = make_representative(andes)
    make_representative(coast, user=rep.user)
    fill_login(page, live_server.url, rep.user.email, "/andes/")
    expect(page).to_have_url(f"{live_server.url}/andes/")
    switcher = page.locator("details.group-switcher")
    switcher.locator("summary").click()
    expect(switcher.get_by_role("link", name=re.compile("Andes Working Group"))).to_be_visible()
    switcher.get_by_role("link", name=re.compile("Coast Working Group")).click()
    expect(page).to_have_url(f"{live_server.url}/coast/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coast Working Group")
    expect(page.get_by_text("As a member you represent your institution")).to_be_visible()
