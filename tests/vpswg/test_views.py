"""Pages of the project package: front page, group page and dashboard, constant query counts."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    cold_process,
    make_group,
    make_institution,
    make_member,
    make_observer,
    make_secretariat,
    make_user,
    sign_in,
)
from vpswg.scoping import group_scope
from vpswg.services.audit import record
from vpswg.services.notifications import notify

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    cold_process()  # the count of a first request: the per-process cache empty
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_front_page_lists_listed_groups_and_mine(client, group):
    make_group("hidden", name="Hidden Group", is_listed=False)
    body = client.get("/").content.decode()
    assert "Alpha Working Group" in body and "Hidden Group" not in body
    sign_in(client, make_member(group))
    body = client.get("/").content.decode()
    assert body.count(f'href="/{group.slug}/"') >= 2  # listed and under "Your groups"


def test_public_page_explains_the_group_and_how_to_join(client, group):
    make_institution(group, pillar="government", kind="foreign_government")
    make_institution(group, pillar="", kind="international_organisation", participation="observer")
    response = client.get(f"/{group.slug}/")
    body = response.content.decode()
    composition = response.context["composition"]
    assert (composition.members, composition.observers, composition.total) == (1, 1, 2)
    assert "Chatham House" in body
    assert "institutional, not individual" in body
    assert "accepts applications" in body
    group.applications_open = False
    group.save()
    assert "not accepting applications" in client.get(f"/{group.slug}/").content.decode()


def test_suspended_institutions_leave_the_composition(client, group):
    make_institution(group)
    make_institution(group, standing="suspended")
    assert client.get(f"/{group.slug}/").context["composition"].total == 1


def test_dashboard_by_role(client, group):
    observer = make_observer(group)
    sign_in(client, observer)
    body = client.get(f"/{group.slug}/").content.decode()
    assert "As an observer" in body and "Audit log" not in body
    client.logout()
    sign_in(client, make_secretariat(group))
    body = client.get(f"/{group.slug}/").content.decode()
    assert "As Secretariat" in body and f'href="/{group.slug}/audit/"' in body


@pytest.mark.parametrize("signed_in_as", ["member", "secretariat", "anonymous"])
def test_group_page_query_count_does_not_grow_with_institutions(client, group, signed_in_as):
    user = {"member": make_member, "secretariat": make_secretariat}.get(
        signed_in_as, lambda g: None
    )(group)
    if user:
        sign_in(client, user)
    url = f"/{group.slug}/"
    one = count_queries(client, url)
    for i in range(30):
        make_institution(group, pillar=["companies", "government", "civil_society"][i % 3])
    many = count_queries(client, url)
    assert one == many
    assert many <= 15


def test_audit_log_query_count_does_not_grow_with_entries(client, group):
    secretariat = make_secretariat(group)
    sign_in(client, secretariat)
    url = reverse("group:audit", kwargs={"wg": group.slug})
    one = count_queries(client, url)
    with group_scope(group):
        for i in range(60):
            record(working_group=group, actor=secretariat, verb=f"test.event{i}")
    assert count_queries(client, url) == one


def test_notifications_query_count_does_not_grow_with_notices(client, group):
    user = make_member(group)
    sign_in(client, user)
    with group_scope(group):
        notify(
            working_group=group,
            recipients=[user],
            kind="role_granted",
            key="k0",
            context={"role": "member"},
        )
    one = count_queries(client, reverse("notifications"))
    with group_scope(group):
        for i in range(1, 40):
            notify(
                working_group=group,
                recipients=[user],
                kind="role_granted",
                key=f"k{i}",
                context={"role": "member"},
            )
    assert count_queries(client, reverse("notifications")) == one


def test_error_pages_say_little_and_keep_the_layout(client, group):
    sign_in(client, make_member(group))
    response = client.get(f"/{group.slug}/audit/")
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_anonymous_visitor_of_a_spanish_group_reads_spanish(client):
    make_group("es-group", default_language="es")
    response = client.get("/es-group/")
    assert response["Content-Language"] == "es"
    assert 'lang="es"' in response.content.decode()
    # A visitor who chose English keeps it.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/es-group/")["Content-Language"] == "en"


def test_a_mistyped_groups_404_speaks_the_readers_language(client, group):
    """The 404 for an unknown group comes from the group middleware, before any view: it is
    in the language the reader chose, like any other page."""
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    for path in ("/no-such-group/", "/no-such-group/audit/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Language"] == "es"
        assert "Esta página no existe" in response.content.decode()
    sign_in(client, make_user(language="es"))
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    response = client.get("/no-such-group/")
    assert response["Content-Language"] == "es"
    assert "Esta página no existe" in response.content.decode()
    # Where the group exists, its default language still applies to a visitor with none.
    make_group("lima", default_language="es")
    assert Client().get("/lima/")["Content-Language"] == "es"


def test_no_role_account_sees_no_dashboard_content(client, group):
    sign_in(client, make_user())
    body = client.get(f"/{group.slug}/").content.decode()
    assert "Your part" not in body and "How to join" in body
