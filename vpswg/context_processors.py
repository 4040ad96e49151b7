"""Layout context: the user's groups, unread notices, navigation.

Values are memoised callables (the template engine calls them when a template uses them),
so a partial that does not render the header costs no query.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from vpswg.middleware import request_memberships
from vpswg.navigation import group_nav
from vpswg.roles import Role
from vpswg.services.groups import groups_in


def vpswg(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:  # error pages rendered before the middleware ran
        return {"mfa_enforced": settings.ENFORCE_MFA, "languages": settings.LANGUAGES}
    roles = getattr(request, "wg_roles", frozenset())

    @cache
    def my_groups():
        return groups_in(request_memberships(request))

    @cache
    def unread():
        held = request_memberships(request)
        return held[0].unread if held else 0

    @cache
    def nav():
        return group_nav(request)

    return {
        "wg": getattr(request, "working_group", None),
        "wg_roles": roles,
        "wg_role_labels": [Role(r).label for r in Role.values if r in roles],
        "wg_perms": getattr(request, "wg_perms", frozenset()),
        "my_groups": my_groups,
        "unread_count": unread,
        "group_nav": nav,
        "mfa_enforced": settings.ENFORCE_MFA,
        "languages": settings.LANGUAGES,
    }
