"""Every HTML page of the URL registry, in both layouts (1280 px and 390 px), passes axe-core's
WCAG 2.0, 2.1 and 2.2 A and AA rules at any impact, and none scrolls sideways at 390 px.

Each page is opened as the person who uses it: signed out for the public pages (and signed in,
as the Secretariat and as a member, whom they show more); otherwise the Secretariat where it
may, else the first role with the page's action, and a member as well wherever a member may go,
since members see other renderings of the same pages. The pages come from the registry
(``tests/isolation/registry.py``): a new URL is tested here as soon as it has its entry.

One case per layout and part of the site, so that a failure lists what to fix in one place:
every violation grouped by rule, with the page, the person and the elements. Each case also
writes its findings to test-results/accessibility/<part>-<width>.json, for counting before and
after a change (pytest-playwright empties test-results/ when a run starts).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.a11y import LAYOUTS, axe_result, sideways_scroll, start_axe
from tests.factories import browser_context, make_agenda_item, make_meeting_in_session
from tests.isolation.registry import REGISTRY, _minutes
from tests.isolation.routes import World, expected_status, own_patterns, url_for
from vpswg.permissions import PUBLIC
from vpswg.roles import ROLE_ACTIONS, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESULTS = Path("test-results/accessibility")
#: Pages found to answer with a file (PDF, CSV, ics, xlsx): not opened again in this run, nor
#: their data made (a PDF of minutes is seconds of work), in the other layout.
FILES: set[str] = set()
#: Who opens a page first when several may: the role with the most on its pages.
ROLE_ORDER = [Role.SECRETARIAT, Role.COORDINATION, Role.MEMBER, Role.OBSERVER]


@dataclass(frozen=True)
class Visit:
    label: str  # the registry's name, or a description of the state shown
    actor: str  # "anonymous" or a role
    path: Callable[[World, object], str]  # (world, user) -> path; may create the page's data


def visitors(name: str) -> list[str]:
    access = own_patterns()[name].callback.vpswg_access
    if access.requirement == PUBLIC:
        candidates = ["anonymous", Role.SECRETARIAT, Role.MEMBER]
    elif access.action is None:  # signed in, whatever the role
        candidates = [Role.SECRETARIAT, Role.MEMBER]
    else:
        allowed = [r for r in ROLE_ORDER if access.action in ROLE_ACTIONS[r]]
        candidates = allowed[:1] + ([Role.MEMBER] if Role.MEMBER in allowed[1:] else [])
    return [a for a in candidates if expected_status(name, a) == 200]


#: The parts of the site, one test case each (and layout): what a failure lists is one
#: area's to fix.
PART_OF_NAMESPACE = {
    "group": "members",
    "members": "members",
    "meetings": "meetings",
    "documents": "meetings",
    "workplan": "activities",
    "activities": "activities",
    "reports": "activities",
}


def part(name: str) -> str:
    if own_patterns()[name].callback.vpswg_access.requirement == PUBLIC:
        return "public"
    return PART_OF_NAMESPACE[name.split(":")[0] if ":" in name else "group"]


def _registry_path(name: str):
    def path(world: World, user) -> str:
        return url_for(name, own_patterns()[name], world, user)

    return path


def _in_session(world: World, user) -> str:
    meeting = make_meeting_in_session(world.group)
    return reverse("meetings:detail", kwargs={"wg": world.group.slug, "pk": meeting.pk})


def _planned_with_agenda(world: World, user) -> str:
    from tests.factories import make_meeting

    meeting = make_meeting(world.group, "planned")
    make_agenda_item(meeting)
    return reverse("meetings:detail", kwargs={"wg": world.group.slug, "pk": meeting.pk})


def _draft_minutes(world: World, user) -> str:
    kwargs = _minutes("draft")(world.group, user)
    return reverse("meetings:minutes", kwargs={"wg": world.group.slug, **kwargs})


def _named(url_name: str):
    return lambda world, user: reverse(url_name)


#: States of registry pages that the registry's own object does not show, and the account
#: pages (allauth's URLs: outside the registry, rendered by our templates).
EXTRA: dict[str, list[Visit]] = {
    "meetings": [
        Visit("meetings:detail (in session: attendance)", Role.SECRETARIAT, _in_session),
        Visit("meetings:detail (planned, with an agenda)", Role.SECRETARIAT, _planned_with_agenda),
        Visit("meetings:minutes (draft: the editor)", Role.SECRETARIAT, _draft_minutes),
        Visit("meetings:minutes (draft)", Role.MEMBER, _draft_minutes),
    ],
    "public": [
        Visit("account_login", "anonymous", _named("account_login")),
        Visit("account_reset_password", "anonymous", _named("account_reset_password")),
        Visit("account_email", Role.MEMBER, _named("account_email")),
        Visit("account_change_password", Role.MEMBER, _named("account_change_password")),
        Visit("mfa_index", Role.SECRETARIAT, _named("mfa_index")),
        Visit("mfa_index", Role.MEMBER, _named("mfa_index")),
        # Before enrolling (mfa_activate_totp, not visited: it wants a password typed minutes
        # ago, which a session made by cookie has not had).
        Visit("account_reauthenticate", Role.MEMBER, _named("account_reauthenticate")),
    ],
}


def visits_by_part() -> dict[str, list[Visit]]:
    parts: dict[str, list[Visit]] = defaultdict(list)
    for name in sorted(REGISTRY):
        probe = REGISTRY[name]
        if probe.method != "get" or probe.ok != 200:
            continue
        for actor in visitors(name):
            parts[part(name)].append(Visit(name, actor, _registry_path(name)))
    for name, extra in EXTRA.items():
        parts[name].extend(extra)
    return dict(parts)


PARTS = visits_by_part()


@dataclass(repr=False)
class Findings:
    violations: list = field(default_factory=list)  # one per rule and page
    sideways: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # not answered 200
    not_html: list = field(default_factory=list)  # files: PDF, CSV, ics, xlsx
    opened: int = 0

    def __bool__(self) -> bool:
        return bool(self.violations or self.sideways or self.refused)

    def __repr__(self) -> str:
        return (
            f"<{len(self.violations)} violations, {len(self.sideways)} sideways, "
            f"{len(self.refused)} refused on {self.opened} pages>"
        )


class Tabs:
    """Two tabs for each person, used in turn: axe runs in one while the next page is made and
    loaded in the other, so that the browser and the live server work at the same time."""

    def __init__(self, browser, base: str, world: World, width: int, findings: Findings):
        self.browser, self.base, self.world, self.width = browser, base, world, width
        self.findings = findings
        self.tabs: dict[str, list] = {}
        self.turn: dict[str, int] = defaultdict(int)
        self.running: dict = {}  # page -> where, while axe runs in it

    def page(self, actor: str):
        if actor not in self.tabs:
            user = None if actor == "anonymous" else self.world.users[actor]
            context = browser_context(self.browser, self.base, user, **LAYOUTS[self.width])
            self.tabs[actor] = [context.new_page(), context.new_page()]
        page = self.tabs[actor][self.turn[actor] % 2]
        self.turn[actor] += 1
        if page in self.running:
            self.collect(page)
        return page

    def collect(self, page) -> None:
        where = self.running.pop(page)
        for violation in axe_result(page):
            self.findings.violations.append({**violation, "page": where})

    def finish(self) -> None:
        for page in list(self.running):
            self.collect(page)

    def close(self) -> None:
        for first, _ in self.tabs.values():
            first.context.close()

    def check(self, actor: str, path: str, where: str) -> bool:
        """Open the page and start axe on it; False if it is a file, not a page."""
        page = self.page(actor)
        # Asked first without following redirects: a page sent elsewhere (the sign-in page) is
        # not the page, and a file is not HTML.
        answer = page.context.request.get(self.base + path, max_redirects=0)
        if answer.status != 200:
            self.findings.refused.append(f"{where}: {answer.status}")
            return True
        if not answer.headers.get("content-type", "").startswith("text/html"):
            self.findings.not_html.append(where)
            return False
        page.goto(self.base + path)
        self.findings.opened += 1
        if self.width == 390 and (sizes := sideways_scroll(page)):
            self.findings.sideways.append({"page": where, **sizes})
        start_axe(page)
        self.running[page] = where
        return True


@pytest.mark.parametrize("part_name", sorted(PARTS))
@pytest.mark.parametrize("width", sorted(LAYOUTS, reverse=True))
def test_pages_pass_axe_and_do_not_scroll_sideways(live_server, browser, world, width, part_name):
    started = time.monotonic()
    findings = Findings()
    tabs = Tabs(browser, live_server.url, world, width, findings)
    try:
        for visit in PARTS[part_name]:
            if visit.label in FILES:
                continue
            user = None if visit.actor == "anonymous" else world.users[visit.actor]
            path = visit.path(world, user)
            if not tabs.check(visit.actor, path, f"{visit.label} as {visit.actor} {path}"):
                FILES.add(visit.label)
        tabs.finish()
    finally:
        tabs.close()
    _write_results(part_name, width, findings, time.monotonic() - started)
    assert not findings, _report(part_name, width, findings)


def _write_results(part_name: str, width: int, findings: Findings, seconds: float) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"part": part_name, "width": width, "seconds": round(seconds, 1), **asdict(findings)}
    (RESULTS / f"{part_name}-{width}.json").write_text(json.dumps(data, indent=1))


def _report(part_name: str, width: int, findings: Findings) -> str:
    found, sideways, refused = findings.violations, findings.sideways, findings.refused
    lines = []
    by_rule = defaultdict(list)
    for violation in found:
        by_rule[(violation["id"], violation["impact"], violation["help"])].append(violation)
    nodes = sum(len(v["nodes"]) for v in found)
    lines.append(
        f"{part_name} at {width} px: {len(by_rule)} axe rules violated, {nodes} elements, "
        f"on {len({v['page'] for v in found})} pages"
    )
    for (rule, impact, help_text), violations in sorted(by_rule.items()):
        count = sum(len(v["nodes"]) for v in violations)
        lines.append(
            f"\n{rule} [{impact}] {help_text}: {count} elements on {len(violations)} pages"
        )
        for v in violations:
            lines.append(f"  {v['page']}: {', '.join(v['nodes'])}")
    if sideways:
        lines.append(f"\nScrolls sideways at {width} px: {len(sideways)} pages")
        for s in sideways:
            lines.append(
                f"  {s['page']}: scrollWidth {s['scrollWidth']} > {min(s['innerWidth'], s['clientWidth'])}"
            )
    if refused:
        lines.append("\nNot answered 200 (the registry says they are):")
        lines.extend(f"  {r}" for r in refused)
    return "\n".join(lines)
