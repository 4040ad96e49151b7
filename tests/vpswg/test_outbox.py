"""The notification outbox: rows in the transaction, delivery after commit, exactly once,
failures recorded and retried, one recipient per e-mail, in-app notices."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta

import psycopg2
import pytest
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_meeting, make_member, make_user, sign_in
from vpswg.models import Notification
from vpswg.scoping import group_scope
from vpswg.services import notifications
from vpswg.services.notifications import Recipient, deliver, message_id, notify, sweep

pytestmark = pytest.mark.django_db


def queue(group, users, key="event-1", **kw):
    with group_scope(group):
        return notify(
            working_group=group,
            recipients=users,
            kind="role_granted",
            key=key,
            context={"role": "member"},
            link=f"/{group.slug}/",
            **kw,
        )


def test_notify_writes_one_row_per_recipient(group):
    a, b = make_user(), make_user()
    ids = queue(group, [a, b])
    with group_scope(group):
        rows = Notification.objects.filter(pk__in=ids)
        assert {r.recipient_id for r in rows} == {a.pk, b.pk}
        assert {r.email for r in rows} == {a.email, b.email}
        assert all(r.status == "pending" for r in rows)


def test_the_same_event_twice_adds_nothing(group):
    user = make_user()
    assert len(queue(group, [user])) == 1
    assert queue(group, [user]) == []
    with group_scope(group):
        assert Notification.objects.filter(recipient=user).count() == 1


def test_delivery_waits_for_commit_and_a_rollback_sends_nothing(
    group, smtp_server, django_capture_on_commit_callbacks
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                queue(group, [user])
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    with group_scope(group):
        assert not Notification.objects.exists()
    assert smtp_server.recorder.received == []


def test_after_commit_each_recipient_gets_exactly_one_e_mail(
    group, smtp_server, django_capture_on_commit_callbacks, eager_tasks
):
    users = [make_user() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        queue(group, users)
    received = smtp_server.recorder.wait_for(3)
    assert sorted(r for m in received for r in m.recipients) == sorted(u.email for u in users)
    for mail in received:
        assert len(mail.recipients) == 1  # never a visible list
        assert str(mail.message["To"]) == mail.recipients[0]
        assert "Cc" not in mail.message and "Bcc" not in mail.message
        assert f"http://127.0.0.1:8000/{group.slug}/" in mail.text
    with group_scope(group):
        assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_delivering_twice_sends_once(group, smtp_server):
    ids = queue(group, [make_user()])
    with group_scope(group):
        first = deliver(ids)
        second = deliver(ids)
    assert first.sent == ids and second.skipped == ids
    assert len(smtp_server.recorder.received) == 1
    with group_scope(group):
        row = Notification.objects.get(pk=ids[0])
    assert smtp_server.recorder.received[0].message["Message-ID"] == message_id(row.key)
    assert row.attempts == 1 and row.sent_at is not None


def test_a_refused_message_is_recorded_and_retried_while_others_go(group, smtp_server):
    refused, fine = make_user(email="refused@example.test"), make_user(email="fine@example.test")
    smtp_server.recorder.refuse.add("refused@example.test")
    ids = queue(group, [refused, fine])
    with group_scope(group):
        result = deliver(ids)
        bad = Notification.objects.get(recipient=refused)
        good = Notification.objects.get(recipient=fine)
    assert result.failed == [bad.pk] and result.sent == [good.pk]
    assert result.retry_in == notifications.base_backoff() == 30
    assert bad.status == "pending" and bad.attempts == 1
    assert "refused" in bad.last_error.lower() or "550" in bad.last_error
    assert bad.next_attempt_at > timezone.now()
    assert [m.recipients for m in smtp_server.recorder.received] == [["fine@example.test"]]
    # The server accepts it again: the retry sends it, once.
    smtp_server.recorder.refuse.clear()
    with group_scope(group):
        assert deliver([bad.pk]).sent == [bad.pk]
        assert deliver([bad.pk]).skipped == [bad.pk]
    assert len(smtp_server.recorder.to("refused@example.test")) == 1


def test_a_row_that_keeps_failing_ends_failed(group, smtp_server):
    smtp_server.recorder.refuse.add("never@example.test")
    ids = queue(group, [make_user(email="never@example.test")])
    with group_scope(group):
        for _ in range(notifications.MAX_ATTEMPTS):
            deliver(ids)
        row = Notification.objects.get(pk=ids[0])
    assert row.status == "failed" and row.attempts == notifications.MAX_ATTEMPTS
    assert row.next_attempt_at is None


def test_backoff_grows_and_stays_below_the_broker_visibility_timeout(settings):
    delays = [notifications.backoff(n) for n in range(1, 12)]
    assert delays == sorted(delays) and delays[0] == 30
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert max(delays) == notifications.MAX_BACKOFF_SECONDS < visibility


def test_sweep_dispatches_rows_left_behind(group, smtp_server, eager_tasks):
    ids = queue(group, [make_user()])
    with group_scope(group):
        Notification.objects.filter(pk__in=ids).update(
            created_at=timezone.now() - timedelta(minutes=10)
        )
        young = queue(group, [make_user()], key="young")
    assert sweep() == 1  # the young row is left to its own on-commit dispatch
    assert len(smtp_server.recorder.received) == 1
    with group_scope(group):
        assert Notification.objects.get(pk=ids[0]).status == "sent"
        assert Notification.objects.get(pk=young[0]).status == "pending"


def test_e_mail_follows_the_recipients_language(group):
    spanish = make_user(language="es")
    english = make_user(language="en")
    queue(group, [spanish, english])
    with group_scope(group):
        es = Notification.objects.get(recipient=spanish)
        en = Notification.objects.get(recipient=english)
    assert es.language == "es" and en.language == "en"
    assert es.subject.startswith("Ahora es miembro")
    assert en.subject.startswith("You are now a member")


def test_a_bare_address_gets_e_mail_but_no_in_app_notice(group):
    ids = queue(group, [Recipient(email="applicant@example.test")])
    with group_scope(group):
        row = Notification.objects.get(pk=ids[0])
    assert row.recipient is None and row.email == "applicant@example.test" and not row.in_app


def test_in_app_notices_in_the_header_and_list(client, group, other_group):
    user = make_member(group)
    queue(group, [user], key="a")
    queue(group, [user], key="b")
    queue(other_group, [make_user()], key="c")  # someone else's, elsewhere
    sign_in(client, user)
    page = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    assert 'class="bell-count">2<' in page
    response = client.get(reverse("notifications"))
    assert len(response.context["items"]) == 2
    notice = response.context["items"][0][0]
    response = client.get(reverse("notification_open", kwargs={"pk": notice.pk}))
    assert response.status_code == 302 and response["Location"] == f"/{group.slug}/"
    page = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    assert 'class="bell-count">1<' in page
    client.post(reverse("notifications_read"))
    page = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    assert "bell-count" not in page


def test_someone_elses_notice_answers_404(client, group):
    owner, snoop = make_member(group), make_member(group)
    (nid,) = queue(group, [owner])
    sign_in(client, snoop)
    assert client.get(reverse("notification_open", kwargs={"pk": nid})).status_code == 404
    with group_scope(group):
        assert Notification.objects.get(pk=nid).read_at is None


BROKER_DOWN_SCRIPT = """
import json, django
django.setup()
from django.db import transaction
from vpswg.models import User, WorkingGroup
from vpswg.scoping import group_scope
from vpswg.services.notifications import notify
group = WorkingGroup.objects.get(slug={slug!r})
with group_scope(group), transaction.atomic():
    ids = notify(working_group=group, recipients=[User.objects.get(pk={user})],
                 kind="role_granted", key="broker-down", context={{"role": "member"}},
                 link="/")
