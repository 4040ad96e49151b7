"""Every URL x every role x (own group, another group's object): the status is the declared one."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_group, make_member, make_observer, make_role_user, make_user
from tests.html_ids import duplicate_ids
from tests.isolation.registry import EXTERNAL_MODULE_PREFIXES, REGISTRY
from vpswg.permissions import PUBLIC, SIGNED_IN
from vpswg.roles import ROLE_ACTIONS, Role

ACTORS = ["anonymous", "no_role", *Role.values]


def is_external(resolver: URLResolver) -> bool:
    module = getattr(resolver.urlconf_module, "__name__", "")
    return resolver.app_name == "admin" or module.startswith(EXTERNAL_MODULE_PREFIXES)


@dataclass(frozen=True)
class Route:
    pattern: URLPattern
    params: frozenset  # URL parameters, including those of enclosing includes (e.g. "wg")

    @property
    def callback(self):
        return self.pattern.callback


def walk(patterns, namespace="", params=frozenset()):
    for p in patterns:
        here = params | set(p.pattern.converters)
        if isinstance(p, URLResolver):
            if is_external(p):
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns, here)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None), Route(p, frozenset(here))


def own_patterns() -> dict[str, Route]:
    found = {}
    for name, route in walk(get_resolver().url_patterns):
        assert name, f"unnamed URL pattern {route.pattern.pattern}"
        found[name] = route
    return found


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


@dataclass
class World:
    group: object
    other: object
    users: dict
    other_user: object


@pytest.fixture
def world(db):
    group = make_group("alpha")
    other = make_group("beta")
    users = {role: make_role_user(group, role) for role in Role.values}
    # Members and observers as they really are: representatives of an institution.
    users[Role.MEMBER] = make_member(group)
    users[Role.OBSERVER] = make_observer(group)
    users["no_role"] = make_user()
    other_user = make_role_user(other, Role.SECRETARIAT)
    return World(group, other, users, other_user)


def expected_status(name: str, actor: str) -> int:
    probe = REGISTRY[name]
    access = own_patterns()[name].callback.vpswg_access
    if actor in probe.statuses:
        return probe.statuses[actor]
    if access.requirement == PUBLIC:
        return probe.ok
    if actor == "anonymous":
        return 302
    if access.requirement == SIGNED_IN:
        return probe.ok
    if actor == "no_role":
        return 404
    return probe.ok if access.action in ROLE_ACTIONS[Role(actor)] else 403


def url_for(name: str, route: Route, world: World, user, *, outsider_object=False) -> str:
    kwargs = {}
    if "wg" in route.params:
        kwargs["wg"] = world.group.slug
    probe = REGISTRY[name]
    if probe.obj is not None:
        if outsider_object:
            kwargs.update(probe.obj(world.other, world.other_user))
        else:
            kwargs.update(
                probe.obj(world.group, user if user is not None else world.users[Role.SECRETARIAT])
            )
    return reverse(name, kwargs=kwargs)


def request(client, name, url, world):
    probe = REGISTRY[name]
    if probe.method == "post":
        return client.post(url, probe.data(world.group))
    return client.get(url)


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
    action = route.callback.vpswg_access.action
    role = next(r for r in Role if action is None or action in ROLE_ACTIONS[r])
    user = world.users[role]
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
