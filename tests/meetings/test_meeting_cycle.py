"""The meeting cycle's first-week defects: planning checks the start and the duration, the
agenda says when it outgrows the meeting, a meeting's agreements go to one plenary only, and an
agenda item removed meanwhile is explained, not a bare 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from meetings.services import agreements, participation
from meetings.services import meetings as meeting_service
from tests.factories import (
    make_agenda_item,
    make_guest,
    make_meeting,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client, group):
    user = make_secretariat(group)
    client.force_login(user)
    return user


def _plan(client, group, **fields):
    data = {
        "kind": "plenary",
        "title": "Plenary of March",
        "start": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 120,
        "format": "dialogue",
        "venue": "Lima",
        **fields,
    }
    return client.post(reverse("meetings:new", kwargs={"wg": group.slug}), data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "2026-10-15T10:00"}, "Choose a start in the future."),
        ({"duration_minutes": 0}, "A meeting lasts from 1 minute to 12 hours."),
        ({"duration_minutes": 24 * 60}, "A meeting lasts from 1 minute to 12 hours."),
    ],
)
def test_planning_refuses_a_past_start_and_a_duration_that_is_none(
    client, group, secretariat, fields, message
):
    response = _plan(client, group, **fields)
    assert response.status_code == 200 and message in response.content.decode()
    with group_scope(group):
        assert not Meeting.objects.filter(title="Plenary of March").exists()


def test_a_meeting_planned_in_the_future_is_planned(client, group, secretariat):
    assert _plan(client, group).status_code == 302
    with group_scope(group):
        assert Meeting.objects.get(title="Plenary of March").duration_minutes == 120


def test_an_edit_that_keeps_a_past_start_is_accepted(client, group, secretariat):
    """A convened meeting that has begun can still have its venue corrected."""
    meeting = make_meeting(group, "convened", days=10)
    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=1))
        meeting.refresh_from_db()
    local = timezone.localtime(meeting.start, group.zone)
    response = client.post(
        reverse("meetings:edit", kwargs={"wg": group.slug, "pk": meeting.pk}),
        {
            "kind": "plenary",
            "title": meeting.title,
            "start": local.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": meeting.duration_minutes,
            "format": meeting.format,
            "venue": "Cusco",
        },
    )
    assert response.status_code == 302
    with group_scope(group):
        assert Meeting.objects.get(pk=meeting.pk).venue == "Cusco"


def test_the_agenda_says_when_it_outgrows_the_meeting(client, group, secretariat):
    meeting = make_meeting(group, days=10, duration_minutes=120)
    make_agenda_item(meeting, duration_minutes=90)
    url = reverse("meetings:detail", kwargs={"wg": group.slug, "pk": meeting.pk})
    assert "the meeting lasts" not in client.get(url).content.decode()
    response = client.post(
        reverse("meetings:agenda_add", kwargs={"wg": group.slug, "pk": meeting.pk}),
        {"topic": "Use of force", "format": "dialogue", "duration_minutes": 60},
        follow=True,
    )
    page = response.content.decode()
    assert "The agenda takes 150 minutes and the meeting lasts 120" in page


def _agreed(group, secretariat, guest):
    september = make_meeting(group, "held", days=-60)
    with group_scope(group):
        participation.record_next(
            meeting=september,
            actor=secretariat,
            topics="Draft law on private security companies\nICoC membership",
            venue="Cusco",
            guests=[guest],
        )
    return september


def _plan_plenary(group, secretariat, title, days):
    with group_scope(group):
        return meeting_service.plan_meeting(
            working_group=group,
            actor=secretariat,
            kind="plenary",
            title=title,
            start=timezone.now() + timedelta(days=days),
        )


def test_agreements_are_suggestions_taken_once(client, group, secretariat):
    """Planning adds nothing by itself (a second plenary planned got everything again); the
    new plenary's page offers each topic and guest, taken onto the agenda item chosen."""
    guest = make_guest(group, name="Dra. Rocío Ñáñez Quispe")
    _agreed(group, secretariat, guest)
    december = _plan_plenary(group, secretariat, "Dec", 20)
    march = _plan_plenary(group, secretariat, "Mar", 110)
    with group_scope(group):
        assert not december.agenda_items.exists() and not march.agenda_items.exists()
    page = client.get(reverse("meetings:detail", kwargs={"wg": group.slug, "pk": december.pk}))
    body = page.content.decode()
    assert "Draft law on private security companies" in body and "Dra. Rocío Ñáñez Quispe" in body
    suggestion = reverse("meetings:suggestion", kwargs={"wg": group.slug, "pk": december.pk})
    client.post(suggestion, {"topic": "Draft law on private security companies"})
    with group_scope(group):
        (item,) = december.agenda_items.all()
        assert item.topic == "Draft law on private security companies"
    client.post(suggestion, {"guest": guest.pk, "item": item.pk})
    client.post(suggestion, {"topic": "ICoC membership", "set_aside": "1"})
    with group_scope(group):
        assert list(item.guests.all()) == [guest]
        assert december.agenda_items.count() == 1  # set aside: not added
    # Taken once: offered neither here again nor to March, and a second take is refused.
    body = client.get(reverse("meetings:detail", kwargs={"wg": group.slug, "pk": december.pk}))
    assert 'id="suggestions"' not in body.content.decode()
    body = client.get(reverse("meetings:detail", kwargs={"wg": group.slug, "pk": march.pk}))
    assert 'id="suggestions"' not in body.content.decode()
    response = client.post(
        reverse("meetings:suggestion", kwargs={"wg": group.slug, "pk": march.pk}),
        {"topic": "Draft law on private security companies"},
        follow=True,
    )
    assert "Nothing agreed at an earlier meeting is waiting" in response.content.decode()
    with group_scope(group):
        assert not march.agenda_items.exists()


