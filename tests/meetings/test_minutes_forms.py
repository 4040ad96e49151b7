"""The minutes editor's parts are saved through forms (``meetings.minutes_forms``): a date
that is no date, another group's institution or speaker are refused with a message, nothing
is stored, and what was typed is shown again where it was typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from meetings.models import ActionItem, Contribution, Decision, MinutesSection
from meetings.services import minutes as service
from members.models import Institution
from tests.factories import (
    add_contribution,
    make_institution,
    make_meeting_in_session,
    make_member,
    make_minutes,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def held(group):
    return make_meeting_in_session(group)


@pytest.fixture
def minutes(held):
    return make_minutes(held)


@pytest.fixture
def section(group, minutes):
    with group_scope(group):
        return minutes.sections.order_by("position").first()


@pytest.fixture
def editor(client, group):
    secretariat = make_secretariat(group)
    client.force_login(secretariat)
    return secretariat


def _url(group, meeting) -> str:
    return reverse("meetings:minutes_edit", kwargs={"wg": group.slug, "pk": meeting.pk})


def _count(group, model) -> int:
    with group_scope(group):
        return model.objects.count()


def test_a_new_action_item_with_a_date_that_is_no_date_is_shown_again(
    client, group, held, section, editor
):
    institution = make_institution(group, name="Compañía Minera Andina")
    response = client.post(
        _url(group, held),
        {
            "part": "action",
            "section": section.pk,
            "what": "Send the draft law to every member",
            "institution": institution.pk,
            "due_date": "2027-02-31",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the due date as YYYY-MM-DD." in page
    # What was typed is in the form again, the institution still chosen.
    assert 'value="Send the draft law to every member"' in page
    assert f'value="{institution.pk}" selected>' in page
    assert 'value="2027-02-31"' in page
    assert _count(group, ActionItem) == 0


def test_a_new_action_item_is_saved_with_its_institution_and_date(
    client, group, held, section, editor
):
    institution = make_institution(group)
    response = client.post(
        _url(group, held),
        {
            "part": "action",
            "section": section.pk,
            "what": "Send the draft law",
            "institution": institution.pk,
            "due_date": "2027-03-15",
        },
    )
    assert response.status_code == 302
    with group_scope(group):
        item = ActionItem.objects.get()
    assert (item.what, item.institution_id, item.due_date) == (
        "Send the draft law",
        institution.pk,
        date(2027, 3, 15),
    )


@pytest.mark.parametrize("htmx", [True, False])
def test_another_groups_institution_is_refused(
    client, group, other_group, held, section, editor, htmx
):
    with group_scope(other_group):
        foreign = Institution.objects.get(name="Beta Mining Corporation")
    response = client.post(
        _url(group, held),
        {"part": "action", "section": section.pk, "what": "Follow up", "institution": foreign.pk},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose an institution of the group." in page
    assert "Beta Mining Corporation" not in page
    assert _count(group, ActionItem) == 0


def test_an_existing_action_item_keeps_its_values_when_the_date_is_refused(
    client, group, held, section, editor
):
    with group_scope(group):
        item = service.save_action_item(section=section, actor=editor, what="Circulate the map")
    response = client.post(
        _url(group, held),
        {
            "part": "action",
            "id": item.pk,
            "revision": item.revision,
            "what": "Circulate the map of the corridor",
            "institution": "",
            "due_date": "next week",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Circulate the map of the corridor"' in page and 'value="next week"' in page
    with group_scope(group):
        stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.what, stored.due_date, stored.revision) == (
        "Circulate the map",
        None,
        item.revision,
    )


def test_a_speaker_from_another_group_is_refused_and_the_text_kept(
    client, group, other_group, held, section, editor
):
    foreign = make_representative(other_group)
    said = "The company will publish its grievance figures."
    response = client.post(
        _url(group, held),
        {
            "part": "contribution",
            "section": section.pk,
            "speaker": f"user:{foreign.user_id}",
            "text": said,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a speaker from the group&#x27;s representatives." in page
    assert f">{said}</textarea>" in page
    assert _count(group, Contribution) == 0


def test_a_speaker_from_another_group_is_refused_on_an_autosave(
    client, group, other_group, minutes, held, editor
):
    speaker = make_representative(group)
    c = add_contribution(minutes, "What was said.", speaker=speaker)
    foreign = make_representative(other_group)
    response = client.post(
        _url(group, held),
        {
            "part": "contribution",
            "id": c.pk,
            "revision": c.revision,
            "speaker": f"user:{foreign.user_id}",
            "text": "What was said, edited.",
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "is-error" in response.content.decode()
    with group_scope(group):
        stored = Contribution.objects.get(pk=c.pk)
    assert (stored.text, stored.revision) == ("What was said.", c.revision)


def test_an_own_speaker_is_saved(client, group, held, section, editor):
    own = make_member(group)
    response = client.post(
        _url(group, held),
        {
            "part": "contribution",
            "section": section.pk,
            "speaker": f"user:{own.pk}",
            "text": "Yes.",
        },
    )
    assert response.status_code == 302
    assert _count(group, Contribution) == 1


def test_an_empty_decision_is_refused_with_its_reason(client, group, held, section, editor):
    response = client.post(
        _url(group, held), {"part": "decision", "section": section.pk, "text": "   "}
    )
    assert response.status_code == 400
    assert "Write the decision." in response.content.decode()
    assert _count(group, Decision) == 0


def test_a_topic_title_past_its_column_is_refused_not_cut(client, group, held, minutes, editor):
    title = "A" * 301
    response = client.post(_url(group, held), {"part": "section_new", "title": title})
    assert response.status_code == 400
    assert f'value="{title}"' in response.content.decode()
    with group_scope(group):
        assert not MinutesSection.objects.filter(title__startswith="AAA").exists()


def test_a_removal_needs_the_part_it_removes(client, group, held, section, editor):
    """``delete_*`` names an existing part: a section alone is not one (nothing removed)."""
    add_contribution(make_minutes(held), "What was said.")
    response = client.post(
        _url(group, held), {"part": "delete_contribution", "section": section.pk}
    )
    assert response.status_code == 404
    assert _count(group, Contribution) == 1


def test_an_outsider_saves_nothing(client, group, held, section, outsider):
    client.force_login(outsider)
    response = client.post(
        _url(group, held), {"part": "decision", "section": section.pk, "text": "Taken over."}
    )
    assert response.status_code == 404
    assert _count(group, Decision) == 0


def _section_post(section, revision, main_points):
    return {
        "part": "section",
        "id": section.pk,
        "revision": revision,
        "title": section.title,
        "main_points": main_points,
    }


def test_the_same_text_saved_twice_is_no_conflict(client, group, held, section, editor):
    """The autosave on leaving the field and a click on Save send the same text from the same
    revision: the second is not "someone else saved"."""
    url = _url(group, held)
    first = client.post(url, _section_post(section, section.revision, "Agreed."), **HTMX)
    again = client.post(url, _section_post(section, section.revision, "Agreed."), **HTMX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "Not saved" not in again.content.decode()
    with group_scope(group):
        assert MinutesSection.objects.get(pk=section.pk).main_points == "Agreed."


def test_a_change_from_another_tab_says_so(client, group, held, section, editor):
    url = _url(group, held)
    client.post(url, _section_post(section, section.revision, "From the first tab."), **HTMX)
    response = client.post(
        url, _section_post(section, section.revision, "From the second tab."), **HTMX
    )
    assert response.status_code == 409
    assert "you changed this text in another tab or window" in response.content.decode()


def test_a_change_by_someone_else_names_them(client, group, held, section, editor):
    colleague = make_secretariat(group, full_name="Lucía Pérez")
    with group_scope(group):
        service.save_section(
            section=section,
            actor=colleague,
            title=section.title,
            main_points="Lucía's text.",
            revision=section.revision,
        )
    response = client.post(
        _url(group, held), _section_post(section, section.revision, "Mine."), **HTMX
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        "Lucía Pérez saved this text since you opened it." in page and "Lucía&#x27;s text." in page
    )
    with group_scope(group):
        assert MinutesSection.objects.get(pk=section.pk).main_points == "Lucía's text."


def test_a_removal_from_an_autosaved_form_reloads_the_editor(client, group, held, minutes, editor):
    c = add_contribution(minutes, "What was said.")
    response = client.post(_url(group, held), {"part": "delete_contribution", "id": c.pk}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].endswith("/minutes/")
    assert _count(group, Contribution) == 0
