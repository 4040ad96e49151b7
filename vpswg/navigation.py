"""The group navigation, by role: an entry shows when the user may take its action."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vpswg.roles import Action


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    action: Action | None  # None: anyone with a role in the group


GROUP_NAV: tuple[NavEntry, ...] = (
    NavEntry("group:home", _("Overview"), None),
    NavEntry("group:audit", _("Audit log"), Action.VIEW_AUDIT_LOG),
)


def group_nav(request) -> list[dict]:
    group = request.working_group
    if group is None or not request.wg_roles:
        return []
    current = request.url_match.view_name if getattr(request, "url_match", None) else ""
    return [
        {
            "label": entry.label,
            "url": reverse(entry.url_name, kwargs={"wg": group.slug}),
            "active": current == entry.url_name,
        }
        for entry in GROUP_NAV
        if entry.action is None or entry.action.value in request.wg_perms
    ]
