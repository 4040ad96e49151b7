"""Attendance as a Secretariat records it: by pillar and institution, started from the answers,
with substitutes and walk-ins; guest speakers say themselves whether they will come."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Guest, GuestReply, Meeting
from meetings.services import participation
from tests.factories import (
    make_agenda_item,
    make_guest,
    make_institution,
    make_meeting,
    make_member,
    make_representative,
    make_secretariat,
    make_user,
)
from vpswg.roles import Pillar
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def url(group, name, **kw):
    return reverse(f"meetings:{name}", kwargs={"wg": group.slug, **kw})


def _started(meeting):
    with group_scope(meeting.working_group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(minutes=30))
        meeting.refresh_from_db()
    return meeting


@pytest.fixture
def table(group):
    """A convened plenary: a company that said yes for one of its two representatives, a
    ministry that said no, an NGO that has not answered."""
    company = make_institution(group, name="Minera Andina", pillar=Pillar.COMPANIES)
    ministry = make_institution(
        group, name="Ministerio del Interior", pillar=Pillar.GOVERNMENT, kind="national_government"
    )
    ngo = make_institution(
        group, name="Red Muqui", pillar=Pillar.CIVIL_SOCIETY, kind="ngo_academic"
    )
    announced = make_representative(group, make_user(full_name="Ana Announced"), company)
    substitute = make_representative(group, make_user(full_name="Sara Substitute"), company)
    official = make_representative(group, make_user(full_name="Omar Official"), ministry)
    activist = make_representative(group, make_user(full_name="Nina Activist"), ngo)
    meeting = make_meeting(group, "convened", title="Plenary of June")
    with group_scope(group):
        by_institution = {i.institution_id: i for i in meeting.invitations.all()}
        participation.answer(
            invitation=by_institution[company.pk],
            actor=announced.user,
            answer="yes",
            attendees=[announced.user],
        )
        participation.answer(
            invitation=by_institution[ministry.pk], actor=official.user, answer="no"
        )
    return {
        "meeting": meeting,
        "announced": announced.user,
        "substitute": substitute.user,
        "official": official.user,
        "activist": activist.user,
    }


def _checked(body: str, user) -> bool:
    tag = re.search(
        rf'<input[^>]*value="{user.pk}" id="attendance-present-\d+-{user.pk}"[^>]*>', body
    )
    assert tag is not None, user
    return " checked" in tag.group(0)


def test_the_form_is_by_pillar_and_starts_from_the_answers(client, group, table):
    meeting = _started(table["meeting"])
    client.force_login(make_secretariat(group))
    body = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    form = body.split('id="attendance"', 1)[1].split("</form>", 1)[0]
    # Pillars in order, each with its institutions and their answers.
    assert form.index("<legend>Companies</legend>") < form.index("<legend>Government</legend>")
    assert form.index("<legend>Government</legend>") < form.index("<legend>Civil society</legend>")
    assert (
        form.index("Minera Andina")
        < form.index("Ministerio del Interior")
        < form.index("Red Muqui")
    )
    assert "answer-yes" in form and "answer-no" in form and "answer-pending" in form
    # Announced: ticked; everyone else, including the company's other representative: not.
    assert _checked(form, table["announced"])
    for user in (table["substitute"], table["official"], table["activist"]):
        assert not _checked(form, user), user


def test_a_substitute_is_recorded_and_named(client, group, table):
    meeting = _started(table["meeting"])
    client.force_login(make_secretariat(group))
    response = client.post(
        url(group, "attendance", pk=meeting.pk),
        {"present": [table["substitute"].pk, table["activist"].pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 people present." in body and "1 substitute: Sara Substitute." in body
    with group_scope(group):
        assert set(Attendance.objects.values_list("user_id", flat=True)) == {
            table["substitute"].pk,
            table["activist"].pk,
        }
    # Recorded once: the form now shows what was recorded, not the answers.
    page = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    form = page.split('id="attendance"', 1)[1].split("</form>", 1)[0]
    assert _checked(form, table["substitute"]) and not _checked(form, table["announced"])


def test_walk_ins_become_guests_of_the_meeting_once(client, group, table):
    meeting = _started(table["meeting"])
    client.force_login(make_secretariat(group))
    data = {
        "present": [table["announced"].pk],
        "walk_ins": "Lucía Quispe, Universidad Católica\n\n  Pedro Ruiz  \n",
    }
    assert client.post(url(group, "attendance", pk=meeting.pk), data).status_code == 302
    assert client.post(url(group, "attendance", pk=meeting.pk), data).status_code == 302
    with group_scope(group):
        walked_in = Guest.objects.filter(name__in=["Lucía Quispe", "Pedro Ruiz"])
        assert sorted(walked_in.values_list("name", "organisation")) == [
            ("Lucía Quispe", "Universidad Católica"),
            ("Pedro Ruiz", ""),
        ]  # the second recording found them in the register: no duplicates
        meeting.refresh_from_db()
        assert set(meeting.guests_present.all()) == set(walked_in)
    # They are offered, ticked, among the meeting's guests from now on.
    page = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    form = page.split('id="attendance"', 1)[1].split("</form>", 1)[0]
    assert "Lucía Quispe (Universidad Católica)" in form


def test_a_walk_in_without_a_name_is_refused_and_nothing_lost(client, group, table):
    meeting = _started(table["meeting"])
    client.force_login(make_secretariat(group))
    response = client.post(
        url(group, "attendance", pk=meeting.pk),
        {"present": [table["announced"].pk], "walk_ins": "Lucía Quispe, UC\n, Defensoría"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 2 has an organisation but no name." in body
    assert "Lucía Quispe, UC" in body  # what was typed is kept
    with group_scope(group):
        assert not Attendance.objects.exists()
        assert not Guest.objects.filter(name="Lucía Quispe").exists()
        meeting.refresh_from_db()
        assert meeting.status == "convened"


def test_someone_of_another_institution_or_group_is_refused(client, group, other_group, table):
    meeting = _started(table["meeting"])
    stranger = make_member(other_group)
    client.force_login(make_secretariat(group))
    response = client.post(
        url(group, "attendance", pk=meeting.pk),
        {"present": [table["announced"].pk, stranger.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    with group_scope(group):
        assert not Attendance.objects.exists()


def _guest_at(group, meeting, **fields):
    guest = make_guest(group, **fields)
    make_agenda_item(meeting, topic="The ombudsman's report", guests=[guest])
    with group_scope(group):
        guest.refresh_from_db()
    return guest


def test_a_guest_speaker_says_they_will_come(client, group, table):
    meeting = table["meeting"]
    guest = _guest_at(group, meeting, name="Dra. Rocío Ñáñez", organisation="Defensoría")
    client.force_login(guest.user)
    page = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    assert (
        "Will you attend?" in page and "institution" not in page.split("guest-reply", 1)[1][:2000]
    )
    response = client.post(
        url(group, "guest_reply", pk=meeting.pk), {"answer": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "your answer is recorded" in response.content.decode()
    with group_scope(group):
        assert GuestReply.objects.get(meeting=meeting, guest=guest).answer == "yes"
    # The Secretariat sees it, and the attendance starts with the guest ticked.
    client.force_login(make_secretariat(group))
    page = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    assert 'Dra. Rocío Ñáñez (Defensoría): <span class="answer answer-yes">I will attend' in page
    _started(meeting)
    page = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    form = page.split('id="attendance"', 1)[1].split("</form>", 1)[0]
    guest_input = form.split(f'value="{guest.pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in guest_input
    assert "Dra. Rocío Ñáñez (Defensoría) — I will attend" in form


def test_only_the_meetings_own_guests_answer_and_not_after_the_start(
    client, group, other_group, table
):
    meeting = table["meeting"]
    guest = _guest_at(group, meeting)
    other_meeting = make_meeting(group, "convened")
    elsewhere = _guest_at(group, other_meeting)
    client.force_login(elsewhere.user)
    assert (
        client.post(url(group, "guest_reply", pk=meeting.pk), {"answer": "yes"}).status_code == 404
    )
    client.force_login(table["activist"])  # a member: answers for the institution, not here
    assert (
        client.post(url(group, "guest_reply", pk=meeting.pk), {"answer": "yes"}).status_code == 404
    )
    client.force_login(make_secretariat(other_group))
    assert (
        client.post(url(group, "guest_reply", pk=meeting.pk), {"answer": "yes"}).status_code == 404
    )
    client.force_login(guest.user)
    assert (
        client.post(url(group, "guest_reply", pk=meeting.pk), {"answer": "perhaps"}).status_code
        == 400
    )
    _started(meeting)
    response = client.post(url(group, "guest_reply", pk=meeting.pk), {"answer": "no"})
    assert response.status_code == 400
    with group_scope(group):
        assert not GuestReply.objects.exists()


def test_the_editors_speaker_menu_lists_who_was_there(client, group, table):
    """Before attendance, every representative; after, those present, the meeting's guests,
    and a speaker chosen earlier (marked), never silently replaced."""
    from meetings.models import Contribution
    from tests.factories import add_contribution, make_minutes

    meeting = _started(table["meeting"])
    guest = _guest_at(group, meeting, name="Dra. Rocío Ñáñez", organisation="Defensoría")
    secretariat = make_secretariat(group)
    minutes = make_minutes(meeting, actor=secretariat)
    with group_scope(group):
        official = table["official"].representations.get()
    add_contribution(minutes, "The ministry spoke.", speaker=official, actor=secretariat)
    client.force_login(secretariat)
    editor = url(group, "minutes", pk=meeting.pk)
    before = client.get(editor).content.decode()
    for user in ("announced", "substitute", "official", "activist"):
        assert f'value="user:{table[user].pk}"' in before
    participation_url = url(group, "attendance", pk=meeting.pk)
    client.post(participation_url, {"present": [table["announced"].pk], "guests": [guest.pk]})
    after = client.get(editor).content.decode()
    assert f'value="user:{table["announced"].pk}"' in after
    assert f'value="guest:{guest.pk}"' in after
    assert f'value="user:{table["substitute"].pk}"' not in after
    assert f'value="user:{table["activist"].pk}"' not in after
    # The ministry's speaker was not recorded as present: still offered, selected, marked.
    chosen = after.split(f'value="user:{table["official"].pk}"', 1)[1].split("</option>", 1)[0]
    assert "selected" in chosen and "not recorded as present" in chosen
    with group_scope(group):
        assert Contribution.objects.count() == 1
