"""The working group from the URL: resolution, scope, slugs, and what an outsider sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_group, make_institution, make_member, make_user
from vpswg.models import WorkingGroup
from vpswg.models.tenancy import RESERVED_SLUGS, validate_group_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "slug", ["accounts", "admin", "static", "media", "healthz", "notifications", "i18n"]
)
def test_a_slug_that_would_shadow_a_top_level_path_is_refused(slug):
    with pytest.raises(ValidationError) as excinfo:
        make_group(slug)
    assert "reserved" in str(excinfo.value) or "hide" in str(excinfo.value)
    assert not WorkingGroup.objects.filter(slug=slug).exists()


@override_settings(ROOT_URLCONF="tests.vpswg.urls_probe")
def test_the_slug_check_asks_the_resolver_for_paths_added_later():
    assert "extra-top-level" not in RESERVED_SLUGS
    with pytest.raises(ValidationError):
        validate_group_slug("extra-top-level")
    validate_group_slug("colombia")  # a normal slug passes


def test_the_database_refuses_a_reserved_slug_that_skipped_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.create(slug="admin", name="x", country="x")


def test_timezone_and_cadence_are_validated():
    with pytest.raises(ValidationError) as excinfo:
        make_group("tz", timezone="Mars/Olympus", meeting_cadence_months=0)
    assert set(excinfo.value.message_dict) == {"timezone", "meeting_cadence_months"}


def test_defaults_follow_the_peruvian_model():
    g = make_group("defaults")
    assert (g.meeting_cadence_months, g.default_meeting_duration, g.notice_period_days) == (
        3,
        120,
        21,
    )


@override_settings(ROOT_URLCONF="tests.vpswg.urls_probe")
def test_views_run_inside_the_groups_scope(client, group, other_group):
    make_institution(group, name="Alpha Energy")
    response = client.get("/alpha/probe/")
    assert response.json() == {"group": "alpha", "institutions": ["Alpha Energy"]}
    assert response.wsgi_request.working_group == group
    response = client.get("/beta/probe/")
    assert response.json()["institutions"] == ["Beta Mining Corporation"]


def test_the_middleware_attaches_group_and_roles(client, group):
    member = make_member(group)
    client.force_login(member)
    response = client.get(reverse("group:home", kwargs={"wg": group.slug}))
    request = response.wsgi_request
    assert request.working_group == group
    assert request.wg_roles == {"member"}
    assert "view_dashboard" in request.wg_perms


def test_a_signed_in_user_without_a_role_sees_only_the_public_page(client, group):
    make_institution(group, name="Alpha Energy")
    client.force_login(make_user())
    response = client.get(reverse("group:home", kwargs={"wg": group.slug}))
    assert response.status_code == 200
    assert response.templates[0].name == "portal/group_public.html"
    assert response.wsgi_request.wg_perms == frozenset()
    assert client.get(reverse("group:audit", kwargs={"wg": group.slug})).status_code == 404


def test_the_dashboard_shows_nothing_of_another_group(client, group, other_group):
    make_institution(group, name="Alpha Energy")
    member = make_member(group)
    client.force_login(member)
    response = client.get(reverse("group:home", kwargs={"wg": group.slug}))
    assert response.templates[0].name == "portal/dashboard.html"
    body = response.content.decode()
    assert "Beta" not in body
    assert response.context["composition"].total == 2  # Alpha Energy + the member's institution
