"""A member changes or withdraws the topic they proposed, while it is only a proposal; nobody
else's, and not once it is on an agenda."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import DiscussionTopic
from tests.factories import make_coordination, make_meeting, make_member, make_topic, sign_in
from vpswg.models import AuditEntry
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def url(group, name, **kw):
    return reverse(f"meetings:{name}", kwargs={"wg": group.slug, **kw})


def test_the_proposer_changes_their_topic(client, group):
    member = make_member(group)
    topic = make_topic(group, title="Consulta previa", user=member)
    sign_in(client, member)
    page = client.get(url(group, "topics")).content.decode()
    assert url(group, "topic_edit", pk=topic.pk) in page
    form = client.get(url(group, "topic_edit", pk=topic.pk)).content.decode()
    assert 'value="Consulta previa"' in form
    response = client.post(
        url(group, "topic_edit", pk=topic.pk),
        {"title": "Consulta previa y seguridad", "description": "Seed step 8."},
    )
    assert response.status_code == 302
    with group_scope(group):
        topic.refresh_from_db()
        assert (topic.title, topic.description) == ("Consulta previa y seguridad", "Seed step 8.")
        assert AuditEntry.objects.filter(verb="topic.edited", actor=member).exists()


def test_an_empty_title_is_refused_with_what_was_typed(client, group):
    member = make_member(group)
    topic = make_topic(group, title="Consulta previa", user=member)
    sign_in(client, member)
    response = client.post(
        url(group, "topic_edit", pk=topic.pk), {"title": "", "description": "Kept text"}
    )
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    with group_scope(group):
        topic.refresh_from_db()
        assert topic.title == "Consulta previa"


def test_the_proposer_withdraws_after_confirming(client, group):
    member = make_member(group)
    topic = make_topic(group, title="Consulta previa", user=member)
    sign_in(client, member)
    client.post(url(group, "topic_withdraw", pk=topic.pk))  # no confirmation: nothing happens
    with group_scope(group):
        topic.refresh_from_db()
        assert topic.status == DiscussionTopic.Status.PROPOSED
    client.post(url(group, "topic_withdraw", pk=topic.pk), {"confirm": "on"})
    with group_scope(group):
        topic.refresh_from_db()
        assert topic.status == DiscussionTopic.Status.WITHDRAWN
    assert "Consulta previa" not in client.get(url(group, "topics")).content.decode()


def test_nobody_else_changes_or_withdraws_it(client, group, other_group):
    proposer = make_member(group)
    topic = make_topic(group, title="Consulta previa", user=proposer)
    other_member = make_member(group)
    sign_in(client, other_member)
    assert (
        url(group, "topic_edit", pk=topic.pk)
        not in client.get(url(group, "topics")).content.decode()
    )
    assert client.get(url(group, "topic_edit", pk=topic.pk)).status_code == 404
    assert (
        client.post(url(group, "topic_withdraw", pk=topic.pk), {"confirm": "on"}).status_code == 404
    )
    client.logout()
    outsider = make_member(other_group)
    sign_in(client, outsider)
    # Another group's topic, even by id, is not there.
    assert client.get(url(other_group, "topic_edit", pk=topic.pk)).status_code == 404
    with group_scope(group):
        topic.refresh_from_db()
        assert (topic.title, topic.status) == ("Consulta previa", "proposed")


def test_a_scheduled_topic_is_the_secretariats(client, group):
    member = make_member(group)
    topic = make_topic(group, title="Consulta previa", user=member)
    meeting = make_meeting(group, "planned")
    sign_in(client, make_coordination(group))
    client.post(url(group, "topic_schedule", pk=topic.pk), {"meeting": meeting.pk})
    client.logout()
    sign_in(client, member)
    assert (
        url(group, "topic_edit", pk=topic.pk)
        not in client.get(url(group, "topics")).content.decode()
    )
    opened = client.get(url(group, "topic_edit", pk=topic.pk), follow=True)
    assert "on an agenda already" in opened.content.decode()  # no form that cannot be saved
    response = client.post(url(group, "topic_edit", pk=topic.pk), {"title": "Other"}, follow=True)
    assert "on an agenda already" in response.content.decode()
    with group_scope(group):
        topic.refresh_from_db()
        assert (topic.title, topic.status) == ("Consulta previa", "scheduled")
