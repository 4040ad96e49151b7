"""Real browser: the Secretariat records an activity with participants by sector and sees the
report's totals, its sentence and its chart change."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Browser, expect

from activities.models import Activity
from tests.e2e.test_meeting import sign_in
from tests.factories import make_activity, make_group, make_institution, make_secretariat
from vpswg.scoping import group_scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_activity_recorded_in_the_browser_moves_the_report(live_server, browser: Browser):
    base = live_server.url
    group = make_group("andes", name="Andes Working Group", timezone="America/Lima")
    secretariat = make_secretariat(group)
    make_institution(group, name="Minera Ándina del Sur")
    make_activity(
        group,
        title="Workshop on the VPs in Cusco",
        start_date=date(2025, 5, 6),
        counts=(("police_military", 30, 5, 25), ("ngos", 10, None, None)),
    )

    page = sign_in(browser, base, secretariat, "/andes/reports/")
    page.fill("#id_start", "2025")
    page.fill("#id_end", "2025")
    page.get_by_role("button", name="Show the period").click()
    expect(page).to_have_url(f"{base}/andes/reports/?start=2025&end=2025")
    headline = page.locator(".headline .lead")
    expect(headline).to_contain_text("conducted 1 training and dissemination activity.")
    expect(headline).to_contain_text("participants in it was 40")
    sectors = page.locator(
        "section.card", has=page.get_by_role("heading", name="Participants by sector")
    )
    expect(sectors.get_by_role("img", name="Participants by sector")).to_be_visible()
    ngo_bar = sectors.locator("svg rect title", has_text="NGOs:")
    expect(ngo_bar).to_have_text("NGOs: 10")
    assert sectors.locator("svg rect title").all_text_contents() == [
        "Police and armed forces: 30",
        "NGOs: 10",
    ]

    # Record a seminar with civil servants and NGOs.
    page.goto(f"{base}/andes/activities/new/")
    page.fill("#id_title", "Seminar on security and human rights for regional officials")
    page.select_option("#id_kind", "seminar")
    page.fill("#id_start_date", "2025-09-18")
    page.fill("#id_place", "Arequipa")
    # The organisers: found by typing part of the name, accents aside.
    organisers = page.locator("[data-picker]").first
    organisers.get_by_placeholder("Type to filter by name").fill("andina")
    expect(organisers.locator(".picker-option:visible")).to_have_count(1)
    organisers.get_by_label("Minera Ándina del Sur").check()
    expect(organisers.locator("[data-picker-count]")).to_have_text("1 chosen")
    page.fill("#id_count_civil_servants", "25")
    page.fill("#id_women_civil_servants", "12")
    page.fill("#id_count_ngos", "5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Seminar on security and human rights for regional officials"
    )
    with group_scope(group):
        recorded = Activity.objects.get(title__startswith="Seminar on security")
        assert [o.name for o in recorded.organisers.all()] == ["Minera Ándina del Sur"]
        assert (
            recorded.status == Activity.Status.CONFIRMED
        )  # the Secretariat's own entry counts at once
        assert {p.sector: p.total for p in recorded.participants.all()} == {
            "civil_servants": 25,
            "ngos": 5,
        }

    page.goto(f"{base}/andes/reports/?start=2025&end=2025")
    expect(headline).to_contain_text("conducted 2 training and dissemination activities")
    expect(headline).to_contain_text("participants in these activities was 70")
    expect(ngo_bar).to_have_text("NGOs: 15")
    civil_row = sectors.get_by_role("row", name="Civil servants")
    expect(civil_row.locator("td").nth(0)).to_have_text("25")
    expect(civil_row.locator("td").nth(1)).to_have_text("12")
    # The bars are ordered by size and drawn to scale: police 30 (full width), civil servants 25, NGOs 15.
    bars = sectors.locator("svg rect")
    assert bars.locator("title").all_text_contents() == [
        "Police and armed forces: 30",
        "Civil servants: 25",
        "NGOs: 15",
    ]
    widths = bars.evaluate_all("rects => rects.map(r => Number(r.getAttribute('width')))")
    assert widths[1] == pytest.approx(widths[0] * 25 / 30, abs=0.1) and widths[2] == pytest.approx(
        widths[0] * 15 / 30, abs=0.1
    )
