"""The application's URL patterns and how to request each as a given actor: shared by the
registry's status tests and by the tests that look at what the pages say."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_group, make_member, make_observer, make_role_user, make_user
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


@dataclass
class World:
    group: object
    other: object
    users: dict
    other_user: object


def make_world(**group_fields) -> World:
    """Two groups; in the first a user for each role and one with none, in the second its
    Secretariat (the owner of "another group's object")."""
    group = make_group("alpha", **group_fields)
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


def first_role(route: Route) -> Role:
    """The first role (in the table's order) that holds the action the view requires."""
    action = route.callback.vpswg_access.action
    return next(r for r in Role if action is None or action in ROLE_ACTIONS[r])


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
