"""What lets vpswg grow past one machine or past one request's worth of work (docs/scaling.md):
uploads in S3, reports on a replica, queues by kind, and the per-request savings (the session
written every few minutes, permissions cached per set of roles)."""

from __future__ import annotations

import time

import boto3
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from moto import mock_aws

from activities import reports
from members.models import Application
from tests.factories import make_application, make_member, make_secretariat, sign_in
from vpswg import db
from vpswg.celery import route
from vpswg.scoping import group_scope
from vpswg.services.roles import revoke_role
from vpswg.storage import s3_storage

pytestmark = pytest.mark.django_db


# --- Uploads in S3 (the outside world: moto stands in for the S3 endpoint) ----------------------


@pytest.fixture
def s3_bucket(settings):
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="vpswg-private")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage(
                bucket="vpswg-private", region="us-east-1", access_key="k", secret_key="s"
            ),
        }
        yield client


def test_letters_go_to_a_private_bucket_and_come_back_only_through_the_view(
    client, group, s3_bucket
):
    application = make_application(group)
    with group_scope(group):
        name = Application.objects.get(pk=application.pk).letter.name
    key = f"vpswg/{name}"
    stored = s3_bucket.get_object(Bucket="vpswg-private", Key=key)["Body"].read()
    assert stored.startswith(b"%PDF-")
    grants = s3_bucket.get_object_acl(Bucket="vpswg-private", Key=key)["Grants"]
    assert all(g["Grantee"].get("URI") is None for g in grants)  # nobody but the owner
    url = reverse("members:application_letter", kwargs={"wg": group.slug, "pk": application.pk})
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    sign_in(client, make_secretariat(group))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == stored


# --- Reports on a replica -----------------------------------------------------------------------


def test_report_reads_go_to_the_replica_when_it_is_chosen(monkeypatch, django_assert_num_queries):
    """Which database is chosen, and how far behind it may be, is tested on a real replica
    (tests/multinode); here, that the router follows the choice."""
    router = db.ReportsRouter()
    assert router.db_for_read(Application) is None
    with django_assert_num_queries(0), db.reporting() as source:
        assert source == db.Source()  # no replica configured: the primary, and no question
        assert router.db_for_read(Application) is None
    monkeypatch.setattr(db, "has_replica", lambda: True)
    monkeypatch.setattr(db, "choose_source", lambda fresh: db.Source(db.REPLICA))
    with db.reporting():
        assert router.db_for_read(Application) == "replica"
        assert router.db_for_write(Application) == "default"
        with db.primary():
            assert router.db_for_read(Application) is None
    assert router.db_for_read(Application) is None  # outside a report: the primary
    assert not router.allow_migrate("replica", "members")


def test_reports_read_the_replica_but_kept_figures_are_drawn_from_the_primary(
    client, group, monkeypatch
):
    """A replica lags: the CSV and the state report may read it (what they show is read
    anew on every request), but the reports page's figures are kept until the data changes
    (vpswg.groupcache), so they are drawn from the primary, or a lag would be kept."""
    monkeypatch.setattr(db, "choose_source", lambda fresh: db.Source(db.REPLICA))
    seen = {}
    for name in ("totals", "participation"):
        real = getattr(reports, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen.setdefault(_name, []).append(db._reporting.get())
            return _real(*args, **kwargs)

        monkeypatch.setattr(reports, name, spy)
    sign_in(client, make_secretariat(group))
    for page in ("reports:index", "reports:state"):
        assert client.get(reverse(page, kwargs={"wg": group.slug})).status_code == 200
    assert seen == {"totals": [False], "participation": [True]}


# --- Queues by kind -----------------------------------------------------------------------------


def test_mail_and_reports_go_to_their_queues_when_set(settings):
    assert route("vpswg.deliver_notifications", (), {}, {}) is None
    settings.VPSWG_QUEUE_MAIL = "vpswg-mail"
    settings.VPSWG_QUEUE_REPORTS = "vpswg-reports"
    assert route("vpswg.deliver_notifications", (), {}, {}) == {"queue": "vpswg-mail"}
    assert route("activities.annual_report", (), {}, {}) == {"queue": "vpswg-reports"}
    assert route("meetings.convening", (), {}, {}) is None  # the default queue


# --- Per-request savings ------------------------------------------------------------------------


def _session_key(client) -> tuple[redis.Redis, bytes]:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    r = redis.Redis.from_url(settings.CACHE_URL)
    (name,) = [k for k in r.scan_iter("vpswg:*session*") if key in k.decode()]
    return r, name


def test_the_session_is_written_every_few_minutes_not_on_every_request(client, group, settings):
    sign_in(client, make_member(group))
    url = reverse("group:home", kwargs={"wg": group.slug})
    client.get(url)
    r, name = _session_key(client)
    r.expire(name, 100)
    client.get(url)
    assert r.ttl(name) <= 100  # refreshed a moment ago: not written again
    settings.SESSION_REFRESH_SECONDS = 0
    time.sleep(1)
    client.get(url)
    assert r.ttl(name) > settings.SESSION_COOKIE_AGE - 60  # written: the clock starts again


def test_permissions_are_cached_per_set_of_roles_and_a_revocation_is_immediate(
    client, group, local_cache
):
    member = make_member(group)
    sign_in(client, member)
    url = reverse("meetings:topics", kwargs={"wg": group.slug})  # a page not kept whole

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return response.status_code, len(ctx.captured_queries)

    status, first = queries()
    status_again, cached = queries()
    assert status == status_again == 200 and cached == first - 1
    with group_scope(group):
        revoke_role(working_group=group, user=member, role="member")
    # The roles are read on every request, so the cached grants no longer apply: with no role
    # left, the group's pages are not there for this user.
    assert queries()[0] == 404


def test_each_process_keeps_more_than_djangos_300_entries():
    """At 300 (Django's default) the permissions of a busy hour's 600 people did not fit, and
    a full LocMemCache culls a third of itself at random: kept values were drawn again."""
    from django.core.cache import caches

    local = caches["local"]
    assert local._max_entries == settings.LOCAL_CACHE_ENTRIES >= 2000
    for n in range(1000):
        local.set(f"scaling-test:{n}", n)
    assert all(local.get(f"scaling-test:{n}") == n for n in range(1000))
