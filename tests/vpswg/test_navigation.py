"""The group navigation: at most six sections for any role, the current one marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_group, make_member, make_observer, make_role_user
from vpswg.navigation import GROUP_NAV
from vpswg.roles import ROLE_ACTIONS, Role

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="group-nav"[^>]*>(.*?)</nav>', re.S)
SECTION_NAV = re.compile(r'<nav class="section-nav" aria-label="([^"]+)">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="(\w+)")?>([^<]+)</a>')


def links(html: str, pattern: re.Pattern) -> list[tuple[str, str, str]]:
    match = pattern.search(html)
    assert match, "no such navigation on the page"
    return [(href, current, label.strip()) for href, _, current, label in LINK.findall(match[0])]


def user_for(group, role):
    if role == Role.MEMBER:
        return make_member(group)
    if role == Role.OBSERVER:
        return make_observer(group)
    return make_role_user(group, role)


def test_six_sections_hold_every_page():
    """Every page of the old eleven-item row is still reachable: under its section (and, since,
    the Secretariat's page under the overview, the contributions under the reports and the
    documents under the meetings)."""
    every_page = {entry.url_name for section in GROUP_NAV for entry in section.entries}
    assert len(every_page) == 15
    assert {"group:secretariat", "group:terms", "members:contributions"} <= every_page
    assert all(
        entry.action is None or any(entry.action in ROLE_ACTIONS[role] for role in Role)
        for section in GROUP_NAV
        for entry in section.entries
    )
    assert len(GROUP_NAV) == 6


@pytest.mark.parametrize("role", Role.values)
def test_no_role_sees_more_than_six_sections(client, role):
    group = make_group()
    client.force_login(user_for(group, role))
    html = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    sections = links(html, NAV)
    assert 2 <= len(sections) <= 6, sections
    # The overview holds two pages (the dashboard, the Secretariat): its section is current.
    assert sections[0] == (f"/{group.slug}/", "true", "Overview")


def test_the_current_section_and_page_are_marked(client):
    group = make_group()
    client.force_login(make_role_user(group, Role.SECRETARIAT))
    html = client.get(reverse("members:applications", kwargs={"wg": group.slug})).content.decode()
    sections = links(html, NAV)
    assert [(label, current) for _, current, label in sections if current] == [("Members", "true")]
    label, _ = SECTION_NAV.search(html).groups()
    assert label == "Members"
    pages = links(html, SECTION_NAV)
    assert [label for _, _, label in pages] == [
        "Directory",
        "Applications",
        "Compliance",
    ]
    assert [label for _, current, label in pages if current == "page"] == ["Applications"]
    # Another section's page moves the mark.
    settings = client.get(reverse("group:settings", kwargs={"wg": group.slug})).content.decode()
    assert [label for _, current, label in links(settings, NAV) if current] == ["Administration"]
    assert [label for _, c, label in links(settings, SECTION_NAV) if c] == ["Settings"]


def test_a_section_of_one_page_for_the_role_is_a_plain_link(client):
    """An observer may open no application, compliance page or annual report: "Members" is
    the directory itself, with no row of one page under the header."""
    group = make_group()
    client.force_login(make_observer(group))
    url = reverse("members:directory", kwargs={"wg": group.slug})
    html = client.get(url).content.decode()
    sections = links(html, NAV)
    assert (url, "page", "Directory") in sections
    assert "Administration" not in [label for _, _, label in sections]
    assert SECTION_NAV.search(html) is None


def test_an_outsider_gets_no_navigation_of_the_group(client):
    """The Secretariat of another group sees the group's public page, without its sections,
    and none of its pages."""
    group, other = make_group(), make_group()
    client.force_login(make_role_user(other, Role.SECRETARIAT))
    public = client.get(reverse("group:home", kwargs={"wg": group.slug}))
    assert public.status_code == 200
    assert 'class="group-nav"' not in public.content.decode()
    assert client.get(reverse("members:applications", kwargs={"wg": group.slug})).status_code == 404
