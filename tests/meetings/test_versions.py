"""Versions of the minutes: every version openable in the reader's rendering, any two compared
side by side, and the Coordination Group's comments on a section or a statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Contribution, MinutesAccess, MinutesComment, MinutesVersion
from meetings.services import attribution, redaction
from meetings.services import minutes as service
from meetings.services.minutes import MinutesError
from meetings.services.minutes.versions import compare, words
from tests.factories import (
    add_contribution,
    cold_process,
    make_coordination,
    make_institution,
    make_meeting_in_session,
    make_member,
    make_minutes,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

SPEAKER = "Rosa Quispe Huamán"
INSTITUTION = "Minera Huascarán"
#: What a seat writes in a comment: it names the speaker, so it is attributed-level.
NAMING_COMMENT = "Rosa Quispe Huamán said the opposite: check the recording."


@pytest.fixture
def seats(group):
    return {p: make_coordination(group, p) for p in ("companies", "government", "civil_society")}


@pytest.fixture
def secretariat(group):
    return make_secretariat(group)


@pytest.fixture
def speaker(group):
    rep = make_representative(group, institution=make_institution(group, name=INSTITUTION))
    rep.user.full_name = SPEAKER
    rep.user.save()
    return rep


@pytest.fixture
def member(group):
    return make_member(group)


def _url(name, group, minutes, **kwargs):
    return reverse(
        f"meetings:{name}", kwargs={"wg": group.slug, "pk": minutes.meeting_id, **kwargs}
    )


def _rewrite(contribution, text: str, actor) -> None:
    """A new text for a statement, as the editor saves it (inside the group's scope)."""
    contribution.refresh_from_db()
    service.save_contribution(
        section=contribution.section,
        actor=actor,
        text=text,
        speaker=service.KEEP,
        contribution=contribution,
        revision=contribution.revision,
    )


def _returned_then_resubmitted(group, secretariat, seats, speaker):
    """v1 returned by the companies' seat with a comment naming the speaker on its first
    statement; v2 rewrites that statement, removes the second and adds a third; v2 is under
    review."""
    meeting = make_meeting_in_session(group, ("Security and human rights",), title="Plenary")
    minutes = make_minutes(meeting)
    first = add_contribution(
        minutes, "Companies should publish their security agreements.", speaker=speaker
    )
    second = add_contribution(minutes, "A remark that will be withdrawn.")
    with group_scope(group):
        section = minutes.sections.get()
        service.save_decision(section=section, actor=secretariat, text="Draft a guidance note.")
        v1 = service.submit(minutes=minutes, actor=secretariat)
        service.review(
            minutes=minutes,
            actor=seats["companies"],
            decision="return",
            comment="See my comment on the first statement.",
            comments={redaction.contribution_key(first.pk): NAMING_COMMENT},
        )
        _rewrite(
            first, "Companies should publish their security agreements every year.", secretariat
        )
        service.delete_part(obj=second, actor=secretariat)
    add_contribution(minutes, "A new point on grievance mechanisms.", section=section)
    with group_scope(group):
        v2 = service.submit(minutes=minutes, actor=secretariat)
        minutes.refresh_from_db()
    return minutes, v1, v2, first


def _circulate(group, minutes, seats):
    with group_scope(group):
        for seat in seats.values():
            service.review(minutes=minutes, actor=seat, decision="approve")
        service.circulate(minutes=minutes)
        minutes.refresh_from_db()
    return minutes


# --- The comparison itself -----------------------------------------------------------------------


def test_words_marks_what_was_removed_and_added_and_keeps_the_rest():
    changed = words("The law must cover private security.", "The law must cover all security.")
    assert changed.old == [
        ("same", "The law must cover "),
        ("del", "private"),
        ("same", " security."),
    ]
    assert changed.new == [("same", "The law must cover "), ("ins", "all"), ("same", " security.")]


def test_statements_are_matched_by_key_decisions_and_actions_by_text():
    def version(contributions, decisions, actions):
        return {
            "summary": "",
            "sections": [
                {
                    "key": "s1",
                    "title": "Security",
                    "main_points": "",
                    "contributions": contributions,
                    "decisions": decisions,
                    "action_items": actions,
                }
            ],
        }

    old = version(
        [{"key": "c1", "text": "One two three."}, {"key": "c2", "text": "Gone."}],
        ["Draft a note.", "Hold a workshop."],
        [{"what": "Circulate the law.", "institution": "SER", "due": ""}],
    )
    new = version(
        [{"key": "c1", "text": "One two four."}, {"key": "c3", "text": "Came."}],
        ["Draft a short note.", "Hold a workshop."],
        [{"what": "Circulate the law.", "institution": "SER", "due": "2027-01-31"}],
    )
    result = compare(old, new)
    section = result.sections[0]
    assert [(r.state, r.key) for r in section.contributions] == [
        ("changed", "c1"),
        ("removed", "c2"),
        ("added", "c3"),
    ]
    assert ("del", "three") in section.contributions[0].words.old
    assert [r.state for r in section.decisions] == ["changed", "same"]
    assert section.action_items[0].state == "changed" and section.action_items[0].detail_changed
    assert result.counts["contributions_changed"] == 1
    assert result.counts["contributions_added"] == result.counts["contributions_removed"] == 1
    assert result.counts["decisions_changed"] == result.counts["action_items_changed"] == 1
    assert compare(new, new).changed is False


def test_versions_frozen_without_keys_are_compared_by_text():
    old = {"sections": [{"title": "A", "contributions": [{"text": "Same words here."}]}]}
    new = {
        "sections": [
            {"title": "A", "contributions": [{"text": "Same words here."}, {"text": "New."}]}
        ]
    }
    rows = compare(old, new).sections[0].contributions
    assert [r.state for r in rows] == ["same", "added"]


# --- Comments: sealed, checked, destroyed with the attribution -----------------------------------


def test_a_comment_names_no_one_in_the_database_and_goes_with_the_attribution(
    group, secretariat, seats, speaker
):
    minutes, v1, _v2, first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    with group_scope(group):
        stored = MinutesComment.objects.get()
        assert stored.version_id == v1.pk and stored.anchor_key == f"c{first.pk}"
        assert stored.anchor_kind == "contribution"
        assert "Rosa" not in stored.text_sealed and stored.quote.startswith("Companies should")
        shown = service.comments(minutes, [v1.pk])
        assert [c.text for c in shown] == [NAMING_COMMENT]
        assert shown[0].pillar_label == "Companies"
        attribution.destroy(minutes=minutes, actor=secretariat)
        assert MinutesComment.objects.get().text_sealed == ""
        shown = service.comments(minutes, [v1.pk])
        assert shown[0].text == "" and shown[0].unavailable == "destroyed"


def test_a_comment_on_a_part_not_in_the_version_is_refused(group, secretariat, seats, speaker):
    minutes, _v1, v2, _first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    with group_scope(group), pytest.raises(MinutesError):
        service.review(
            minutes=minutes,
            actor=seats["government"],
            decision="approve",
            comments={"c999999": "Not here."},
        )
    with group_scope(group):
        assert not v2.reviews.exists()  # the whole review is refused, not only the comment


def test_a_return_with_only_a_comment_on_a_statement_is_enough(group, secretariat, seats, speaker):
    minutes, _v1, _v2, first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    with group_scope(group):
        outcome = service.review(
            minutes=minutes,
            actor=seats["government"],
            decision="return",
            comments={f"c{first.pk}": "Say which year."},
        )
    assert outcome.returned
    with group_scope(group), pytest.raises(MinutesError):
        service.review(minutes=minutes, actor=seats["civil_society"], decision="return")


# --- The access policy for versions --------------------------------------------------------------


def test_members_open_only_approved_versions_and_only_the_members_rendering(
    client, group, secretariat, seats, speaker, member
):
    minutes, _v1, _v2, _first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    client.force_login(member)
    # Under review: nothing for members, not even the members' rendering of v1 or v2.
    for number in (1, 2):
        assert client.get(_url("minutes_version", group, minutes, number=number)).status_code == 404
    assert client.get(_url("minutes_compare", group, minutes)).status_code == 404
    _circulate(group, minutes, seats)
    body = client.get(_url("minutes_version", group, minutes, number=2)).content.decode()
    assert "every year" in body and "A participant" in body
    assert SPEAKER not in body and INSTITUTION not in body and "Rosa" not in body
    # v1 was returned, never approved: members never have it, in any rendering.
    assert client.get(_url("minutes_version", group, minutes, number=1)).status_code == 404
    assert (
        client.get(_url("minutes_compare", group, minutes), {"old": 1, "new": 2}).status_code == 404
    )
    with group_scope(group):
        logged = set(
            MinutesAccess.objects.filter(user=member).values_list("kind", "version_number")
        )
    assert logged == {("members", 2)}


def test_a_members_comparison_never_shows_a_speaker(
    client, group, secretariat, seats, speaker, member
):
    """Two circulated versions compared as a member: the members' rendering of both."""
    minutes, _v1, _v2, first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    _circulate(group, minutes, seats)
    with group_scope(group):
        _rewrite(
            first, "Companies should publish their agreements every year, in full.", secretariat
        )
        service.submit(minutes=minutes, actor=secretariat)
    _circulate(group, minutes, seats)
    client.force_login(member)
    response = client.get(_url("minutes_compare", group, minutes))
    body = response.content.decode()
    assert response.status_code == 200
    assert "their <del>security </del>agreements" in body
    assert "every year<ins>, in full</ins>." in body
    assert SPEAKER not in body and INSTITUTION not in body and NAMING_COMMENT not in body
    # The compare form offers the two circulated versions only, never the returned one.
    assert 'value="2"' in body and 'value="3"' in body and 'value="1"' not in body
    # The members' page links to what changed.
    page = client.get(_url("minutes", group, minutes)).content.decode()
    assert _url("minutes_compare", group, minutes) in page


def test_an_outsider_gets_404_on_every_version_page(
    client, group, secretariat, seats, speaker, outsider
):
    minutes, _v1, _v2, _first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    _circulate(group, minutes, seats)
    client.force_login(outsider)
    for url in (
        _url("minutes_version", group, minutes, number=1),
        _url("minutes_version", group, minutes, number=2),
        _url("minutes_compare", group, minutes),
    ):
        assert client.get(url).status_code == 404
    # Nor through the outsider's own group's address with this meeting's id.
    other = reverse(
        "meetings:minutes_version",
        kwargs={"wg": outsider_group_slug(outsider), "pk": minutes.meeting_id, "number": 1},
    )
    assert client.get(other).status_code == 404


def outsider_group_slug(user) -> str:
    from vpswg.models import RoleAssignment
    from vpswg.scoping import scopes_disabled

    with scopes_disabled():  # the test looks up where the outsider belongs
        return RoleAssignment.objects.filter(user=user).first().working_group.slug


def test_a_closed_meetings_versions_follow_the_policy(client, group, secretariat, seats, member):
    from meetings.services import closed

    meeting = make_meeting_in_session(group, ("Seats only",), kind="coordination")
    minutes = make_minutes(meeting)
    add_contribution(minutes, "A closed remark.")
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
    _circulate(group, minutes, seats)
    url = _url("minutes_version", group, minutes, number=1)
    client.force_login(member)
    assert client.get(url).status_code == 404
    with group_scope(group):
        closed.grant_closed_access(meeting=meeting, user=member, actor=secretariat)
    body = client.get(url).content.decode()
    assert "A closed remark." in body and "Unattributed" not in body


# --- The pages for the Secretariat and the seats -------------------------------------------------


def test_the_seat_sees_what_changed_since_it_returned_and_its_comment_beside_the_statement(
    client, group, secretariat, seats, speaker
):
    minutes, _v1, _v2, first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    client.force_login(seats["companies"])
    review = client.get(_url("minutes", group, minutes)).content.decode()
    assert "What changed since version 1" in review
    assert "Statements — added: 1, removed: 1, changed: 1" in review
    assert f'name="note-c{first.pk}"' in review and 'form="review-form"' in review
    # Its own comment on version 1 is beside the statement, marked as made on version 1.
    statement = review[review.index(f'id="part-c{first.pk}"') :]
    assert NAMING_COMMENT in statement[: statement.index("</li>")]
    assert "on version 1" in statement[: statement.index("</li>")]
    compare_url = _url("minutes_compare", group, minutes)
    body = client.get(compare_url).content.decode()  # the default: the returned one and the new
    assert 'value="1" selected' in body and 'value="2" selected' in body
    assert "agreements<ins> every year</ins>." in body
    assert "A remark that will be withdrawn." in body and "Removed" in body
    assert SPEAKER in body  # the group lets the Coordination Group see attribution
    row = body[body.index(f'id="part-c{first.pk}"') :]
    row = row[: row.index('class="diff-row', 1)]
    assert NAMING_COMMENT in row  # beside the statement it concerns
    assert "Unchanged" in body and "Draft a guidance note." in body
    changes = client.get(compare_url, {"old": 1, "new": 2, "only": "changes"}).content.decode()
    assert "every year" in changes and "A remark that will be withdrawn." in changes
    assert "Draft a guidance note." not in changes  # the decision did not change
    with group_scope(group):
        kinds = set(
            MinutesAccess.objects.filter(user=seats["companies"]).values_list(
                "kind", "version_number"
            )
        )
    assert {("attributed", 1), ("attributed", 2)} <= kinds


def test_reviewing_with_comments_over_http(client, group, secretariat, seats, speaker):
    minutes, _v1, v2, first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    with group_scope(group):
        section = minutes.sections.get()
    client.force_login(seats["government"])
    url = _url("minutes_review", group, minutes)
    refused = client.post(url, {"decision": "return", f"note-c{first.pk}": "  "})
    assert refused.status_code == 400
    # A refused review gives back what the seat typed, under the statement it was typed under.
    kept = client.post(url, {"decision": "maybe", f"note-c{first.pk}": "Keep me."})
    assert kept.status_code == 400
    assert f'name="note-c{first.pk}" form="review-form" rows="3" maxlength="4000">Keep me.' in (
        kept.content.decode()
    )
    response = client.post(
        url,
        {
            "decision": "approve",
            "comment": "Fine.",
            f"note-s{section.pk}": "The title could be shorter.",
            f"note-c{first.pk}": "Good.",
        },
    )
    assert response.status_code == 302
    with group_scope(group):
        assert set(v2.comments.values_list("anchor_key", flat=True)) == {
            f"s{section.pk}",
            f"c{first.pk}",
        }
    body = client.get(_url("minutes_version", group, minutes, number=2)).content.decode()
    assert "The title could be shorter." in body and "Good." in body


def test_the_secretariat_sees_the_comments_beside_the_statement_in_the_editor(
    client, group, secretariat, seats, speaker
):
    minutes, _v1, _v2, first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    with group_scope(group):
        service.review(
            minutes=minutes,
            actor=seats["government"],
            decision="return",
            comments={f"c{first.pk}": "Which year?"},
        )
    client.force_login(secretariat)
    body = client.get(_url("minutes", group, minutes)).content.decode()
    form = body[body.index(f'id="contribution-{first.pk}"') :]
    assert "Which year?" in form[: form.index('class="contribution-form add-form"')]
    assert "1 comment on a section or statement is shown beside it below." in body
    # Every version opens for the Secretariat, attributed, with the seat's comment beside it.
    v1 = client.get(_url("minutes_version", group, minutes, number=1)).content.decode()
    assert SPEAKER in v1 and NAMING_COMMENT in v1 and "A remark that will be withdrawn." in v1
    # The versions list explains the fingerprint and links each version and its comparison.
    assert "Fingerprint" in body and "compare with the previous" in body
    assert _url("minutes_version", group, minutes, number=2) in body


def test_a_member_never_gets_the_attributed_rendering_or_a_comment(
    client, group, secretariat, seats, speaker, member
):
    minutes, _v1, _v2, _first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    _circulate(group, minutes, seats)
    client.force_login(member)
    for url in (
        _url("minutes", group, minutes),
        _url("minutes_version", group, minutes, number=2),
        _url("minutes_compare", group, minutes),
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert SPEAKER not in body and INSTITUTION not in body
        assert NAMING_COMMENT not in body and "check the recording" not in body


def test_a_seat_without_attribution_compares_the_members_rendering(
    client, group, secretariat, seats, speaker
):
    group.coordination_sees_attribution = False
    group.save()
    minutes, _v1, _v2, _first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    client.force_login(seats["government"])
    for url in (
        _url("minutes_compare", group, minutes),
        _url("minutes_version", group, minutes, number=1),
        _url("minutes", group, minutes),
    ):
        body = client.get(url).content.decode()
        assert "every year" in body or "security agreements" in body
        # The seat's own comment names the speaker; nothing else does.
        assert SPEAKER not in body.replace(NAMING_COMMENT, "") and INSTITUTION not in body
        # The comments are the seats' own: they read them, whatever the rendering.
        assert NAMING_COMMENT in body or url == _url("minutes", group, minutes)


def test_an_unknown_version_or_a_malformed_choice_is_404(
    client, group, secretariat, seats, speaker
):
    minutes, _v1, _v2, _first = _returned_then_resubmitted(group, secretariat, seats, speaker)
    client.force_login(secretariat)
    assert client.get(_url("minutes_version", group, minutes, number=9)).status_code == 404
    compare_url = _url("minutes_compare", group, minutes)
    for query in ({"old": "1", "new": "9"}, {"old": "x", "new": "2"}, {"old": "1"}):
        assert client.get(compare_url, query).status_code == 404


def test_the_diff_escapes_what_was_typed(client, group, secretariat, seats):
    meeting = make_meeting_in_session(group, ("Scripts",))
    minutes = make_minutes(meeting)
    c = add_contribution(minutes, "Plain text.")
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        _rewrite(c, 'Plain <script>alert("x")</script> text.', secretariat)
        service.submit(minutes=minutes, actor=secretariat)
    client.force_login(secretariat)
    body = client.get(_url("minutes_compare", group, minutes)).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


# --- Constant queries -----------------------------------------------------------------------------


def _count(client, url) -> int:
    cold_process()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("reader", ["secretariat", "member"])
def test_version_and_compare_pages_cost_the_same_whatever_the_size(
    client, group, secretariat, seats, member, reader
):
    meeting = make_meeting_in_session(group, ("One", "Two"))
    minutes = make_minutes(meeting)

    def grow(n):
        with group_scope(group):
            sections = list(minutes.sections.all())
        for i in range(n):
            for section in sections:
                add_contribution(
                    minutes, f"Statement {i}.", speaker=make_representative(group), section=section
                )
                with group_scope(group):
                    service.save_decision(section=section, actor=secretariat, text=f"Decision {i}.")

    def freeze_twice():
        for _ in range(2):
            with group_scope(group):
                c = Contribution.objects.filter(section__minutes=minutes).order_by("-pk").first()
                _rewrite(c, c.text + " Amended.", secretariat)
                version = service.submit(minutes=minutes, actor=secretariat)
                for p in ("companies", "government"):
                    service.review(
                        minutes=minutes,
                        actor=seats[p],
                        decision="approve",
                        comments={f"c{c.pk}": f"Comment {version.number}."},
                    )
                service.review(minutes=minutes, actor=seats["civil_society"], decision="approve")
                service.circulate(minutes=minutes)
        return version

    grow(1)
    small = freeze_twice()
    user = secretariat if reader == "secretariat" else member
    client.force_login(user)
    client.get(reverse("group:home", kwargs={"wg": group.slug}))  # the session's first checks
    urls = lambda v: (  # noqa: E731
        _url("minutes_version", group, minutes, number=v.number),
        _url("minutes_compare", group, minutes),
    )
    few = [_count(client, url) for url in urls(small)]
    grow(20)
    large = freeze_twice()
    with group_scope(group):
        assert MinutesVersion.objects.filter(minutes=minutes).count() == 4
    many = [_count(client, url) for url in urls(large)]
    assert many == few, (few, many)
    assert max(many) <= 20


def test_the_default_comparison_is_the_previous_one_or_for_a_seat_the_one_it_returned():
    from types import SimpleNamespace

    from meetings.minutes_views.versions import default_pair

    def v(pk, status):
        return SimpleNamespace(pk=pk, number=pk, status=status)

    listed = [v(1, "returned"), v(2, "returned"), v(3, "superseded"), v(4, "submitted")]
    assert [x.number for x in default_pair(listed)] == [3, 4]  # the Secretariat, a member
    assert [x.number for x in default_pair(listed, returned={1})] == [1, 4]  # the seat's own
    assert [x.number for x in default_pair(listed, returned=set())] == [2, 4]  # the last return
    assert [x.number for x in default_pair(listed[:1])] == [1, 1]
    assert default_pair([]) == (None, None)


def test_the_review_page_costs_the_same_whatever_the_size(client, group, secretariat, seats):
    """The seat's review page: the version under review with the comment boxes, what changed
    since the version it returned, the comments, the versions list."""
    meeting = make_meeting_in_session(group, ("One",))
    minutes = make_minutes(meeting)

    def grow(n):
        for i in range(n):
            add_contribution(minutes, f"Statement {i}.", speaker=make_representative(group))

    grow(1)
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        first = Contribution.objects.filter(section__minutes=minutes).first()
        service.review(
            minutes=minutes,
            actor=seats["companies"],
            decision="return",
            comments={f"c{first.pk}": "Shorter."},
        )
        _rewrite(first, "Statement, shorter.", secretariat)
        service.submit(minutes=minutes, actor=secretariat)
    client.force_login(seats["companies"])
    client.get(reverse("group:home", kwargs={"wg": group.slug}))  # the session's first checks
    url = _url("minutes", group, minutes)
    few = _count(client, url)
    grow(20)
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
    body = client.get(url).content.decode()
    assert "What changed since version 1" in body and "Statements — added: 20" in body
    assert _count(client, url) == few


def test_only_the_changes_keeps_an_unchanged_statement_a_seat_commented_on():
    from meetings.services.minutes.versions import ShownComment, attach_comments, only_changes

    def version(texts):
        return {
            "sections": [
                {
                    "key": "s1",
                    "title": "A",
                    "contributions": [{"key": k, "text": t} for k, t in texts],
                },
                {"key": "s2", "title": "B", "contributions": [{"key": "c9", "text": "Same."}]},
            ]
        }

    result = compare(
        version([("c1", "Same."), ("c2", "Old.")]), version([("c1", "Same."), ("c2", "New.")])
    )
    note = ShownComment("c1", "contribution", "Same.", 1, "Companies", "Return", "", "Why?")
    assert attach_comments(result, [note]) == []
    shown = only_changes(result)
    assert [s.key for s in shown.sections] == ["s1"]  # the unchanged section left out
    assert [(r.key, r.state) for r in shown.sections[0].contributions] == [
        ("c1", "same"),  # kept: a seat commented on it
        ("c2", "changed"),
    ]


def test_a_version_approved_then_withdrawn_before_circulation_is_never_the_members(
    client, group, secretariat, seats, member
):
    """Approved by the three seats, then edited before the circulation ran (a name spotted in
    the members' text): that version was never sent, and members must not open it later."""
    meeting = make_meeting_in_session(group, ("Security",), title="Plenary")
    minutes = make_minutes(meeting)
    slip = add_contribution(minutes, "As Quispe said, the guards need training.")
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        for seat in seats.values():
            service.review(minutes=minutes, actor=seat, decision="approve")
        minutes.refresh_from_db()
        assert minutes.status == "approved"  # the circulation task has not run yet
        _rewrite(slip, "A participant said the guards need training.", secretariat)
        v1 = MinutesVersion.objects.get(minutes=minutes, number=1)
        assert v1.status == "superseded"
        service.submit(minutes=minutes, actor=secretariat)
    minutes = _circulate(group, minutes, seats)
    assert minutes.circulated_version.number == 2
    client.force_login(member)
    assert client.get(_url("minutes_version", group, minutes, number=2)).status_code == 200
    assert client.get(_url("minutes_version", group, minutes, number=1)).status_code == 404
    response = client.get(_url("minutes_compare", group, minutes), {"old": 1, "new": 2})
    assert response.status_code == 404 and b"Quispe" not in response.content
