"""The forms work with the keyboard alone: Tab to each field, type, Space for a checkbox, the
arrow keys in a select and a radio group, Enter to send. The test reads where the focus is (as a
sighted keyboard user sees it) but never clicks or fills a field by script, except a file: the
file chooser is the operating system's dialog, outside the page and outside what a browser test
drives, so the letter is set with ``set_input_files``.

An application sent with mistakes comes back with the errors where a keyboard and screen
reader user finds them: the focus on them (or a link to each), and each invalid field marked
``aria-invalid`` and described by its message.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Invitation
from members.forms import ApplicationForm
from members.models import Application
from tests.factories import MINIMAL_PDF, browser_context, make_meeting, make_member
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80


def tab_to(page, selector: str) -> None:
    """Press Tab until the focus is on ``selector``."""
    passed = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        passed.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"))
    raise AssertionError(f"Tab never reached {selector}; it went through: {passed}")


def choose(page, value: str) -> None:
    """Move the focused select (or radio group) to ``value`` with the arrow key."""
    for _ in range(30):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {value!r}")


def fill_application(page, letter, *, name: str, email: str, standing: bool) -> None:
    """The public application form, field by field in the page's order, by keyboard."""
    tab_to(page, "#id_name")
    page.keyboard.type(name)
    tab_to(page, "#id_participation")
    choose(page, "member")
    tab_to(page, "#id_pillar")
    choose(page, "companies")
    tab_to(page, "#id_kind")
    choose(page, "company")
    tab_to(page, "#id_contact_name")
    page.keyboard.type("Valeria Torres")
    tab_to(page, "#id_contact_email")
    page.keyboard.type(email)
    for checkbox in ("vps_member", "attests_institutional", "attests_topics", "attests_standing"):
        if checkbox == "attests_standing" and not standing:
            continue
        tab_to(page, f"#id_{checkbox}")
        page.keyboard.press("Space")
    page.set_input_files("#id_letter", str(letter))  # the file chooser: see the module's note
    tab_to(page, "form.form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_apply_by_keyboard(live_server, browser, group, eager_tasks, smtp_server, tmp_path):
    letter = tmp_path / "carta.pdf"
    letter.write_bytes(MINIMAL_PDF)
    page = browser_context(browser, live_server.url).new_page()
    page.goto(live_server.url + reverse("apply:form", kwargs={"wg": group.slug}))

    fill_application(
        page, letter, name="Minera Andina del Sur", email="valeria@minera.example", standing=True
    )

    expect(page.get_by_role("heading", level=1)).to_contain_text("confirm your e-mail address")
    with group_scope(group):
        application = Application.objects.get()
    assert (application.name, application.pillar, application.kind) == (
        "Minera Andina del Sur",
        "companies",
        "company",
    )
    assert application.attests_standing and application.vps_member
    assert smtp_server.recorder.wait_for(1)[0].recipients == ["valeria@minera.example"]


def test_answer_an_invitation_by_keyboard(live_server, browser, group):
    member = make_member(group)
    meeting = make_meeting(group, "convened")
    page = browser_context(browser, live_server.url, member).new_page()
    page.goto(
        live_server.url + reverse("meetings:detail", kwargs={"wg": group.slug, "pk": meeting.pk})
    )

    tab_to(page, "input[name=answer]")  # the radio group is one stop: its first radio
    choose(page, "maybe")  # the arrow keys move the choice along the group
    tab_to(page, "#answer button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("your institution's answer is recorded")).to_be_visible()
    with group_scope(group):
        invitation = Invitation.objects.get(meeting=meeting)
    assert invitation.answer == "maybe"


def test_application_errors_are_reachable_and_described(live_server, browser, group, tmp_path):
    letter = tmp_path / "carta.pdf"
    letter.write_bytes(MINIMAL_PDF)
    page = browser_context(browser, live_server.url).new_page()
    page.goto(live_server.url + reverse("apply:form", kwargs={"wg": group.slug}))

    # No name, an address without "@", one criterion not confirmed.
    fill_application(page, letter, name="", email="valeria.minera.example", standing=False)

    # What the form itself says of these answers: the fields and messages to find on the page.
    sent = {
        "participation": "member",
        "pillar": "companies",
        "kind": "company",
        "contact_name": "Valeria Torres",
        "contact_email": "valeria.minera.example",
        "vps_member": "on",
        "attests_institutional": "on",
        "attests_topics": "on",
    }
    with group_scope(group):
        form = ApplicationForm(sent, {"letter": SimpleUploadedFile("carta.pdf", MINIMAL_PDF)})
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    assert set(errors) == {"name", "contact_email", "attests_standing"}

    problems = []
    # The errors are where the keyboard is: the focus on the summary or the first invalid
    # field, or else a link from the summary to each field.
    focus = page.evaluate(
        """() => {
          const a = document.activeElement;
          if (!a || a === document.body) return null;
          return {summary: !!a.closest('[role=alert], .form-errors'),
                  invalid: a.getAttribute('aria-invalid') === 'true', id: a.id};
        }"""
    )
    linked = [n for n in errors if page.locator(f'a[href="#id_{n}"]').count()]
    if not (focus and (focus["summary"] or focus["invalid"])) and len(linked) != len(errors):
        problems.append(
            f"the focus is on {(focus and focus['id']) or 'the page'} (not on the errors) and the "
            f"summary links to {linked} only, of {sorted(errors)}"
        )
    for name, messages in errors.items():
        field = page.locator(f"#id_{name}")
        if field.get_attribute("aria-invalid") != "true":
            problems.append(f"#id_{name} has no aria-invalid=true")
        described = (field.get_attribute("aria-describedby") or "").split()
        texts = page.evaluate(
            "(ids) => ids.map((i) => document.getElementById(i)?.innerText ?? '')", described
        )
        for message in messages:
            if not any(message in text for text in texts):
                problems.append(
                    f"#id_{name}: aria-describedby {described} does not lead to {message!r}"
                )
    assert problems == [], "\n".join(problems)
