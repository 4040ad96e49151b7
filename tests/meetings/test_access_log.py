"""The access log: one row per reader, rendering, version and day with how many times;
members' web reads included, the Secretariat's editing shown apart and not counted; filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import MinutesAccess
from meetings.services import minutes as service
from tests.factories import (
    add_contribution,
    circulate_minutes,
    make_meeting_in_session,
    make_minutes,
    make_representative,
    make_secretariat,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(group):
    return make_secretariat(group, full_name="Lucía Paredes")


@pytest.fixture
def circulated(group, secretariat):
    meeting = make_meeting_in_session(group, title="Plenary of September")
    minutes = make_minutes(meeting)
    add_contribution(minutes, "Something was said.")
    return circulate_minutes(minutes, secretariat)


def _rows(group, **filters):
    with group_scope(group):
        return list(
            MinutesAccess.objects.filter(**filters).values_list("kind", "version_number", "count")
        )


def test_a_member_reading_five_times_is_one_row_of_five(client, group, circulated):
    member = make_representative(group)
    client.force_login(member.user)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": circulated.meeting_id})
    for _ in range(5):
        assert client.get(url).status_code == 200
    client.get(url + "?version=dissemination")
    assert sorted(_rows(group, user=member.user)) == [("dissemination", 1, 1), ("members", 1, 5)]


def test_the_secretariats_editing_is_apart_and_not_counted(client, group, secretariat):
    meeting = make_meeting_in_session(group)
    minutes = make_minutes(meeting)
    client.force_login(secretariat)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk})
    for _ in range(3):
        client.get(url)
    assert _rows(group, user=secretariat) == [("edited", None, 3)]
    with group_scope(group):
        assert service.readers(minutes) == 0


def test_the_log_page_counts_readers_and_filters(client, group, circulated, secretariat):
    first, second = make_representative(group), make_representative(group)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": circulated.meeting_id})
    for rep in (first, second):
        client.force_login(rep.user)
        client.get(url)
    client.force_login(secretariat)
    log = reverse("meetings:minutes_access", kwargs={"wg": group.slug, "pk": circulated.meeting_id})
    page = client.get(log).content.decode()
    assert "2 people have read these minutes" in page
    only = client.get(log, {"reader": first.user_id}).content.decode()
    assert first.user.get_full_name() in only.split("<tbody>")[1]
    assert second.user.get_full_name() not in only.split("<tbody>")[1]
    refused = client.get(log, {"since": "2026-12-31", "until": "2026-01-01"})
    assert "The end of the period is before its start." in refused.content.decode()


def test_an_outsider_reads_no_log(client, group, circulated, outsider):
    client.force_login(outsider)
    log = reverse("meetings:minutes_access", kwargs={"wg": group.slug, "pk": circulated.meeting_id})
    assert client.get(log).status_code == 404


def test_the_minutes_page_shows_how_many_have_read_them(client, group, circulated, secretariat):
    member = make_representative(group)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": circulated.meeting_id})
    client.force_login(member.user)
    client.get(url)
    client.force_login(secretariat)
    # The member, and the Secretariat reading the attributed version now.
    assert "Access log: 2 readers" in client.get(url).content.decode()
