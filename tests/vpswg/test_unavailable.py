"""A service that does not answer (PostgreSQL or the broker restarting) is neither an error page
nor a change done twice: 503 with Retry-After for a page, and a saved approval or report request
is finished or marked, never answered 500. Real processes on addresses where nothing listens,
as the drills of make bench see it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from activities.models import ReportJob
from meetings.models import Minutes
from tests.conftest import ROOT, _database_url, free_port
from tests.factories import (
    make_coordination,
    make_meeting_in_session,
    make_member,
    make_minutes,
    make_secretariat,
)
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_SCRIPT = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client(raise_request_exception=False).get("/{slug}/")
print(json.dumps({{"status": response.status_code, "retry": response.get("Retry-After"),
                  "body": response.content.decode()}}))
"""


def run(script: str, **env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_ENV": "test", "DATABASE_URL": _database_url(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {"out": json.loads(done.stdout.strip().splitlines()[-1]), "err": done.stderr}


def test_a_database_that_does_not_answer_is_a_503_with_retry_after(group):
    closed = f"postgres://vpswg:vpswg@127.0.0.1:{free_port()}/vpswg"
    down = run(PAGE_SCRIPT.format(slug=group.slug), DATABASE_URL=closed)["out"]
    assert down["status"] == 503, down["body"][:500]
    assert down["retry"] == "10"
    assert "briefly unavailable" in down["body"]
    # Never the exception: no address, no driver's message.
    assert "127.0.0.1" not in down["body"] and "Traceback" not in down["body"]
    # The same page with the database up is the group's page, not a 503 for everything.
    up = run(PAGE_SCRIPT.format(slug=group.slug))["out"]
    assert up["status"] in {200, 302}


def test_a_503_is_in_the_readers_language(group):
    closed = f"postgres://vpswg:vpswg@127.0.0.1:{free_port()}/vpswg"
    script = PAGE_SCRIPT.replace('.get("/{slug}/")', '.get("/{slug}/", HTTP_ACCEPT_LANGUAGE="es")')
    down = run(script.format(slug=group.slug), DATABASE_URL=closed)["out"]
    assert down["status"] == 503
    assert 'lang="es"' in down["body"]
    assert "briefly unavailable" not in down["body"]


APPROVE_SCRIPT = """
import json, django
django.setup()
from vpswg.models import User, WorkingGroup
from vpswg.scoping import group_scope
from meetings.models import Minutes
from meetings.services import minutes as service
from activities.annual import request_report
group = WorkingGroup.objects.get(slug={slug!r})
with group_scope(group):
    minutes = Minutes.objects.get(pk={minutes})
    service.submit(minutes=minutes, actor=User.objects.get(pk={secretariat}))
    for seat in {seats}:
        service.review(minutes=minutes, actor=User.objects.get(pk=seat), decision="approve")
    job, started = request_report(working_group=group, actor=User.objects.get(pk={secretariat}),
                                  year=2025)
print(json.dumps({{"job": job.pk}}))
"""


def test_an_approval_and_a_report_request_saved_with_the_broker_down_are_not_left_undone(group):
    """Before, the hand-over to the worker raised after the commit: the last seat's approval
    answered 500 (and the minutes were never circulated), and a report request answered 500
    and left a job waiting for ever."""
    secretariat = make_secretariat(group)
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    make_member(group)
    meeting = make_meeting_in_session(group)
    minutes = make_minutes(meeting, secretariat)
    done = run(
        APPROVE_SCRIPT.format(
            slug=group.slug,
            minutes=minutes.pk,
            secretariat=secretariat.pk,
            seats=[s.pk for s in seats],
        ),
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    assert "broker unreachable" in done["err"] and "falling back" in done["err"]
    with group_scope(group):
        minutes.refresh_from_db()
        # Circulated in the process: the members' notices are in the outbox for the sweep.
        assert minutes.status == Minutes.Status.CIRCULATED
        notices = Notification.objects.filter(kind="minutes_circulated")
        assert notices.exists()
        assert set(notices.values_list("status", flat=True)) == {"pending"}
        job = ReportJob.objects.get(pk=done["out"]["job"])
    # The report is marked failed at once, so the page says "try again".
    assert job.status == ReportJob.Status.FAILED and job.error == "BrokerUnavailable"