def test_what_a_cancelled_plenary_took_is_offered_again(client, group, secretariat):
    guest = make_guest(group)
    _agreed(group, secretariat, guest)
    december = _plan_plenary(group, secretariat, "Dec", 20)
    suggestion = reverse("meetings:suggestion", kwargs={"wg": group.slug, "pk": december.pk})
    client.post(suggestion, {"topic": "ICoC membership"})
    with group_scope(group):
        meeting_service.convene(meeting=december, actor=secretariat)
        meeting_service.cancel(meeting=december, actor=secretariat, reason="Strike.")
    march = _plan_plenary(group, secretariat, "Mar", 110)
    body = client.get(reverse("meetings:detail", kwargs={"wg": group.slug, "pk": march.pk}))
    offered = body.content.decode().split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert "ICoC membership" in offered and "Draft law" in offered


def test_a_guest_goes_only_onto_an_item_of_this_meeting(client, group, other_group, secretariat):
    guest = make_guest(group)
    _agreed(group, secretariat, guest)
    december = _plan_plenary(group, secretariat, "Dec", 20)
    elsewhere = make_agenda_item(make_meeting(group, "planned"))
    suggestion = reverse("meetings:suggestion", kwargs={"wg": group.slug, "pk": december.pk})
    response = client.post(suggestion, {"guest": guest.pk, "item": elsewhere.pk}, follow=True)
    assert response.status_code == 200
    with group_scope(group):
        assert not elsewhere.guests.exists()
        assert not december.agenda_items.exists()
    # Another group's Secretariat: the meeting is not there.
    client.force_login(make_secretariat(other_group))
    response = client.post(
        reverse("meetings:suggestion", kwargs={"wg": other_group.slug, "pk": december.pk}),
        {"topic": "ICoC membership"},
    )
    assert response.status_code == 404


def test_planning_prefills_the_agreed_venue(client, group, secretariat):
    _agreed(group, secretariat, make_guest(group))
    form = client.get(reverse("meetings:new", kwargs={"wg": group.slug})).content.decode()
    assert 'value="Cusco"' in form


def test_an_agenda_item_removed_meanwhile_is_explained(client, group, secretariat):
    meeting = make_meeting(group, days=10)
    item = make_agenda_item(meeting)
    edit = reverse(
        "meetings:agenda_edit", kwargs={"wg": group.slug, "pk": meeting.pk, "item": item.pk}
    )
    delete = reverse(
        "meetings:agenda_delete", kwargs={"wg": group.slug, "pk": meeting.pk, "item": item.pk}
    )
    assert client.post(delete).status_code == 302
    # The browser's Back, then Save: the form posts to the removed item.
    response = client.post(edit, {"topic": "Edited", "format": "dialogue", "duration_minutes": 30})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This agenda item is no longer on the agenda: it was removed." in page
    with group_scope(group):
        assert not AgendaItem.objects.filter(topic="Edited").exists()


