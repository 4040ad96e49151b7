"""In-app notices read in the reader's language of the moment, not the one they were written
in: the subject is kept in every language of the site (``Notification.titles``); the e-mail
stays in the recipient's own."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import make_group, make_meeting, make_member, make_user, sign_in
from vpswg.models import Notification
from vpswg.scoping import group_scope
from vpswg.services.notifications import Recipient, notify

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LIMA = ZoneInfo("America/Lima")


def test_no_subject_depends_on_its_reader():
    """``notify`` renders a subject once per language for all recipients, without
    ``recipient`` in its context: a subject that named its reader would name nobody."""
    subjects = sorted((ROOT / "templates" / "notifications").glob("*/subject.txt"))
    assert len(subjects) >= 31
    for path in subjects:
        source = path.read_text()
        assert "recipient" not in source, path
        assert "{% include" not in source and "{% extends" not in source, path


@pytest.fixture
def lima():
    return make_group("lima", name="Grupo Lima", default_language="es", timezone="America/Lima")


def convene_notice(group, users):
    """The convening notice of a plenary on 19 December 2026, 18:00 in Lima (23:00 UTC: the
    date must be the group's, not UTC's, in every language)."""
    meeting = make_meeting(group, title="Plenaria")
    start = datetime(2026, 12, 19, 23, 0, tzinfo=ZoneInfo("UTC"))
    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=start)
        meeting.refresh_from_db()
        return notify(
            working_group=group,
            recipients=users,
            kind="meeting_convened",
            key="titles",
            context={"meeting": meeting, "zone": group.zone, "as_guest": False},
            link=f"/{group.slug}/",
        )


def notice_titles(client, language: str) -> list[str]:
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("notifications")).content.decode()
    return re.findall(r'<span class="notification-subject">([^<]*)</span>', page)


def test_a_notice_reads_in_the_language_the_reader_has_now(client, lima):
    reader = make_member(lima, language="es")
    (nid,) = convene_notice(lima, [reader])
    with group_scope(lima):
        row = Notification.objects.get(pk=nid)
    # The e-mail was written in the reader's own language.
    assert row.subject == "Invitación: Plenaria, 19 Dic 2026"
    assert set(row.titles) == {code for code, _name in settings.LANGUAGES}
    sign_in(client, reader)
    assert notice_titles(client, "en") == ["Invitation: Plenaria, 19 Dec 2026"]
    assert notice_titles(client, "es") == ["Invitación: Plenaria, 19 Dic 2026"]
    assert notice_titles(client, "fr") == ["Invitation\u00a0: Plenaria, 19 Déc 2026"]


def test_an_outsider_never_sees_the_notice(client, lima, other_group, outsider):
    reader = make_member(lima, language="es")
    (nid,) = convene_notice(lima, [reader])
    (own,) = convene_notice(other_group, [outsider])  # the outsider's own, in their group
    sign_in(client, outsider)
    for language in ("en", "es", "fr"):
        assert len(notice_titles(client, language)) == 1
        page = client.get(reverse("notifications")).content.decode()
        assert reverse("notification_open", kwargs={"pk": own}) in page
        assert reverse("notification_open", kwargs={"pk": nid}) not in page
    assert client.get(reverse("notification_open", kwargs={"pk": nid})).status_code == 404


def test_the_list_costs_the_same_queries_in_every_language(client, lima):
    reader = make_member(lima, language="es")
    convene_notice(lima, [reader])
    sign_in(client, reader)
    counts = []
    for language in ("es", "en", "fr"):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications")).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1


def test_the_e_mail_is_in_the_recipients_language_else_the_groups(lima):
    own = make_user(language="en")
    none = make_user(language="")
    applicant = Recipient(email="applicant@example.test", language="fr")
    bare = Recipient(email="bare@example.test")
    ids = convene_notice(lima, [own, none, applicant, bare])
    with group_scope(lima):
        rows = {n.email: n for n in Notification.objects.filter(pk__in=ids)}
    assert rows[own.email].language == "en"
    assert rows[own.email].subject == "Invitation: Plenaria, 19 Dec 2026"
    assert rows[none.email].language == "es"
    assert rows[none.email].subject == "Invitación: Plenaria, 19 Dic 2026"
    assert rows["applicant@example.test"].language == "fr"
    assert rows["applicant@example.test"].subject.endswith("19 Déc 2026")
    assert rows["bare@example.test"].language == "es"
    # Every row carries the same titles, whatever its recipient's language.
    assert len({tuple(sorted(r.titles.items())) for r in rows.values()}) == 1


def test_a_notice_written_before_titles_falls_back_to_its_subject(client, lima):
    """Rows from before migration 0012 carry their one language (or nothing): the page shows
    the subject in any other language rather than nothing."""
    reader = make_member(lima)
    (nid,) = convene_notice(lima, [reader])
    with group_scope(lima):
        Notification.objects.filter(pk=nid).update(titles={"es": "Título antiguo"})
    sign_in(client, reader)
    assert notice_titles(client, "es") == ["Título antiguo"]
    with group_scope(lima):
        subject = Notification.objects.get(pk=nid).subject
    assert notice_titles(client, "en") == [subject]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_existing_notice_in_its_language(lima):
    spanish, english = make_user(language="es"), make_user(language="en")
    ids = convene_notice(lima, [spanish, english])
    executor = MigrationExecutor(connection)
    executor.migrate([("vpswg", "0011_alter_user_language_and_more")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with group_scope(lima):
        rows = {n.recipient_id: n for n in Notification.objects.filter(pk__in=ids)}
    assert rows[spanish.pk].titles == {"es": "Invitación: Plenaria, 19 Dic 2026"}
    assert rows[english.pk].titles == {"en": "Invitation: Plenaria, 19 Dec 2026"}
