"""Celery: configuration, tenant-scoped tasks, and a real worker process against Redis."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from tests.factories import make_user
from vpswg.celery import app
from vpswg.models import Notification
from vpswg.scoping import group_scope
from vpswg.services.notifications import MAX_BACKOFF_SECONDS, notify
from vpswg.tasks import deliver_notifications


def test_configuration_is_safe_for_at_least_once_delivery():
    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.broker_url.startswith("redis://")
    assert conf.broker_transport_options["visibility_timeout"] > MAX_BACKOFF_SECONDS


@pytest.mark.django_db
def test_a_task_runs_inside_the_scope_of_the_group_it_names(
    group, other_group, smtp_server, eager_tasks
):
    with group_scope(other_group):
        (foreign_id,) = notify(
            working_group=other_group,
            recipients=[make_user()],
            kind="role_granted",
            key="x",
            context={"role": "member"},
        )
    # Asked to deliver another group's row, a task for `group` cannot even see it.
    result = deliver_notifications.apply(args=(group.pk, [foreign_id])).get()
    assert result == {"sent": 0, "failed": 0, "skipped": 1}
    assert smtp_server.recorder.received == []
    result = deliver_notifications.apply(args=(other_group.pk, [foreign_id])).get()
    assert result["sent"] == 1


@pytest.mark.worker
def test_a_real_worker_delivers_after_commit_and_postgres_sees_it(
    celery_worker, group, smtp_server
):
    users = [make_user() for _ in range(3)]
    with transaction.atomic(), group_scope(group):
        ids = notify(
            working_group=group,
            recipients=users,
            kind="role_granted",
            key="worker",
            context={"role": "member"},
            link=f"/{group.slug}/",
        )
    received = smtp_server.recorder.wait_for(3, timeout=30)
    assert sorted(m.recipients[0] for m in received) == sorted(u.email for u in users)
    deadline = time.monotonic() + 15
    with group_scope(group):
        while time.monotonic() < deadline:
            statuses = set(Notification.objects.filter(pk__in=ids).values_list("status", flat=True))
            if statuses == {"sent"}:
                break
            time.sleep(0.1)
        assert statuses == {"sent"}, celery_worker.log()
    assert "deliver_notifications" in celery_worker.log()


def _worker_sessions(worker) -> list[int]:
    """The worker's PostgreSQL sessions (named by its ``PGAPPNAME``: live servers of earlier
    tests may still hold sessions of their own on the test database)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [worker.env["PGAPPNAME"]],
        )
        return [row[0] for row in cursor.fetchall()]


def _deliver_through(worker, group, smtp_server, key: str, count: int) -> None:
    with transaction.atomic(), group_scope(group):
        notify(
            working_group=group,
            recipients=[make_user()],
            kind="role_granted",
            key=key,
            context={"role": "member"},
        )
    smtp_server.recorder.wait_for(count, timeout=30)
    deadline = time.monotonic() + 15
    while worker.log().count("succeeded") < count and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.worker
def test_a_worker_keeps_its_database_session_between_tasks_and_replaces_a_dead_one(
    celery_worker, group, smtp_server
):
    """Celery's Django fixup would open a session for every task (a convening is 220); the
    worker keeps one as a web process does, and one that died meanwhile is replaced before
    the next task uses it, instead of failing that task."""
    _deliver_through(celery_worker, group, smtp_server, "first", 1)
    (session,) = _worker_sessions(celery_worker)
    _deliver_through(celery_worker, group, smtp_server, "second", 2)
    assert _worker_sessions(celery_worker) == [session]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [session])
    _deliver_through(celery_worker, group, smtp_server, "third", 3)
    assert len(smtp_server.recorder.received) == 3
    assert "ERROR" not in celery_worker.log()
    assert _worker_sessions(celery_worker) not in ([], [session])
