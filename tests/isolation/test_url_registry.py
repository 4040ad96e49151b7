"""Every URL x every role x (own group, another group's object): the status is the declared one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.html_ids import duplicate_ids
from tests.isolation.registry import REGISTRY
from tests.isolation.routes import (
    ACTORS,
    expected_status,
    first_role,
    own_patterns,
    request,
    url_for,
)
from vpswg.permissions import PUBLIC
from vpswg.roles import Role


def test_every_pattern_has_a_registry_entry():
    patterns = own_patterns()
    assert "group:home" in patterns  # the walk sees the group URLs
    missing = sorted(set(patterns) - set(REGISTRY))
    stale = sorted(set(REGISTRY) - set(patterns))
    assert missing == [], f"URL patterns without a registry entry: {missing}"
    assert stale == [], f"registry entries without a URL pattern: {stale}"


def test_every_view_declares_its_access():
    undeclared = [
        name for name, p in own_patterns().items() if not hasattr(p.callback, "vpswg_access")
    ]
    assert undeclared == []


def test_object_urls_have_an_object_factory():
    for name, route in own_patterns().items():
        params = route.params - {"wg"}
        assert bool(params) == (REGISTRY[name].obj is not None), name


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_status_by_role(world, name):
    """Every role (and the signed-out visitor) on this URL, each with a fresh client."""
    from django.test import Client

    route = own_patterns()[name]
    wrong = []
    for actor in ACTORS:
        client = Client()
        user = None if actor == "anonymous" else world.users[actor]
        if user is not None:
            client.force_login(user)
        url = url_for(name, route, world, user)
        response = request(client, name, url, world)
        expected = expected_status(name, actor)
        if response.status_code != expected:
            wrong.append(f"{actor}: {response.status_code}, expected {expected} ({url})")
        elif expected == 302 and actor == "anonymous" and expected != REGISTRY[name].ok:
            assert response["Location"].startswith(reverse("account_login")), (actor, url)
        elif (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and (duplicated := duplicate_ids(response.content.decode()))
        ):
            wrong.append(f"{actor}: the ids {duplicated} are used twice ({url})")
    assert wrong == [], name


@pytest.mark.parametrize(
    "name", sorted(n for n, p in REGISTRY.items() if p.obj is not None and p.outsider is not None)
)
def test_another_groups_object_answers_404(client, world, name):
    """A role that may use the page, asking through its own group for another's object."""
    route = own_patterns()[name]
    user = world.users[first_role(route)]
    client.force_login(user)
    url = url_for(name, route, world, user, outsider_object=True)
    assert request(client, name, url, world).status_code == REGISTRY[name].outsider


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, p in REGISTRY.items()
        if p.method == "get" and own_patterns()[n].callback.vpswg_access.requirement != PUBLIC
    ),
)
def test_signed_out_htmx_request_gets_hx_redirect(client, world, name):
    """An expired session never swaps a sign-in page into a fragment."""
    url = url_for(name, own_patterns()[name], world, None)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_unknown_group_slug_answers_404(client, world):
    assert client.get("/no-such-group/").status_code == 404
    client.force_login(world.users[Role.SECRETARIAT])
    assert client.get("/no-such-group/audit/").status_code == 404
