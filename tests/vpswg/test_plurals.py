"""Count-dependent text agrees with its count (ngettext, blocktranslate count): one of
anything is singular, in every language, however the English happens to read."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from activities import reports
from meetings.services.minutes.common import LeaksRemain
from tests.factories import make_secretariat, sign_in

ROOT = Path(__file__).resolve().parents[2]


def test_no_plural_is_built_by_hand():
    """ "item(s)", "%(n)s item(s)": a plural English gets away with and no other language does."""
    hand_made = re.compile(r"[a-z]\((s|es)\)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in (
            "templates",
            "vpswg",
            "members",
            "meetings",
            "workplan",
            "activities",
            "portal",
        )
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".txt", ".py", ".js"} and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if hand_made.search(line) and ("translate" in line or "gettext" in line or "_(" in line)
    ]
    assert found == []


def test_one_place_left_to_resolve_is_singular():
    assert LeaksRemain(["one"]).messages == [
        "The minutes still name participants in 1 place: resolve it before submitting."
    ]
    assert "in 2 places: resolve each" in LeaksRemain(["one", "two"]).messages[0]


def test_one_participant_is_singular_beside_many_activities():
    totals = reports.Totals(start=2015, end=2015, years=[2015])
    totals.activities_by_year_kind[(2015, "course")] = 3
    totals.participants_by_year_kind[(2015, "course")] = 1
    assert totals.all_kinds_sentence() == "All kinds together: 3 activities, 1 participant."


def test_one_institution_invited_is_singular():
    meeting = SimpleNamespace(
        pk=1, start=timezone.now(), title="Plenary", venue="", invited=1, attending=0,
        minutes_status="", status="planned",
        get_kind_display=lambda: "Plenary", get_status_display=lambda: "Planned",
    )  # fmt: skip
    html = render_to_string("meetings/includes/meeting_row.html", {"m": meeting})
    assert "0 of 1 institution attending" in html


def test_the_pickers_count_has_a_form_for_one():
    html = render_to_string(
        "activities/includes/institution_picker.html",
        {"field": SimpleNamespace(label="Organisers", auto_id="id_o", errors=[]), "groups": []},
    )
    assert 'data-template-one="%(count)s chosen"' in html
    assert 'data-template="%(count)s chosen"' in html


@pytest.mark.django_db
def test_a_monthly_plenary_and_one_days_notice_read_in_the_singular(client, group, outsider):
    group.meeting_cadence_months = 1
    group.notice_period_days = 1
    group.save()
    sign_in(client, make_secretariat(group))
    page = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    assert "The plenary meets at least once a month." in page
    assert "The convening notice goes out 1 day before it." in page
    client.logout()
    sign_in(client, outsider)  # the group's public page: not the Secretariat's dashboard
    page = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    assert "convening notice" not in page