print(json.dumps(ids))
"""


def test_a_change_saved_while_the_broker_is_down_is_not_answered_with_an_error(
    transactional_db, group, tmp_path
):
    """Redis restarting (or lost) when a change commits: the rows are in the database, only
    the hand-over to the worker fails. That must not raise after the commit (the request would
    answer 500 for a change that was saved, and be sent again); the rows wait for the sweep.
    A real process, on a broker address where nothing listens (the drills of make bench)."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT, _database_url, free_port

    user = make_user()
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    done = subprocess.run(
        [sys.executable, "-c", BROKER_DOWN_SCRIPT.format(slug=group.slug, user=user.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    ids = json.loads(done.stdout.strip().splitlines()[-1])
    assert "broker unreachable" in done.stderr and "left to the sweep" in done.stderr
    with group_scope(group):
        row = Notification.objects.get(pk=ids[0])
    assert row.status == "pending" and row.recipient_id == user.pk


def test_a_text_that_does_not_name_its_reader_is_rendered_once_per_language(group):
    """The convening notice says the same to everyone of a language: one rendering each."""
    meeting = make_meeting(group, "planned")
    users = [make_user(language=code) for code in ("es", "en", "es", "fr", "en")]
    renders = []

    def count(sender, template, **kwargs):
        renders.append(template.name)

    template_rendered.connect(count)
    try:
        with group_scope(group):
            ids = notify(
                working_group=group,
                recipients=users,
                kind="meeting_convened",
                key="once",
                context={"meeting": meeting, "zone": group.zone, "as_guest": False},
            )
    finally:
        template_rendered.disconnect(count)
    assert renders.count("notifications/meeting_convened/body.txt") == 3
    with group_scope(group):
        bodies = dict(Notification.objects.filter(pk__in=ids).values_list("recipient", "body"))
    assert bodies[users[0].pk] == bodies[users[2].pk] != bodies[users[1].pk]
    assert "Hello," in bodies[users[1].pk] and bodies[users[1].pk] == bodies[users[4].pk]
    assert "Bonjour" in bodies[users[3].pk]


def test_a_text_that_names_its_reader_is_rendered_for_each(group):
    """The role notice tells someone without a password how to set one: not the others."""
    with_password = make_user(language="en")
    without = make_user(language="en")
    without.set_unusable_password()
    without.save()
    renders = []

    def count(sender, template, **kwargs):
        renders.append(template.name)

    template_rendered.connect(count)
    try:
        ids = queue(group, [with_password, without])
    finally:
        template_rendered.disconnect(count)
    assert renders.count("notifications/role_granted/body.txt") == 2
    with group_scope(group):
        bodies = dict(Notification.objects.filter(pk__in=ids).values_list("recipient", "body"))
    assert "no password yet" in bodies[without.pk]
    assert "no password yet" not in bodies[with_password.pk]


def test_those_told_already_are_not_rendered_again(group):
    first = make_user()
    queue(group, [first])
    renders = []

    def count(sender, template, **kwargs):
        renders.append(template.name)

    template_rendered.connect(count)
    try:
        assert queue(group, [first]) == []
    finally:
        template_rendered.disconnect(count)
    assert renders == []


def test_a_row_another_worker_has_claimed_is_left_to_it(group, smtp_server):
    """The claim is an advisory lock of the claiming session: a delivery skips the row while
    another session holds it, and sends it once that session has let go (or died)."""
    ids = queue(group, [make_user(), make_user()])
    other = psycopg2.connect(**_other_session())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [notifications.LOCK_CLASS, ids[0]])
        with group_scope(group):
            result = deliver(ids)
        assert result.skipped == [ids[0]] and result.sent == [ids[1]]
    finally:
        other.close()
    with group_scope(group):
        assert deliver(ids).sent == [ids[0]]
    assert len(smtp_server.recorder.received) == 2


@pytest.mark.django_db(transaction=True)
def test_a_delivery_leaves_no_claim_and_no_setting_behind(group, smtp_server):
    """Outside a transaction (as in a worker) the claims are released batch by batch and
    the session's commit setting is restored: the connection is kept for the next task."""
    ids = queue(group, [make_user() for _ in range(notifications.CLAIM_BATCH + 3)])
    with group_scope(group):
        result = deliver(ids)
    assert sorted(result.sent) == sorted(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s",
            [notifications.LOCK_CLASS],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    with group_scope(group):
        assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def _other_session() -> dict:
    """Connection parameters of another session on the test database."""
    s = connection.settings_dict
    return {
        "dbname": s["NAME"],
        "user": s["USER"],
        "password": s["PASSWORD"],
        "host": s["HOST"] or "127.0.0.1",
        "port": s["PORT"] or 5432,
    }


def test_an_outbox_message_is_written_as_django_writes_it(group, settings):
    """The outbox writes its messages out faster (headers folded once, the boundary chosen
    up front): what it writes must read back as what Django alone would have written,
    long accented subjects folded and encoded, calendar attachment included."""
    settings.DEFAULT_FROM_EMAIL = "Secrétariat vpswg <no-reply@vpswg.example>"
    meeting = make_meeting(group, "planned", title="Réunion plénière " + "très longue " * 12)
    users = [make_user(language=code) for code in ("fr", "es", "en")]
    calendar = [{"filename": "invite.ics", "mimetype": "text/calendar", "content": "BEGIN:X\r\n"}]
    with group_scope(group):
        ids = notify(
            working_group=group,
            recipients=users,
            kind="meeting_convened",
            key="written",
            context={"meeting": meeting, "zone": group.zone, "as_guest": False},
            attachments=calendar,
        )
        rows = list(Notification.objects.filter(pk__in=ids))
    for row in rows:
        ours = notifications._message(row)
        theirs = EmailMessage(
            ours.subject, ours.body, ours.from_email, ours.to, headers=ours.extra_headers
        )
        theirs.attachments = ours.attachments
        for _ in range(2):  # the second time from the kept folding
            a = ours.message().as_bytes(linesep="\r\n")
            b = theirs.message().as_bytes(linesep="\r\n")
            assert _read(a) == _read(b)
            assert _same_bytes(a) == _same_bytes(b)
        assert len(_read(a)["parts"]) == 2


def _same_bytes(raw: bytes) -> bytes:
    """The message as written, its boundary and date aside (both differ from one to the next)."""
    boundary = email.message_from_bytes(raw).get_boundary().encode()
    raw = raw.replace(boundary, b"BOUNDARY")
    return re.sub(rb"\r\nDate: [^\r]+\r\n", b"\r\nDate: DATE\r\n", raw)


def _read(raw: bytes) -> dict:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return {
        "headers": [(k, str(v)) for k, v in message.items() if k not in {"Date", "Content-Type"}],
        "type": message.get_content_type(),
        "parts": [
            (part.get_content_type(), part.get_filename(), part.get_content())
            for part in message.iter_parts()
        ],
    }
