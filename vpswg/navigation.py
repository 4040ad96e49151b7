"""The group navigation, by role: a page shows when the user may take its action.

Eleven pages in one row wrapped onto two on a laptop and filled a phone's first screen, so
the pages are grouped in sections: the header lists the sections (at most six for any role),
and a section of more than one page lists its pages under the header while one of them is
open. A section the role can open only one page of is a plain link to that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


@dataclass(frozen=True)
class NavSection:
    label: str
    entries: tuple[NavEntry, ...]


GROUP_NAV: tuple[NavSection, ...] = (
    NavSection(
        _("Overview"),
        (
            NavEntry("group:home", _("Overview"), None),
            # Who holds the Secretariat, its history and its hand-over (seed step 6c).
            NavEntry(
                "group:secretariat",
                _("Secretariat"),
                Action.VIEW_DIRECTORY,
                also=("group:secretariat", "group:handover"),
            ),
            # What the group agreed: its terms of reference and their versions (seed step 5).
            NavEntry(
                "group:terms", _("Terms of reference"), Action.VIEW_DIRECTORY, also=("group:terms",)
            ),
        ),
    ),
    NavSection(
        _("Meetings"),
        (
            NavEntry("meetings:list", _("Meetings"), Action.VIEW_MEETINGS, also=("meetings:",)),
            NavEntry(
                "documents:library", _("Documents"), Action.VIEW_MEETINGS, also=("documents:",)
            ),
        ),
    ),
    NavSection(
        _("Members"),
        (
            NavEntry(
                "members:directory",
                _("Directory"),
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
            NavEntry("members:compliance", _("Compliance"), Action.VIEW_COMPLIANCE),
            NavEntry("members:report", _("Annual report"), Action.REPORT_COMPLIANCE),
        ),
    ),
    NavSection(
        _("Activities"),
        (
            NavEntry("workplan:list", _("Work plans"), Action.VIEW_WORKPLAN, also=("workplan:",)),
            NavEntry(
                "activities:list",
                _("Activity register"),
                Action.VIEW_ACTIVITIES,
                also=("activities:",),
            ),
        ),
    ),
    NavSection(
        _("Reports"),
        (
            NavEntry("reports:index", _("Reports"), Action.VIEW_REPORTS, also=("reports:",)),
            # The group's own funding (seed step 6c).
            NavEntry(
                "members:contributions",
                # "Contributions" alone is the minutes' statements (Intervenciones).
                pgettext_lazy("the group's funding", "Contributions"),
                Action.VIEW_DIRECTORY,
                also=("members:contribution",),
            ),
        ),
    ),
    NavSection(
        _("Administration"),
        (
            NavEntry("group:settings", _("Settings"), Action.MANAGE_GROUP),
            NavEntry("group:audit", _("Audit log"), Action.VIEW_AUDIT_LOG),
        ),
    ),
)


def group_nav(request) -> list[dict]:
    """The sections the user may open, each with its pages and whether it holds the page
    being shown; ``pages`` is empty for a section of one page (its link is the section's)."""
    group = request.working_group
    if group is None or not request.wg_roles:
        return []
    current = request.url_match.view_name if getattr(request, "url_match", None) else ""
    sections = []
    for section in GROUP_NAV:
        pages = [
            {
                "label": entry.label,
                "url": reverse(entry.url_name, kwargs={"wg": group.slug}),
                "active": entry.is_current(current),
            }
            for entry in section.entries
            if entry.action is None or entry.action.value in request.wg_perms
        ]
        if not pages:
            continue
        sections.append(
            {
                "label": section.label if len(pages) > 1 else pages[0]["label"],
                "url": pages[0]["url"],
                "active": any(page["active"] for page in pages),
                "pages": pages if len(pages) > 1 else [],
            }
        )
    return sections
