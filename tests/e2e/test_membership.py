"""Real browser: an institution applies, is screened, approved by two seats, and its contact
receives the invitation (real SMTP, real Celery worker), sets a password and signs in."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, expect

from tests.factories import (
    MINIMAL_PDF,
    make_coordination,
    make_group,
    make_secretariat,
)
from tests.factories import (
    browser_sign_in as sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_apply_screen_approve_invite_and_sign_in(
    live_server, browser: Browser, celery_worker, smtp_server, tmp_path
):
    base = live_server.url
    group = make_group("andes", name="Andes Working Group")
    secretariat = make_secretariat(group)
    seat_companies = make_coordination(group, "companies")
    seat_government = make_coordination(group, "government")
    make_coordination(group, "civil_society")
    letter = tmp_path / "carta-de-solicitud.pdf"
    letter.write_bytes(MINIMAL_PDF)

    # 1. An anonymous applicant applies with a letter.
    page = browser.new_context().new_page()
    page.goto(f"{base}/andes/apply/")
    page.fill("#id_name", "Minera Andina del Sur")
    page.select_option("#id_participation", "member")
    page.select_option("#id_pillar", "companies")
    page.select_option("#id_kind", "company")
    page.fill("#id_contact_name", "Valeria Torres")
    page.fill("#id_contact_email", "valeria@minera.example")
    page.check("#id_vps_member")
    page.check("#id_attests_institutional")
    page.check("#id_attests_topics")
    page.check("#id_attests_standing")
    page.set_input_files("#id_letter", str(letter))
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("confirm your e-mail address")).to_be_visible()
    reference = page.locator(".reference code").inner_text()
    assert re.fullmatch(r"AND-\d{4}-[A-Z0-9]{6}", reference)
    # The contact address is confirmed first: only a link arrives, with nothing typed in the form.
    (confirm,) = smtp_server.recorder.wait_for(1)
    assert confirm.recipients == ["valeria@minera.example"] and "Minera" not in confirm.text
    link = re.search(r"https?://\S+/apply/a/\S+", confirm.text).group(0)
    page.goto(base + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Confirm and send the application").click()
    expect(page.get_by_text("the address is confirmed")).to_be_visible()
    ack = [m for m in smtp_server.recorder.wait_for(3) if "valeria@minera.example" in m.recipients]
    assert any(reference in m.text for m in ack)

    # 2. The Secretariat screens it as complete.
    page = sign_in(browser, base, secretariat, "/andes/members/applications/")
    page.get_by_role("link", name=reference).click()
    page.get_by_label(re.compile("complete: send it to the Coordination Group")).check()
    page.get_by_role("button", name="Record the screening").click()
    expect(page.locator(".status").first).to_have_text(
        re.compile("Complete, before the Coordination Group")
    )

    # 3. Two Coordination seats approve; the second records the decision.
    path = page.url.replace(base, "")
    for seat in (seat_companies, seat_government):
        page = sign_in(browser, base, seat, path)
        page.get_by_label("Approve").check()
        page.get_by_role("button", name="Vote", exact=True).click()
        expect(page.get_by_text("Your seat's vote has been recorded.")).to_be_visible()
    page.fill("#id_message", "Welcome to the group.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".status").first).to_have_text("Accepted")

    # 4. The new representative receives the invitation by e-mail, sets a password, signs in.
    def invitation():
        return [
            m
            for m in smtp_server.recorder.received
            if "/invitation/" in m.text and "valeria@minera.example" in m.recipients
        ]

    deadline = time.monotonic() + 30
    while not invitation() and time.monotonic() < deadline:
        time.sleep(0.2)
    (mail,) = invitation()
    assert "Welcome to the group." in mail.text
    link = re.search(r"https?://\S+/invitation/\S+/", mail.text).group(0)
    page = browser.new_context().new_page()
    page.goto(base + "/invitation/" + link.split("/invitation/", 1)[1])
    page.fill("#id_new_password1", "valeria-new-pass-2026")
    page.fill("#id_new_password2", "valeria-new-pass-2026")
    page.get_by_role("button", name="Set the password").click()
    # Signed in at once: the link proved the address, the password was just typed.
    expect(page.get_by_text("Your password is set: you are signed in.")).to_be_visible()
    page.goto(f"{base}/andes/")
    expect(page.get_by_text("As a member you represent your institution")).to_be_visible()
    page.goto(f"{base}/andes/members/")
    expect(page.get_by_role("link", name="Minera Andina del Sur")).to_be_visible()
    page.screenshot(path="test-results/new-member-directory.png", full_page=True)
