"""Real browser, the whole path of the minutes: a draft with a name in it, the leak resolved,
submitted, approved by three seats, read by a member without attribution, downloaded as PDF."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from meetings.models import Meeting, Minutes
from tests.factories import (
    browser_sign_in as sign_in,
)
from tests.factories import (
    make_agenda_item,
    make_coordination,
    make_group,
    make_meeting,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_minutes_from_draft_to_a_members_pdf(
    live_server, browser: Browser, eager_tasks, smtp_server, tmp_path
):
    base = live_server.url
    group = make_group("andes", name="Andes Working Group")
    speaker = make_representative(group)
    speaker.user.full_name = "Rosa Quispe Huamán"
    speaker.user.save()
    reader = make_representative(group)
    reader.user.full_name = "Marta Lectora"
    reader.user.save()
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    secretariat = make_secretariat(group)
    meeting = make_meeting(group, "convened", days=5, title="Plenary on private security")
    make_agenda_item(meeting, topic="Private security companies")
    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=3))
    path = f"/andes/meetings/{meeting.pk}/minutes/"

    # The Secretariat drafts: a contribution attributed to Rosa, whose name slipped into the text.
    page = sign_in(browser, base, secretariat, path)
    page.get_by_role("button", name="Start the minutes").click()
    section = page.locator(".minutes-editor-section").first
    adding = section.locator("form.contribution-form.add-form")
    adding.locator("select[name=speaker]").select_option(value=f"user:{speaker.user_id}")
    adding.locator("textarea[name=text]").fill(
        "As Quispe explained, the guards need training in the use of force."
    )
    adding.get_by_role("button", name="Add the contribution").click()
    expect(page.locator("#leak-count")).to_have_text("1 name to resolve")
    expect(page.get_by_role("button", name="Submit to the Coordination Group")).to_be_disabled()
    expect(page.locator(".finding mark")).to_have_text("Quispe")

    # Autosave through htmx: the edit is saved without a page load.
    textarea = page.locator(".contribution-form.autosave textarea").first
    textarea.fill("As Quispe explained, the guards need better training in the use of force.")
    expect(page.locator(".contribution-form.autosave .save-status").first).to_contain_text("Saved")

    # Resolve the leak with a neutral term, then submit.
    page.get_by_role("button", name="Replace").click()
    expect(page.locator("#leak-count")).to_have_text("0 names to resolve")
    page.get_by_role("button", name="Submit to the Coordination Group").click()
    expect(page.get_by_text("is with the Coordination Group")).to_be_visible()

    # Three seats approve.
    for seat in seats:
        seat_page = sign_in(browser, base, seat, path)
        expect(
            seat_page.get_by_text("Rosa Quispe Huamán").first
        ).to_be_visible()  # attribution while reviewing
        seat_page.get_by_role("button", name="Approve").click()
        expect(seat_page.locator(".messages")).to_be_visible()
    with group_scope(group):
        assert Minutes.objects.get(meeting=meeting).status == "circulated"

    # A member reads the redacted minutes and downloads the PDF.
    member_page = sign_in(browser, base, reader.user, path)
    article = member_page.locator("article.minutes")
    expect(article).to_contain_text("A participant")
    expect(article).to_contain_text("a participant explained, the guards need better training")
    assert "Quispe" not in article.inner_text() and "Rosa" not in article.inner_text()
    with member_page.expect_download() as download_info:
        member_page.get_by_role("link", name="PDF", exact=True).click()
    pdf_path = tmp_path / "minutes.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Marta Lectora" in text  # the watermark names the reader
    assert "Quispe" not in text and "Rosa" not in text
    assert "Chatham House" in text
    member_page.screenshot(path="test-results/members-minutes.png", full_page=True)

    # Who said what is stored sealed (meetings.services.attribution), yet the Secretariat reads
    # it in the browser as before.
    with group_scope(group):
        minutes = Minutes.objects.get(meeting=meeting)
        stored = str(minutes.circulated_version.attributed)
    assert "Rosa" not in stored and "Quispe Huamán" not in stored
    page.goto(f"{base}{path}")
    record = page.locator("article.minutes")
    expect(record.locator(".speaker").first).to_contain_text("Rosa Quispe Huamán")
    expect(record).to_contain_text("a participant explained, the guards need better training")
