"""The minutes editor against requests its page would not send: an edit without its revision,
ids that only look like numbers, words to replace that are empty, texts made to be slow."""

from __future__ import annotations

import signal
import time

import pytest
from django.urls import reverse

from meetings.models import Contribution, MinutesSection
from meetings.services import leaks
from meetings.services import minutes as service
from meetings.services.minutes import MinutesError, RevisionMissing
from tests.factories import (
    add_contribution,
    make_meeting_in_session,
    make_minutes,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(group):
    return make_meeting_in_session(group)


@pytest.fixture
def editor(client, group):
    secretariat = make_secretariat(group)
    client.force_login(secretariat)
    return secretariat


def _edit_url(group, meeting) -> str:
    return reverse("meetings:minutes_edit", kwargs={"wg": group.slug, "pk": meeting.pk})


@pytest.mark.parametrize("revision", [None, "", "abc", "-1", "\u00b2", "1" * 5000])
@pytest.mark.parametrize("htmx", [True, False])
def test_an_edit_without_a_usable_revision_is_refused_and_overwrites_nothing(
    client, group, held, editor, revision, htmx
):
    """A page that lost its revision (or a crafted request) cannot overwrite what someone
    else saved since: it is told to reload, not taken as made on the current text."""
    c = add_contribution(make_minutes(held), "What was said.")
    data = {"part": "contribution", "id": c.pk, "text": "Overwritten.", "speaker": "keep"}
    if revision is not None:
        data["revision"] = revision
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(_edit_url(group, held), data, **headers)
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    with group_scope(group):
        stored = Contribution.objects.get(pk=c.pk)
    assert (stored.text, stored.revision) == ("What was said.", c.revision)


def test_every_edit_of_an_existing_part_needs_its_revision(group, held, editor):
    minutes = make_minutes(held)
    c = add_contribution(minutes, "What was said.")
    with group_scope(group):
        section = MinutesSection.objects.get(pk=c.section_id)
        edits = [
            lambda: service.save_summary(
                minutes=minutes, actor=editor, summary="S.", revision=None
            ),
            lambda: service.save_section(
                section=section, actor=editor, title="T", main_points="P", revision=None
            ),
            lambda: service.save_contribution(
                section=section, actor=editor, text="New.", contribution=c, revision=None
            ),
        ]
        for edit in edits:
            with pytest.raises(RevisionMissing):
                edit()
        assert Contribution.objects.get(pk=c.pk).text == "What was said."


def test_a_new_part_needs_no_revision(client, group, held, editor):
    c = add_contribution(make_minutes(held), "What was said.")
    response = client.post(
        _edit_url(group, held),
        {"part": "contribution", "section": c.section_id, "text": "Also said.", "speaker": ""},
    )
    assert response.status_code == 302
    with group_scope(group):
        texts = set(
            Contribution.objects.filter(section_id=c.section_id).values_list("text", flat=True)
        )
    assert texts == {"What was said.", "Also said."}


def test_ids_that_only_look_like_numbers_are_not_found(client, group, held, editor):
    """``"²".isdigit()`` is true; int() and the database refuse it (it was a 500)."""
    minutes = make_minutes(held)
    c = add_contribution(minutes, "What was said.")
    url = _edit_url(group, held)
    assert client.post(url, {"part": "delete_contribution", "id": "\u00b2"}).status_code == 404
    assert client.post(url, {"part": "contribution", "section": "1" * 5000}).status_code == 404
    with group_scope(group):
        with pytest.raises(MinutesError):
            service.parse_speaker("user:\u00b2")
        with pytest.raises(MinutesError):
            service.mark_subject(
                minutes=minutes, actor=editor, target="contribution:\u00b2:text", term="x"
            )
        assert Contribution.objects.filter(pk=c.pk).exists()


@pytest.fixture
def time_limit():
    """Fail, rather than hang the run, where the old code looped for ever."""

    def expired(signum, frame):
        raise TimeoutError("still running after 5 seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("term", ["", "   "])
def test_replacing_empty_words_is_refused(group, held, editor, time_limit, term):
    """Empty words are found at every position: the replacement never ended, and filled the
    memory until the process was killed."""
    minutes = make_minutes(held)
    c = add_contribution(minutes, "What was said.")
    with group_scope(group):
        with pytest.raises(MinutesError):
            service.replace_words(
                minutes=minutes,
                actor=editor,
                target=f"contribution:{c.pk}:text",
                term=term,
                replacement="A participant",
            )
        assert Contribution.objects.get(pk=c.pk).text == "What was said."


def test_scanning_a_long_run_of_letters_is_quick(group):
    """Every autosave scans every text of the minutes: 100,000 letters without a space took
    the address pattern 16 seconds. A long address is still found."""
    with group_scope(group):
        terms = leaks.Matcher(leaks.roster_terms())
        started = time.monotonic()
        assert leaks.scan_text("x" * 100_000, "minutes:1:summary", terms) == []
        assert time.monotonic() - started < 2
        hits = leaks.scan_text(f"Write to {'a' * 80}@example.org.", "minutes:1:summary", terms)
    assert [h.kind for h in hits] == ["email"] and hits[0].matched.endswith("a@example.org")
