"""Every control shows where the keyboard is: tabbing through a page from its top, each control
focused has an outline (or a box-shadow ring) at least 2 px wide and of at least 3:1 against the
background behind it (WCAG 2.4.7 and 1.4.11). The header's menus are opened with Enter on the
way, as a keyboard user opens them, so that their items are tabbed through too.

A page per kind of control: the public application form (text, selects, checkboxes, a file),
a meeting's answer (radios, checkboxes) and the header menus of a member, the attendance form
(many checkboxes), and the activity register's filters.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.a11y import FOCUSED, LAYOUTS, focus_failure
from tests.factories import browser_context, make_meeting, make_meeting_in_session
from tests.isolation.routes import World
from vpswg.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 250


def _apply(world: World) -> str:
    return reverse("apply:form", kwargs={"wg": world.group.slug})


def _answer(world: World) -> str:
    meeting = make_meeting(world.group, "convened")
    return reverse("meetings:detail", kwargs={"wg": world.group.slug, "pk": meeting.pk})


def _attendance(world: World) -> str:
    meeting = make_meeting_in_session(world.group)
    return reverse("meetings:detail", kwargs={"wg": world.group.slug, "pk": meeting.pk})


def _register(world: World) -> str:
    return reverse("activities:list", kwargs={"wg": world.group.slug})


#: name: (who, the page, controls the walk must reach: proof that it went through the form)
PAGES = {
    "application form": ("anonymous", _apply, ["#id_name", "#id_pillar", "#id_letter"]),
    "meeting answer and header menus": (
        Role.MEMBER,
        _answer,
        ["input[name=answer]", ".user-menu a[href$='/notifications/']"],
    ),
    "attendance": (Role.SECRETARIAT, _attendance, ["input[name=present]", "#attendance-walk_ins"]),
    "activity register filters": (
        Role.SECRETARIAT,
        _register,
        ["main form select, main form input"],
    ),
}


def tab_through(page, selectors: list[str]) -> list[dict]:
    """Tab from the top of the page until the focus comes back round: each control focused,
    with its focus indicator as drawn and which of ``selectors`` it matches. A closed menu is
    opened with Enter when it is reached, as a keyboard user opens it."""
    walked, seen = [], set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, selectors)
        if focused is None:  # out of the document: the walk has gone round
            if walked:
                break
            continue
        if focused["key"] in seen:
            break
        seen.add(focused["key"])
        walked.append(focused)
        if focused["expandable"]:
            page.keyboard.press("Enter")
    return walked


@pytest.mark.parametrize("name", list(PAGES))
def test_every_control_shows_its_focus(live_server, browser, world, name):
    actor, path_for, must_reach = PAGES[name]
    base = live_server.url
    user = None if actor == "anonymous" else world.users[actor]
    path = path_for(world)
    page = browser_context(browser, base, user, **LAYOUTS[1280]).new_page()
    page.goto(base + path)
    walked = tab_through(page, must_reach)
    page.context.close()

    unreached = [s for i, s in enumerate(must_reach) if not any(f["matched"][i] for f in walked)]
    assert unreached == [], f"the walk through {path} never reached {unreached}"
    failures = [f"  {f['name']}: {why}" for f in walked if (why := focus_failure(f))]
    assert failures == [], (
        f"{name} ({path}, as {actor}): {len(failures)} of {len(walked)} controls without a "
        "visible focus indicator (2px, 3:1):\n" + "\n".join(failures)
    )
