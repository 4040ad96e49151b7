"""The platform operator creates a working group and appoints its first Secretariat."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_user, sign_in
from vpswg.models import Notification, RoleAssignment, User, WorkingGroup
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = make_user(is_staff=True, is_superuser=True)
    from tests.factories import enrol_totp

    enrol_totp(user)
    sign_in(client, user)
    return user


def form_data(**extra):
    return {
        "slug": "colombia",
        "name": "Grupo de Trabajo Colombia",
        "country": "Colombia",
        "default_language": "es",
        "timezone": "America/Bogota",
        "meeting_cadence_months": 3,
        "default_meeting_duration": 120,
        "notice_period_days": 21,
        "public_description": "",
        "applications_open": "on",
        "is_listed": "on",
        **extra,
    }


def test_operator_creates_a_group_and_appoints_its_secretariat(client, operator):
    response = client.post(
        "/admin/vpswg/workinggroup/add/", form_data(appoint_secretariat="Ana@Example.test")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = WorkingGroup.objects.get(slug="colombia")
    assert Group.objects.filter(name__startswith=f"wg:{group.pk}:").count() == 4
    user = User.objects.get(email="ana@example.test")
    assert not user.has_usable_password()
    with group_scope(group):
        assert RoleAssignment.objects.get(user=user).role == "secretariat"
        notice = Notification.objects.get(recipient=user)
    assert "/accounts/password/reset/" in notice.body  # how to set a first password
    page = client.get(f"/admin/vpswg/workinggroup/{group.pk}/change/")
    assert page.status_code == 200 and "ana@example.test" in page.content.decode()


def test_operator_cannot_create_a_group_with_a_reserved_slug(client, operator):
    response = client.post("/admin/vpswg/workinggroup/add/", form_data(slug="accounts"))
    assert response.status_code == 200
    assert "reserved" in response.content.decode()
    assert not WorkingGroup.objects.filter(slug="accounts").exists()
