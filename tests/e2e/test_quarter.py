"""Real browser, a whole quarter of a working group: the Secretariat plans a plenary, builds its
agenda with a guest speaker and convenes it (the calendar file parsed); a member answers; the
guest sets a password from the e-mail and says they will come; attendance is recorded with a
substitute and a walk-in; the minutes catch a name and it is resolved; a seat returns them with
a comment on a statement and then sees what changed; the three pillars approve; the minutes are
circulated and adopted at the next plenary once it is held. Every page is watched for console
errors (a refused inline style or script is one)."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from meetings.models import Attendance, GuestReply, Meeting, Minutes
from tests.factories import (
    PASSWORD,
    browser_totp,
    make_coordination,
    make_group,
    make_guest,
    make_institution,
    make_meeting,
    make_representative,
    make_secretariat,
    make_user,
)
from vpswg.roles import Pillar
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Console:
    """Errors of every page opened: console errors and uncaught exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on(
            "console",
            lambda m: self.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.on("dialog", lambda dialog: dialog.accept())
        return page


def sign_in(browser: Browser, console: Console, base: str, user, next_path: str) -> Page:
    page = console.watch(browser.new_context(accept_downloads=True).new_page())
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    if getattr(user, "totp_secret", None):
        browser_totp(page, user.totp_secret)
    expect(page).to_have_url(f"{base}{next_path}")
    return page


def test_a_whole_quarter(live_server, browser: Browser, eager_tasks, smtp_server):
    base = live_server.url
    console = Console()
    group = make_group("andes", name="Andes Working Group", timezone="America/Lima")
    secretariat = make_secretariat(group, full_name="Sofía Secretaria")
    seats = [
        make_coordination(group, pillar, full_name=name)
        for pillar, name in (
            ("companies", "Jorge Benavides"),
            ("government", "Irene Salcedo"),
            ("civil_society", "Tomás Huerta"),
        )
    ]
    company = make_institution(group, name="Minera Andina", pillar=Pillar.COMPANIES)
    announced = make_representative(group, make_user(full_name="Ana Announced"), company)
    substitute = make_representative(group, make_user(full_name="Sara Quispe Huamán"), company)
    make_guest(
        group,
        name="Dra. Elena Villanueva",
        organisation="Defensoría del Pueblo",
        email="elena@defensoria.example",
    )

    # 1. Plan the plenary and its agenda, with a guest speaker.
    page = sign_in(browser, console, base, secretariat, "/andes/meetings/new/")
    start = (timezone.now() + timedelta(days=3)).astimezone(group.zone)
    page.fill("#id_title", "Plenary of the first quarter")
    page.fill("#id_start", start.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_venue", "Lima")
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plenary of the first quarter")
    page.get_by_role("link", name="Add an item").click()
    page.fill("#id_topic", "Use of force in social conflicts")
    page.get_by_label(re.compile("Dra. Elena Villanueva")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#agenda .agenda-item")).to_have_count(1)
    meeting_path = page.url.replace(base, "")

    # 2. Convene; the calendar file is a real one.
    page.get_by_role("button", name="Convene").click()
    expect(page.locator(".status").first).to_have_text("Convened")
    ics = page.request.get(f"{base}{meeting_path}meeting.ics")
    assert ics.ok
    event = icalendar.Calendar.from_ical(ics.body()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Plenary of the first quarter"
    assert event.decoded("DTSTART").astimezone(group.zone).strftime("%H:%M") == "09:00"

    # 3. The company answers yes, announcing Ana.
    member_page = sign_in(browser, console, base, announced.user, meeting_path)
    member_page.get_by_label("Yes").check()
    member_page.get_by_role("button", name="Send the answer").click()
    expect(member_page.get_by_text("your institution's answer is recorded")).to_be_visible()
    expect(member_page.locator("#invitations")).to_contain_text("1")

    # 4. The guest follows the e-mail, sets a password (signed in at once), says they'll come.
    mails = [
        m for m in smtp_server.recorder.wait_for(2) if "elena@defensoria.example" in m.recipients
    ]
    link = re.search(r"https?://\S+/invitation/\S+", mails[0].text).group(0)
    guest_page = console.watch(browser.new_context().new_page())
    guest_page.goto(base + "/invitation/" + link.split("/invitation/", 1)[1])
    guest_page.fill("#id_new_password1", "elena-guest-pass-2026")
    guest_page.fill("#id_new_password2", "elena-guest-pass-2026")
    guest_page.get_by_role("button", name="Set the password").click()
    expect(guest_page).to_have_url(f"{base}{meeting_path}")
    guest_page.get_by_label("I will attend").check()
    guest_page.get_by_role("button", name="Send the answer").click()
    expect(guest_page.get_by_text("your answer is recorded")).to_be_visible()
    with group_scope(group):
        assert GuestReply.objects.get().answer == "yes"

    # 5. The meeting takes place: Sara came instead of Ana, and someone walked in.
    with group_scope(group):
        Meeting.objects.filter(title="Plenary of the first quarter").update(
            start=timezone.now() - timedelta(hours=2)
        )
    page.reload()
    attendance = page.locator("#attendance")
    expect(attendance.get_by_label(re.compile("Ana Announced"))).to_be_checked()
    expect(attendance.get_by_label(re.compile("Dra. Elena Villanueva"))).to_be_checked()
    attendance.get_by_label(re.compile("Ana Announced")).uncheck()
    attendance.get_by_label(re.compile("Sara Quispe Huamán")).check()
    attendance.get_by_label("Walk-ins").fill("Lucía Paredes, Universidad Católica")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator("#attendance")).to_contain_text("1 substitute: Sara Quispe Huamán.")
    with group_scope(group):
        meeting = Meeting.objects.get(title="Plenary of the first quarter")
        assert meeting.status == "held"
        assert [a.user_id for a in Attendance.objects.filter(meeting=meeting)] == [
            substitute.user_id
        ]
        assert {g.name for g in meeting.guests_present.all()} == {
            "Dra. Elena Villanueva",
            "Lucía Paredes",
        }

    # 6. The minutes: Sara speaks, and her surname slips into the text; caught, resolved.
    minutes_path = f"{meeting_path}minutes/"
    page.goto(f"{base}{minutes_path}")
    page.get_by_role("button", name="Start the minutes").click()
    section = page.locator(".minutes-editor-section").first
    adding = section.locator("form.contribution-form.add-form")
    adding.locator("select[name=speaker]").select_option(value=f"user:{substitute.user_id}")
    adding.locator("textarea[name=text]").fill(
        "As Quispe explained, the guards need training in the use of force."
    )
    adding.get_by_role("button", name="Add the contribution").click()
    expect(page.locator("#leak-count")).to_have_text("1 name to resolve")
    page.get_by_role("button", name="Replace").click()
    expect(page.locator("#leak-count")).to_have_text("0 names to resolve")
    page.get_by_role("button", name="Submit to the Coordination Group").click()
    expect(page.get_by_text("is with the Coordination Group")).to_be_visible()

    # 7. The companies' seat returns them with a comment on that statement; the Secretariat
    # sees it beside the statement, amends it and submits again; the seat sees what changed.
    seat_page = sign_in(browser, console, base, seats[0], minutes_path)
    note = seat_page.locator("details.note-field").filter(has_text="Comment on this statement")
    note.first.locator("summary").click()
    note.first.locator("textarea").fill("Which guards: the companies' or the police?")
    seat_page.get_by_role("button", name="Return to the Secretariat").click()
    expect(seat_page.locator(".messages")).to_be_visible()
    with group_scope(group):
        assert Minutes.objects.get(meeting=meeting).status == "draft"
    page.goto(f"{base}{minutes_path}")
    expect(page.get_by_text("Which guards: the companies' or the police?")).to_be_visible()
    statement = page.locator(".contribution-form.autosave textarea").first
    statement.fill(
        "A participant explained that the companies' guards need training in the use of force."
    )
    expect(page.locator(".contribution-form.autosave .save-status").first).to_contain_text("Saved")
    page.get_by_role("button", name="Submit to the Coordination Group").click()
    expect(page.get_by_text("is with the Coordination Group")).to_be_visible()
    seat_page.goto(f"{base}{minutes_path}")
    seat_page.get_by_role("link", name="What changed since version 1").first.click()
    expect(seat_page.locator("ins").first).to_be_visible()
    assert "companies" in " ".join(seat_page.locator("ins").all_inner_texts())
    seat_page.goto(f"{base}{minutes_path}")

    # 8. The three pillars approve; the minutes are circulated.
    for seat in seats:
        if seat is not seats[0]:  # the companies' seat is signed in already (step 7)
            seat_page = sign_in(browser, console, base, seat, minutes_path)
        expect(seat_page.get_by_text("Sara Quispe Huamán").first).to_be_visible()
        seat_page.get_by_role("button", name="Approve").click()
        expect(seat_page.locator(".messages")).to_be_visible()
    with group_scope(group):
        assert Minutes.objects.get(meeting=meeting).status == "circulated"

    # 9. The next plenary is held; the minutes are adopted there, with a confirmation.
    later = make_meeting(group, "convened", title="Plenary of the second quarter")
    with group_scope(group):
        Meeting.objects.filter(pk=later.pk).update(start=timezone.now() - timedelta(hours=1))
    page.goto(f"{base}/andes/meetings/{later.pk}/")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator("#attendance")).to_contain_text("Attendance is recorded.")
    page.goto(f"{base}{minutes_path}")
    page.select_option("#adopted-at", str(later.pk))
    page.get_by_label(re.compile("The plenary adopted this version")).check()
    page.get_by_role("button", name="Record the adoption").click()
    expect(page.get_by_text("Adopted at “Plenary of the second quarter”.")).to_be_visible()

    # 10. Members see it on the list, and read the minutes without attribution.
    member_page.goto(f"{base}/andes/meetings/")
    expect(
        member_page.get_by_text("Minutes adopted at “Plenary of the second quarter”")
    ).to_be_visible()
    member_page.goto(f"{base}{minutes_path}")
    article = member_page.locator("article.minutes")
    expect(article).to_contain_text("A participant")
    assert "Quispe" not in article.inner_text()
    page.screenshot(path="test-results/quarter-adopted.png", full_page=True)
    assert console.errors == []
