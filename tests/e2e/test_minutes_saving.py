"""Real browser: one way to save in the minutes editor. Typing and then clicking Save sends the
text twice (the autosave on leaving the field, and the click): it is saved once, with no
"someone else saved" conflict; the status says saving, then saved; Remove reloads the editor."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, expect

from meetings.models import Contribution, MinutesSection
from tests.e2e.test_minutes import sign_in
from tests.factories import (
    add_contribution,
    make_group,
    make_meeting_in_session,
    make_minutes,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _main_points(group, pk: int) -> str:
    with group_scope(group):
        return MinutesSection.objects.get(pk=pk).main_points


def _eventually(check, seconds: float = 10.0) -> bool:
    """The page's save is asynchronous: poll the database until it holds, or give up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def test_type_then_save_is_one_save_and_no_conflict(live_server, browser: Browser):
    group = make_group("andes", name="Andes Working Group")
    secretariat = make_secretariat(group)
    meeting = make_meeting_in_session(group)
    minutes = make_minutes(meeting)
    add_contribution(minutes, "A statement to remove.")
    page = sign_in(browser, live_server.url, secretariat, f"/andes/meetings/{meeting.pk}/minutes/")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    section = page.locator(".minutes-editor-section").first
    form = section.locator("form.autosave").first
    text = "The group agreed to study the draft law on private security companies."
    form.locator("textarea[name=main_points]").fill(text)
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".save-status")).to_contain_text("Saved")
    expect(page.locator(".conflict")).to_have_count(0)
    # Once more, from the revision the page now holds: still no conflict.
    form.locator("textarea[name=main_points]").fill(text + " Unanimously.")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".save-status")).to_contain_text("Saved")
    expect(page.locator(".conflict")).to_have_count(0)
    section_pk = int(section.get_attribute("id").split("-")[1])
    assert _eventually(lambda: _main_points(group, section_pk) == text + " Unanimously.")
    page.wait_for_timeout(
        1500
    )  # past the autosave's delay: its late request conflicts with nothing
    expect(page.locator(".conflict")).to_have_count(0)
    expect(form.locator(".save-status")).not_to_have_class(re.compile("is-error"))

    page.locator("form.contribution-form.autosave").first.get_by_role(
        "button", name="Remove"
    ).click()
    expect(page.locator("form.contribution-form.autosave")).to_have_count(0)
    with group_scope(group):
        assert not Contribution.objects.filter(section__minutes=minutes).exists()
    assert errors == []
