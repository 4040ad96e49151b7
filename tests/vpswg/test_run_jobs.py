"""``run_jobs``: the scheduled jobs without Celery beat (the demo has none), so a new user of
``make run`` sees the cadence's reminders happen."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import make_group, make_secretariat
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def test_run_jobs_once_runs_every_scheduled_job(eager_tasks):
    group = make_group("andes")
    secretariat = make_secretariat(group)
    out = io.StringIO()
    call_command("run_jobs", "--once", stdout=out)
    ran = {line.split(":")[0] for line in out.getvalue().splitlines()}
    assert ran == set(settings.CELERY_BEAT_SCHEDULE)
    # The convening job told the Secretariat that no plenary is planned this period.
    with group_scope(group):
        assert Notification.objects.filter(kind="plan_plenary", recipient=secretariat).exists()


def test_another_groups_secretariat_is_not_told(eager_tasks, other_group):
    group = make_group("andes")
    make_secretariat(group)
    outsider = make_secretariat(other_group)
    call_command("run_jobs", "--once", stdout=io.StringIO())
    with group_scope(group):
        assert not Notification.objects.filter(recipient=outsider).exists()