def test_an_outsider_reaches_no_agenda_item(client, group, outsider):
    meeting = make_meeting(group, days=10)
    item = make_agenda_item(meeting)
    client.force_login(outsider)
    edit = reverse(
        "meetings:agenda_edit", kwargs={"wg": group.slug, "pk": meeting.pk, "item": item.pk}
    )
    assert client.get(edit).status_code == 404


def test_an_answer_updates_the_counts_beside_it(client, group, other_group):
    """The counts were "0 yes / 2 no answer yet" after answering, until a reload."""
    rep = make_representative(group)
    make_representative(group)
    meeting = make_meeting(group, "convened")
    client.force_login(rep.user)
    url = reverse("meetings:answer", kwargs={"wg": group.slug, "pk": meeting.pk})
    response = client.post(url, {"answer": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    counts = page[page.index('id="invitations"') :]
    assert 'hx-swap-oob="true"' in counts[:200]
    assert re.search(r'vote-approve">1</span>', counts) and re.search(r'vote">1</span>', counts)
    # Another group's member answers nothing here.
    client.force_login(make_representative(other_group).user)
    assert client.post(url, {"answer": "no"}, HTTP_HX_REQUEST="true").status_code == 404


def test_a_topic_with_nothing_to_share_is_not_an_empty_heading(group, secretariat):
    """The dissemination version lists the topics discussed; one whose only record is who
    said what (not in this version) printed as a heading with nothing under it."""
    from django.template.loader import render_to_string

    from meetings.services import redaction
    from tests.factories import add_contribution, make_meeting_in_session, make_minutes

    meeting = make_meeting_in_session(group, ("Use of force", "Grievance mechanisms"))
    minutes = make_minutes(meeting)
    with group_scope(group):
        second = minutes.sections.order_by("position")[1]
    add_contribution(minutes, "Only said, not for sharing.", section=second)
    with group_scope(group):
        content = redaction.dissemination(minutes)
    html = render_to_string(
        "meetings/minutes/includes_rendering.html",
        {"content": content, "rendering": "dissemination"},
    )
    assert "2. Grievance mechanisms" in html and "Only said" not in html
    assert html.count("nothing was recorded under it to share") == 2


def test_members_see_how_many_observers_attended(client, group, secretariat):
    from tests.factories import make_meeting_in_session, make_observer

    observer = make_observer(group)
    member = make_representative(group)
    meeting = make_meeting_in_session(group)
    with group_scope(group):
        participation.record_attendance(
            meeting=meeting, actor=secretariat, present=[observer, member.user]
        )
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", kwargs={"wg": group.slug, "pk": meeting.pk}))
    row = re.search(
        r'Observers</th><td class="num">(\d+)</td><td class="num">(\d*)</td>', page.content.decode()
    )
    assert row is not None and row.groups() == ("1", "1")


def test_a_guest_speakers_notice_offers_no_institution_form(group):
    """The guest was told "the form to say whether your institution will attend" is on the
    page: guests have no such form."""
    from vpswg.models import Notification

    guest = make_guest(group, name="Dr. Pablo Quispe", email="pablo@ombudsman.example")
    rep = make_representative(group)
    meeting = make_meeting(group, "planned")
    make_agenda_item(meeting, topic="The ombudsman report", guests=[guest])
    with group_scope(group):
        meeting_service.convene(meeting=meeting)
        guest.refresh_from_db()
        notices = {
            n.recipient_id: n.body for n in Notification.objects.filter(kind="meeting_convened")
        }
    assert "items you are invited to speak at" in notices[guest.user_id]
    assert "your institution will attend" not in notices[guest.user_id]
    assert "your institution will attend" in notices[rep.user_id]


def test_what_the_agenda_has_already_is_not_offered(client, group, secretariat):
    guest = make_guest(group)
    _agreed(group, secretariat, guest)
    december = _plan_plenary(group, secretariat, "Dec", 20)
    make_agenda_item(december, topic="icoc MEMBERSHIP", guests=[guest])
    with group_scope(group):
        offered = agreements.suggestions_for(december)
    assert offered.topics == ["Draft law on private security companies"]
    assert offered.guests == []
