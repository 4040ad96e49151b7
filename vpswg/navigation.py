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
    #: Other pages under this entry (URL names starting with one of these).
    also: tuple[str, ...] = ()

    def is_current(self, view_name: str) -> bool:
        return view_name == self.url_name or view_name.startswith(self.also or ("\0",))


GROUP_NAV: tuple[NavEntry, ...] = (
    NavEntry("group:home", _("Overview"), None),
    NavEntry("meetings:list", _("Meetings"), Action.VIEW_MEETINGS, also=("meetings:",)),
    NavEntry(
        "members:directory",
        _("Members"),
        Action.VIEW_DIRECTORY,
        also=(
            "members:institution",
            "members:representative",
            "members:standing",
            "members:nominate",
        ),
    ),
    NavEntry(
        "members:applications",
        _("Applications"),
        Action.REVIEW_APPLICATIONS,
        also=("members:application",),
    ),
    NavEntry("workplan:list", _("Work plan"), Action.VIEW_WORKPLAN, also=("workplan:",)),
    NavEntry("activities:list", _("Activities"), Action.VIEW_ACTIVITIES, also=("activities:",)),
    NavEntry("reports:index", _("Reports"), Action.VIEW_REPORTS, also=("reports:",)),
    NavEntry("members:compliance", _("Compliance"), Action.VIEW_COMPLIANCE),
    NavEntry("members:report", _("Annual report"), Action.REPORT_COMPLIANCE),
    NavEntry("group:audit", _("Audit log"), Action.VIEW_AUDIT_LOG),
    NavEntry("group:settings", _("Settings"), Action.MANAGE_GROUP),
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
            "active": entry.is_current(current),
        }
        for entry in GROUP_NAV
        if entry.action is None or entry.action.value in request.wg_perms
    ]
