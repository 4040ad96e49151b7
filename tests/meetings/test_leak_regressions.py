"""Leak detection: cases a review of the French work found broken in Spanish and English
minutes (each failed before its fix)."""

from __future__ import annotations

import pytest

from meetings.services import leaks
from tests.factories import make_group
from tests.meetings.test_leak_detection import _check, _roster
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

ROSTER = [
    ("Embassy of the Republic of Korea", "", "foreign_government", "government", ["Min-jun Park"]),
    ("Embassy of Ireland", "", "foreign_government", "government", ["Siobhan Walsh"]),
    ("Gold Fields Ghana", "", "company", "companies", ["Kwame Mensah"]),
]


@pytest.fixture
def english(db):
    group = make_group("accra", country="Ghana", default_language="en")
    _roster(group, ROSTER, [])
    return group


@pytest.fixture
def spanish(db):
    group = make_group("lima", country="Perú", default_language="es")
    _roster(group, ROSTER, [])
    return group


def test_a_hyphenated_south_korean_still_names_the_embassy(english):
    """ "North-" and "Latin-" make a region ("Latin-American"), "South-Korean" is a member."""
    with group_scope(english):
        hits = leaks.scan_text(
            "The South-Korean delegation proposed a plan.", "x:1:text", leaks.roster_matcher()
        )
    assert [h.matched for h in hits] == ["Korean"]


@pytest.mark.parametrize(
    "text",
    ["The meeting closed at 5 p.m. Mensah said he agreed.", "At 5 P.M. Mensah said he agreed."],
)
def test_an_hour_before_a_name_is_kept_whole(english, text):
    """French titles ("M.") are read only as written, never after a figure or "p."."""
    with group_scope(english):
        hits = leaks.scan_text(text, "x:1:text", leaks.roster_matcher())
    (finding,) = [leaks.Finding(hit, text, "en") for hit in hits]
    replaced = finding.replacement.apply(text)
    assert "5 p.m." in replaced or "5 P.M." in replaced
    assert "Mensah" not in replaced


def test_a_unit_before_a_name_is_kept_whole(spanish):
    text = "El muro mide 20 m. Mensah dijo que bastaba."
    with group_scope(spanish):
        hits = leaks.scan_text(text, "x:1:text", leaks.roster_matcher())
    (finding,) = [leaks.Finding(hit, text, "es") for hit in hits]
    assert "20 m." in finding.replacement.apply(text)


def test_a_french_form_in_spanish_minutes_gets_spanish_words(spanish):
    """ "irlandais" has no number of its own: the editor still offers words (it raised a
    KeyError, and the minutes editor answered 500)."""
    text = "El instituto irlandais propuso un taller."
    with group_scope(spanish):
        hits = leaks.scan_text(text, "x:1:text", leaks.roster_matcher())
    assert [h.matched for h in hits] == ["irlandais"]
    finding = leaks.Finding(hits[0], text, "es")
    assert finding.words
    assert "irlandais" not in finding.replacement.apply(text)


def test_the_check_helper_still_applies(english):
    _check(english, "Mensah spoke first.", ["Mensah"], None)
