"""No page repeats an element id, walked as the demo's people see it: a repeated id sends a
label's click, an ``aria-describedby`` or an htmx swap to another element (clicking a guest's
name in "agreements for the next meeting" ticked another guest as present)."""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import enrol_totp
from tests.html_ids import duplicate_ids
from vpswg.models import User, WorkingGroup
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/peru/[^"#?]*)(?:\?[^"#]*)?"')
#: Downloads and pages that are not HTML; and one of each kind of object is enough.
SKIP = re.compile(r"\.(pdf|ics|csv)$|/export|/logout|/download")
PAGES_PER_PERSON = 120


@pytest.fixture
def peru():
    call_command("seed_demo", verbosity=0)
    group = WorkingGroup.objects.get(slug="peru")
    with group_scope(group):
        # The next plenary under way: its attendance and its agreements for the next meeting
        # are on the same page, both listing the guests.
        meeting = (
            Meeting.objects.filter(kind="plenary", status="convened").order_by("start").first()
        )
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=1))
    return group


def _walk(client: Client) -> dict[str, list[str]]:
    seen, queue, found = set(), deque(["/peru/"]), {}
    while queue and len(seen) < PAGES_PER_PERSON:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if duplicated := duplicate_ids(html):
            found[path] = duplicated
        queue.extend(p for p in LINK.findall(html) if p not in seen)
    assert len(seen) > 10, "the walk found the group's pages"
    return found


@pytest.mark.parametrize(
    "email",
    [
        "socios@peru.example.org",  # the Secretariat
        "antamina@peru.example.org",  # a Coordination seat
        "angloamerican@peru.example.org",  # a member
        "icrc@peru.example.org",  # an observer
    ],
)
def test_no_page_repeats_an_id(peru, email):
    user = User.objects.get(email=email)
    enrol_totp(user)  # the Secretariat and the seats reach nothing without a second factor
    client = Client()
    client.force_login(user)
    assert _walk(client) == {}
