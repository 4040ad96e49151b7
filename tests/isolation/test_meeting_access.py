"""The access policy of meetings and minutes as a matrix: every meeting kind x every reader x
every channel, with the leakable data present (``meetings.access``).

For each kind (plenary, Coordination Group, extraordinary) the group has a meeting held, with
minutes circulated, and one convened for next month; each carries canary words in its title,
agenda and minutes. Every reader then collects what each channel gives them: the meeting
page and its htmx request, the calendar file, the minutes page in the members' and the
dissemination renderings, both PDFs, the meetings list, the dashboard, the topics page, an
answer to the invitation, the e-mails they received and their in-app notices.

A Coordination Group meeting is closed: the Secretariat, the three seats and a member given
access by name see it; a guest speaker invited to it sees its logistics and their own agenda
item; everyone else gets 404 and hears nothing of it. Plenaries and extraordinary meetings
are for the whole group; a guest of one meeting sees that meeting's logistics only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.services import agenda as agenda_service
from meetings.services import closed as closed_service
from meetings.services import meetings as meeting_service
from meetings.services import minutes as minutes_service
from meetings.services import participation, topics
from members.services.institutions import decide_standing
from tests.factories import (
    add_contribution,
    make_coordination,
    make_guest,
    make_institution,
    make_member,
    make_minutes,
    make_observer,
    make_representative,
    make_secretariat,
    make_user,
)
from vpswg.models import AuditEntry, Notification
from vpswg.scoping import group_scope, scopes_disabled

pytestmark = pytest.mark.django_db

KINDS = ("plenary", "coordination", "extraordinary")
READERS = (
    "secretariat",
    "seat_companies",
    "seat_government",
    "seat_civil_society",
    "member",
    "seat_colleague",
    "observer",
    "grantee",
    "guest_here",
    "guest_elsewhere",
    "suspended",
    "outsider",
    "anonymous",
)
SEATS = {"seat_companies", "seat_government", "seat_civil_society"}
#: Who sees each kind's meetings whole (as a member of the group).
SEES = {
    "plenary": {"secretariat", *SEATS, "member", "seat_colleague", "observer", "grantee"},
    "coordination": {"secretariat", *SEATS, "grantee"},
}
SEES["extraordinary"] = SEES["plenary"]
#: Who is told that each kind's minutes are circulated.
TOLD_OF_CIRCULATION = {
    # Every member and observer (the Secretariat and the seats are members in the factories).
    "plenary": SEES["plenary"],
    "coordination": SEATS,
}
TOLD_OF_CIRCULATION["extraordinary"] = TOLD_OF_CIRCULATION["plenary"]


def canary(kind: str, what: str) -> str:
    return f"{what}-CANARY-{kind.upper()}"


@dataclass
class Matrix:
    group: object
    users: dict
    held: dict
    upcoming: dict
    smtp: object


@pytest.fixture
def matrix(group, other_group, smtp_server, eager_tasks, django_capture_on_commit_callbacks):
    users = {
        "secretariat": make_secretariat(group),
        "seat_companies": make_coordination(group, "companies"),
        "seat_government": make_coordination(group, "government"),
        "seat_civil_society": make_coordination(group, "civil_society"),
        "member": make_member(group),
        "observer": make_observer(group),
        "grantee": make_member(group),
        "outsider": make_secretariat(other_group),
        "anonymous": None,
    }
    # Another representative of a seat's institution: that institution is invited to the
    # Coordination Group's meetings, but only the seat holder may see them.
    with group_scope(group):
        seat_institution = users["seat_companies"].representations.get().institution
    users["seat_colleague"] = make_representative(group, institution=seat_institution).user
    suspended = make_representative(group, institution=make_institution(group))
    users["suspended"] = suspended.user
    guest_here = make_guest(group, name="Guest Here", email="guest.here@example.test")
    guest_elsewhere = make_guest(group, name="Guest Elsewhere", email="guest.away@example.test")
    secretariat = users["secretariat"]
    held, upcoming = {}, {}
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        decide_standing(
            institution=suspended.institution,
            actor=secretariat,
            decision="suspension",
            reason="No annual report.",
        )
        speaker = make_representative(group, institution=make_institution(group, name="Speaker"))
        for kind in KINDS:
            for when, bucket in ((-1, held), (30, upcoming)):
                meeting = meeting_service.plan_meeting(
                    working_group=group,
                    actor=secretariat,
                    kind=kind,
                    title=canary(kind, "TITLE" if when > 0 else "HELD"),
                    start=timezone.now() + timezone.timedelta(days=30),
                    use_agreements=False,
                )
                agenda_service.save_agenda_item(
                    meeting=meeting,
                    actor=secretariat,
                    topic=canary(kind, "AGENDA"),
                    guests=[guest_here],
                )
                agenda_service.save_agenda_item(
                    meeting=meeting, actor=secretariat, topic=canary(kind, "OTHERITEM")
                )
                if kind == "coordination":
                    closed_service.grant_closed_access(
                        meeting=meeting, user=users["grantee"], actor=secretariat
                    )
                meeting_service.convene(meeting=meeting, actor=secretariat)
                bucket[kind] = meeting
            topic = topics.propose(
                working_group=group, actor=users["member"], title=canary(kind, "TOPIC")
            )
            topics.schedule(topic=topic, meeting=upcoming[kind], actor=secretariat)
        # A meeting the second guest speaks at, and nothing else.
        elsewhere = meeting_service.plan_meeting(
            working_group=group,
            actor=secretariat,
            kind="plenary",
            title="Another plenary",
            start=timezone.now() + timezone.timedelta(days=40),
            use_agreements=False,
        )
        agenda_service.save_agenda_item(
            meeting=elsewhere, actor=secretariat, topic="Elsewhere", guests=[guest_elsewhere]
        )
        meeting_service.convene(meeting=elsewhere, actor=secretariat)
        for meeting in held.values():
            Meeting.objects.filter(pk=meeting.pk).update(
                start=timezone.now() - timezone.timedelta(days=1)
            )
            meeting.refresh_from_db()
            participation.record_attendance(meeting=meeting, actor=secretariat, present=[])
    for kind, meeting in held.items():
        minutes = make_minutes(meeting, actor=secretariat)
        with group_scope(group):
            section = minutes_service.add_section(minutes=minutes, actor=secretariat, title="T")
        add_contribution(minutes, canary(kind, "STATEMENT"), speaker=speaker, section=section)
        with django_capture_on_commit_callbacks(execute=True), group_scope(group):
            minutes_service.submit(minutes=minutes, actor=secretariat)
            for seat in sorted(SEATS):
                minutes_service.review(minutes=minutes, actor=users[seat], decision="approve")
        with group_scope(group):
            minutes.refresh_from_db()
        assert minutes.status == "circulated", kind
    users["guest_here"] = _guest_user(group, guest_here)
    users["guest_elsewhere"] = _guest_user(group, guest_elsewhere)
    return Matrix(group, users, held, upcoming, smtp_server)


def _guest_user(group, guest):
    with group_scope(group):
        guest.refresh_from_db()
    return guest.user


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _get(client, url, **headers) -> tuple[int, str]:
    response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode(errors="replace")


def _urls(group, meeting) -> dict[str, str]:
    kwargs = {"wg": group.slug, "pk": meeting.pk}
    minutes = reverse("meetings:minutes", kwargs=kwargs)
    pdf = reverse("meetings:minutes_pdf", kwargs=kwargs)
    return {
        "page": reverse("meetings:detail", kwargs=kwargs),
        "ics": reverse("meetings:calendar", kwargs=kwargs),
        "minutes": minutes,
        "dissemination": minutes + "?version=dissemination",
        "pdf": pdf,
        "pdf_dissemination": pdf + "?version=dissemination",
    }


def _expected(kind: str, reader: str, channel: str, held: bool) -> int:
    if reader == "anonymous":
        return 302
    if reader in SEES[kind]:
        return 200
    if reader == "guest_here" and channel in {"page", "page_htmx", "ics"}:
        return 200
    return 404


@pytest.mark.parametrize("kind", KINDS)
def test_every_reader_gets_what_the_policy_says_on_every_channel(matrix, kind):
    group = matrix.group
    wrong = []
    for reader in READERS:
        user = matrix.users[reader]
        client = _client(user)
        for label, meeting in (("held", matrix.held[kind]), ("upcoming", matrix.upcoming[kind])):
            urls = _urls(group, meeting)
            channels = {**urls, "page_htmx": urls["page"]}
            if label == "upcoming":
                for name in ("minutes", "dissemination", "pdf", "pdf_dissemination"):
                    channels.pop(name)
            for channel, url in channels.items():
                headers = {"HTTP_HX_REQUEST": "true"} if channel == "page_htmx" else {}
                status, body = _get(client, url, **headers)
                expected = _expected(kind, reader, channel, label == "held")
                if expected == 302 and channel == "page_htmx":
                    expected = 204  # an expired session is sent to sign in with HX-Redirect
                if status != expected:
                    wrong.append(f"{reader} {label} {channel}: {status}, expected {expected}")
                    continue
                if status != 200:
                    assert "CANARY" not in body, (reader, channel)
                    continue
                if channel in {"page", "page_htmx"}:
                    assert canary(kind, "AGENDA") in body, (reader, channel)
                    shows_all = reader != "guest_here" or kind != "coordination"
                    assert (canary(kind, "OTHERITEM") in body) == shows_all, (reader, channel)
                if channel == "minutes":
                    # The members' rendering for every reader but the Secretariat's record.
                    assert canary(kind, "STATEMENT") in body, (reader, channel)
    assert wrong == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_kept_minutes_page_reaches_only_those_who_see_the_meeting(matrix, kind, local_cache):
    """The members' minutes page is kept in the process for everyone who reads it so (members,
    observers, a closed meeting's grantee): each reader is let in or refused by the policy on
    every request, whoever drew the page kept. Twice over, the second time every page kept."""
    urls = _urls(matrix.group, matrix.held[kind])
    for _ in range(2):
        wrong = []
        for reader in READERS:
            client = _client(matrix.users[reader])
            for channel in ("minutes", "dissemination"):
                status, body = _get(client, urls[channel])
                expected = _expected(kind, reader, channel, True)
                if status != expected:
                    wrong.append(f"{reader} {channel}: {status}, expected {expected}")
                elif status == 200:
                    assert canary(kind, "HELD") in body, (reader, channel)
                else:
                    assert "CANARY" not in body, (reader, channel)
        assert wrong == []


@pytest.mark.parametrize("kind", KINDS)
def test_listings_show_a_meeting_only_to_those_who_see_it(matrix, kind):
    group = matrix.group
    for reader in READERS:
        user = matrix.users[reader]
        if user is None:
            continue
        client = _client(user)
        pages = {
            "list": reverse("meetings:list", kwargs={"wg": group.slug}),
            "dashboard": reverse("group:home", kwargs={"wg": group.slug}),
            "topics": reverse("meetings:topics", kwargs={"wg": group.slug}),
        }
        for name, url in pages.items():
            status, body = _get(client, url)
            if reader in {"guest_here", "guest_elsewhere", "suspended", "outsider"}:
                # No role in the group: the public page, or 404 for the members' pages.
                assert "CANARY" not in body.replace(canary(kind, "TOPIC"), ""), (reader, name)
                continue
            assert status == 200, (reader, name)
            sees = reader in SEES[kind]
            if name in {"list", "dashboard"}:
                assert (canary(kind, "TITLE") in body) == sees, (reader, name)
            if name == "list":
                assert (canary(kind, "HELD") in body) == sees, (reader, name)
            if name == "topics":
                # The topic is every member's; where it was scheduled is not.
                assert canary(kind, "TOPIC") in body
                assert (canary(kind, "TITLE") in body) == sees, (reader, name)


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_to_a_closed_meeting_is_taken_only_from_those_who_see_it(matrix, kind):
    url = reverse(
        "meetings:answer", kwargs={"wg": matrix.group.slug, "pk": matrix.upcoming[kind].pk}
    )
    for reader in ("member", "observer", "seat_companies"):
        response = _client(matrix.users[reader]).post(url, {"answer": "yes"})
        if reader in SEES[kind]:
            # Answered for the institution when it was invited, else nothing to answer.
            assert response.status_code in {302, 404}, reader
        else:
            assert response.status_code == 404, reader


@pytest.mark.parametrize("kind", KINDS)
def test_notices_reach_only_those_who_may_see_the_meeting(matrix, kind):
    group = matrix.group
    for reader in READERS:
        user = matrix.users[reader]
        if user is None:
            continue
        mails = [m.message.as_string() for m in matrix.smtp.recorder.to(user.email)]
        with scopes_disabled():
            in_app = list(
                Notification.objects.filter(recipient=user).values_list("subject", "body")
            )
        notices = mails + [f"{s}\n{b}" for s, b in in_app]
        told = [n for n in notices if canary(kind, "TITLE") in n or canary(kind, "HELD") in n]
        if reader in SEES[kind] or (reader == "guest_here"):
            continue
        assert told == [], (reader, told[:1])
    # The circulation of the minutes went to exactly the readers the policy names.
    with group_scope(group):
        told = {
            reader
            for reader in READERS
            if matrix.users[reader] is not None
            and Notification.objects.filter(
                recipient=matrix.users[reader],
                kind="minutes_circulated",
                key__contains=f":{matrix.held[kind].minutes.pk}:",
            ).exists()
        }
    assert told == TOLD_OF_CIRCULATION[kind]


def test_the_grantee_loses_the_closed_meeting_when_access_is_taken_away(matrix, client):
    meeting = matrix.held["coordination"]
    grantee, secretariat = matrix.users["grantee"], matrix.users["secretariat"]
    page = _urls(matrix.group, meeting)["page"]
    grantee_client = _client(grantee)
    assert grantee_client.get(page).status_code == 200
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:closed_revoke", kwargs={"wg": matrix.group.slug, "pk": meeting.pk}),
        {"user": grantee.pk},
    )
    assert response.status_code == 302
    assert grantee_client.get(page).status_code == 404
    listing = grantee_client.get(reverse("meetings:list", kwargs={"wg": matrix.group.slug}))
    assert canary("coordination", "HELD") not in listing.content.decode()
    with group_scope(matrix.group):
        assert AuditEntry.objects.filter(
            verb="meeting.closed_access_revoked", data__user=grantee.pk
        ).exists()


def test_access_is_given_only_on_a_closed_meeting_and_to_a_representative(matrix, client):
    client.force_login(matrix.users["secretariat"])
    plenary = matrix.upcoming["plenary"]
    outsider_person = make_user()
    closed = matrix.upcoming["coordination"]
    grant = "meetings:closed_grant"
    for meeting, user, expected in (
        (plenary, matrix.users["member"], 404),  # nothing to open: every member sees it
        (closed, outsider_person, 302),  # refused with a message: not a representative
    ):
        response = client.post(
            reverse(grant, kwargs={"wg": matrix.group.slug, "pk": meeting.pk}), {"user": user.pk}
        )
        assert response.status_code == expected
    assert _client(outsider_person).get(_urls(matrix.group, closed)["page"]).status_code == 404
