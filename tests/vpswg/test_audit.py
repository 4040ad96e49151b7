"""The audit log: written by services, append-only down to the database, read per group."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import make_member, make_secretariat, sign_in
from vpswg.models import AuditEntry
from vpswg.models.audit import AppendOnlyError
from vpswg.scoping import group_scope
from vpswg.services.audit import record

pytestmark = pytest.mark.django_db


def test_services_record_who_did_what(group):
    actor = make_secretariat(group)
    member = make_member(group)
    with group_scope(group):
        entries = AuditEntry.objects.filter(data__user=member.pk).values_list("verb", "to_state")
        assert ("role.granted", "member") in set(entries)
        entry = record(
            working_group=group,
            actor=actor,
            verb="test.moved",
            obj=group,
            from_state="draft",
            to_state="submitted",
        )
    assert (entry.actor, entry.object_type, entry.object_id) == (
        actor,
        "vpswg.workinggroup",
        str(group.pk),
    )


def test_entries_cannot_be_changed_or_deleted(group):
    with group_scope(group):
        entry = record(working_group=group, actor=None, verb="test.event")
        entry.verb = "rewritten"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).update(verb="rewritten")
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE vpswg_auditentry SET verb = 'rewritten' WHERE id = %s",
        "DELETE FROM vpswg_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_changes_too(group, sql):
    with group_scope(group):
        entry = record(working_group=group, actor=None, verb="test.event")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute(sql, [entry.pk])


def test_the_secretariat_reads_its_own_groups_log_only(client, group, other_group):
    secretariat = make_secretariat(group)
    with group_scope(other_group):
        record(working_group=other_group, actor=None, verb="beta.secret", data={})
    with group_scope(group):
        record(working_group=group, actor=secretariat, verb="alpha.visible", data={})
    sign_in(client, secretariat)
    response = client.get(reverse("group:audit", kwargs={"wg": group.slug}))
    body = response.content.decode()
    assert "alpha.visible" in body and "beta.secret" not in body


def test_filter_by_action_and_htmx_partial(client, group):
    secretariat = make_secretariat(group)
    with group_scope(group):
        record(working_group=group, actor=None, verb="minutes.submitted")
        record(working_group=group, actor=None, verb="meeting.convened")
    sign_in(client, secretariat)
    url = reverse("group:audit", kwargs={"wg": group.slug})
    response = client.get(url, {"verb": "minutes."}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "minutes.submitted" in body and "meeting.convened" not in body
    assert "<html" not in body  # the partial, not the page
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_a_nul_in_the_filter_is_refused_not_a_server_error(client, group):
    """PostgreSQL refuses NUL in a string: the request is refused (400) before the filter
    reaches the database (``vpswg.middleware.RefuseNulMiddleware``), instead of a 500."""
    secretariat = make_secretariat(group)
    with group_scope(group):
        record(working_group=group, actor=None, verb="minutes.submitted")
        record(working_group=group, actor=None, verb="meeting.convened")
    sign_in(client, secretariat)
    url = reverse("group:audit", kwargs={"wg": group.slug})
    assert client.get(url, {"verb": "\x00"}).status_code == 400
    assert client.get(url, {"verb": "minutes.\x00"}).status_code == 400
    body = client.get(url, {"verb": "minutes."}).content.decode()
    assert "minutes.submitted" in body and "meeting.convened" not in body
