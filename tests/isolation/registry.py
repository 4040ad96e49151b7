"""The URL registry: every URL pattern of the application, how to request it, and what a role
that may use it gets back.

Who may use a pattern is declared on its view (``public``, ``signed_in`` or ``requires(action)``
in ``vpswg.permissions``); what everyone else gets follows from the role x action table:

    signed out                    -> 302 to the sign-in page (htmx: 204 + HX-Redirect)
    signed in, no role in group   -> 404 (an outsider learns nothing of the group's pages)
    a role without the action     -> 403
    a role with the action        -> ``Probe.ok``
    another group's object id     -> 404, whatever the role

A meta-test fails when a pattern has no entry here. Add one with every new URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vpswg.models import User, WorkingGroup

#: Builds the URL's object kwargs for ``group`` as seen by ``user`` (e.g. the id of a meeting of
#: that group). Called with another group and one of its users for the outsider case.
ObjectFactory = Callable[[WorkingGroup, User], dict]


@dataclass(frozen=True)
class Probe:
    method: str = "get"
    ok: int = 200
    obj: ObjectFactory | None = None
    data: Callable[[WorkingGroup], dict] = field(default=lambda group: {})
    #: Deviations from the rule above, each with its reason next to the entry.
    statuses: dict[str, int] = field(default_factory=dict)


def _notification(group: WorkingGroup, user: User) -> dict:
    from vpswg.scoping import group_scope
    from vpswg.services.notifications import notify

    with group_scope(group):
        ids = notify(
            working_group=group,
            recipients=[user],
            kind="role_granted",
            key=f"probe-{user.pk}",
            context={"role": "member"},
            link=f"/{group.slug}/",
        )
    return {"pk": ids[0]}


REGISTRY: dict[str, Probe] = {
    # Top level
    "home": Probe(),
    "healthz": Probe(),
    "set_language": Probe(method="post", ok=302, data=lambda g: {"language": "es", "next": "/"}),
    "notifications": Probe(),
    # A notice of a group where one no longer holds a role is out of reach, like the group.
    "notification_open": Probe(ok=302, obj=_notification, statuses={"no_role": 404}),
    "notifications_read": Probe(method="post", ok=302),
    # A working group
    "group:home": Probe(),
    "group:audit": Probe(),
}

#: Third-party URL trees, tested by their projects and by our own account and MFA tests.
EXTERNAL_MODULE_PREFIXES = ("allauth.",)  # and the admin site (app_name "admin")
