"""Adoption: circulated minutes are adopted at a later plenary of the group that has begun,
with a confirmation; members then see where they were adopted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Minutes
from meetings.services import minutes as service
from meetings.services.minutes import MinutesError
from tests.factories import (
    add_contribution,
    circulate_minutes,
    make_adopting_plenary,
    make_meeting,
    make_meeting_in_session,
    make_member,
    make_minutes,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(group):
    return make_secretariat(group)


@pytest.fixture
def circulated(group, secretariat):
    meeting = make_meeting_in_session(group, title="Plenary of September")
    minutes = make_minutes(meeting)
    add_contribution(minutes, "Something was said.")
    return circulate_minutes(minutes, secretariat)


def _page(group, minutes) -> str:
    return reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": minutes.meeting_id})


def _adopt(client, group, minutes, data):
    url = reverse("meetings:minutes_adopt", kwargs={"wg": group.slug, "pk": minutes.meeting_id})
    return client.post(url, data, follow=True)


def _status(group, minutes) -> str:
    with group_scope(group):
        return Minutes.objects.get(pk=minutes.pk).status


def test_a_plenary_to_come_is_not_offered_and_cannot_adopt(client, group, circulated, secretariat):
    future = make_meeting(group, "convened", days=30, title="Plenary of March")
    client.force_login(secretariat)
    page = client.get(_page(group, circulated)).content.decode()
    assert 'name="confirm"' not in page
    assert "the next is “Plenary of March”" in page
    response = _adopt(client, group, circulated, {"meeting": future.pk, "confirm": "on"})
    assert "this one has not taken place" in response.content.decode()
    assert _status(group, circulated) == "circulated"
    with group_scope(group), pytest.raises(MinutesError):
        service.adopt(minutes=circulated, actor=secretariat, meeting=future)


def test_adoption_needs_the_confirmation(client, group, circulated, secretariat):
    plenary = make_adopting_plenary(circulated)
    client.force_login(secretariat)
    response = _adopt(client, group, circulated, {"meeting": plenary.pk})
    assert "Confirm that the plenary adopted this version." in response.content.decode()
    assert _status(group, circulated) == "circulated"


def test_adopted_at_a_plenary_that_has_begun_and_members_see_where(
    client, group, circulated, secretariat
):
    plenary = make_adopting_plenary(circulated)
    client.force_login(secretariat)
    page = client.get(_page(group, circulated)).content.decode()
    assert f'<option value="{plenary.pk}">' in page and 'name="confirm"' in page
    response = _adopt(client, group, circulated, {"meeting": plenary.pk, "confirm": "on"})
    assert "The adoption is recorded." in response.content.decode()
    assert _status(group, circulated) == "adopted"
    client.force_login(make_member(group))
    assert f"Adopted at “{plenary.title}”" in client.get(_page(group, circulated)).content.decode()


def test_a_cancelled_or_earlier_plenary_cannot_adopt(client, group, circulated, secretariat):
    earlier = make_meeting(group, "held", days=-5)
    cancelled = make_adopting_plenary(circulated, status="cancelled")
    client.force_login(secretariat)
    for meeting in (earlier, cancelled):
        _adopt(client, group, circulated, {"meeting": meeting.pk, "confirm": "on"})
        assert _status(group, circulated) == "circulated"


def test_another_groups_plenary_cannot_adopt(client, group, other_group, circulated, secretariat):
    foreign = make_meeting(other_group, "held", days=-0.01)
    client.force_login(secretariat)
    _adopt(client, group, circulated, {"meeting": foreign.pk, "confirm": "on"})
    assert _status(group, circulated) == "circulated"


def test_an_outsider_cannot_adopt(client, group, circulated, outsider):
    plenary = make_adopting_plenary(circulated)
    client.force_login(outsider)
    url = reverse("meetings:minutes_adopt", kwargs={"wg": group.slug, "pk": circulated.meeting_id})
    assert client.post(url, {"meeting": plenary.pk, "confirm": "on"}).status_code == 404
    assert _status(group, circulated) == "circulated"


def test_reviews_name_the_pillar_in_words(client, group, circulated, secretariat):
    client.force_login(secretariat)
    page = client.get(_page(group, circulated)).content.decode()
    assert "Companies: Approve" in page and "companies: " not in page


def test_the_next_plenary_opens_with_the_approval_of_the_minutes(group, circulated, secretariat):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.services import meetings as meeting_service

    start = timezone.now() + timedelta(days=30)
    with group_scope(group):
        plenary = meeting_service.plan_meeting(
            working_group=group, actor=secretariat, kind="plenary", title="March", start=start
        )
        closed = meeting_service.plan_meeting(
            working_group=group, actor=secretariat, kind="coordination", title="C", start=start
        )
        first = plenary.agenda_items.order_by("position").first()
        assert first.topic == "Approval of the minutes of “Plenary of September”"
        assert not closed.agenda_items.exists()
        # Once adopted, the next plenary has nothing to approve.
        service.adopt(
            minutes=circulated, actor=secretariat, meeting=make_adopting_plenary(circulated)
        )
        later = meeting_service.plan_meeting(
            working_group=group,
            actor=secretariat,
            kind="plenary",
            title="June",
            start=start + timedelta(days=90),
        )
        assert not later.agenda_items.exists()


def test_the_meetings_list_says_circulated_then_adopted_and_stays_fresh(
    client, group, other_group, secretariat, circulated
):
    plenary = make_adopting_plenary(circulated)
    member = make_member(group)
    client.force_login(member)
    listing = reverse("meetings:list", kwargs={"wg": group.slug})
    assert "Minutes circulated, awaiting adoption" in client.get(listing).content.decode()
    with group_scope(group):
        service.adopt(minutes=circulated, actor=secretariat, meeting=plenary)
    # The kept list was retired by the adoption (a status write), not left for its lifetime.
    body = client.get(listing).content.decode()
    assert f"Minutes adopted at “{plenary.title}”" in body
    assert "awaiting adoption" not in body
    client.force_login(make_member(other_group))
    other_listing = reverse("meetings:list", kwargs={"wg": other_group.slug})
    assert plenary.title not in client.get(other_listing).content.decode()


def test_a_draft_is_not_announced_and_autosaves_keep_the_list(client, group, secretariat):
    """Only circulated and adopted minutes are mentioned; saving the text (often) does not
    retire the kept list, a change of status does."""
    from meetings.queries import meetings_cache

    meeting = make_meeting_in_session(group, title="Plenary of October")
    minutes = make_minutes(meeting)
    client.force_login(make_member(group))
    listing = reverse("meetings:list", kwargs={"wg": group.slug})
    assert (
        "Minutes" not in client.get(listing).content.decode().split("Plenary of October")[1][:400]
    )
    token = meetings_cache.token(group.pk)
    with group_scope(group):
        service.save_summary(
            minutes=minutes, actor=secretariat, summary="Opening words.", revision=minutes.revision
        )
    assert meetings_cache.token(group.pk) == token
    add_contribution(minutes, "Something was said.")
    assert meetings_cache.token(group.pk) == token
    circulate_minutes(minutes, secretariat)
    assert meetings_cache.token(group.pk) != token
    assert "Minutes circulated" in client.get(listing).content.decode()


def test_the_agreements_for_the_next_meeting_are_in_the_minutes(client, group, secretariat):
    from meetings.services import participation
    from tests.factories import make_guest

    meeting = make_meeting_in_session(group, title="Plenary of November")
    guest = make_guest(group, name="Dr. Ana Torres", organisation="ICoCA")
    with group_scope(group):
        participation.record_next(
            meeting=meeting,
            actor=secretariat,
            topics="Voluntary Principles in the new mining law\nICoC membership",
            venue="Arequipa",
            guests=[guest],
        )
    minutes = make_minutes(meeting)
    add_contribution(minutes, "Something was said.")
    circulate_minutes(minutes, secretariat)
    client.force_login(make_member(group))
    body = client.get(
        reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk})
    ).content.decode()
    section = body.split("Agreed for the next meeting", 1)[1]
    assert "Voluntary Principles in the new mining law" in section and "ICoC membership" in section
    assert "Arequipa" in section and "Dr. Ana Torres (ICoCA)" in section
