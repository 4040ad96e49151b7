"""The Initiative's view across groups (issue 18, part 3): one row per group and year, of the
families of figures each group agreed to share, counts only; no name, text or file ever leaves
a group; a count under 3 is withheld; a group that shares nothing is absent."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import initiative
from activities.models import Activity, ParticipantCount
from meetings.models import Attendance, Invitation, Meeting, Minutes
from tests.factories import (
    enrol_totp,
    make_application,
    make_group,
    make_institution,
    make_member,
    make_representative,
    make_user,
    sign_in,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

YEAR = datetime.date.today().year - 1
CANARIES = [
    "CANARY-PERSON",
    "canary.person@",
    "CANARY-INSTITUTION",
    "CANARY-MEETING",
    "CANARY-ACTIVITY",
    "CANARY-APPLICANT",
    "CANARY-DESCRIPTION",
]


def seed(group, *, plenaries=4, institutions=3, applications=3, adopted=3):
    """A year of a group, with leakable names and texts everywhere a count comes from."""
    people = []
    insts = []
    for n in range(institutions):
        for pillar, kind in (
            ("companies", "company"),
            ("government", "national_government"),
            ("civil_society", "ngo_academic"),
        ):
            inst = make_institution(
                group, name=f"CANARY-INSTITUTION {pillar} {n}", pillar=pillar, kind=kind
            )
            insts.append(inst)
            user = make_user(
                full_name=f"CANARY-PERSON {pillar} {n}", email=f"canary.person{inst.pk}@x.test"
            )
            people.append(make_representative(group, user=user, institution=inst))
    with group_scope(group):
        for p in range(plenaries):
            start = datetime.datetime(YEAR, 1 + 3 * p, 10, 15, tzinfo=datetime.UTC)
            meeting = Meeting.objects.create(
                working_group=group,
                kind=Meeting.Kind.PLENARY,
                title=f"CANARY-MEETING {p}",
                start=start,
                venue="Lima",
                status=Meeting.Status.HELD,
            )
            Invitation.objects.bulk_create(
                [Invitation(working_group=group, meeting=meeting, institution=i) for i in insts]
            )
            # Everyone but the first government body comes.
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        working_group=group, meeting=meeting, user=r.user, institution=r.institution
                    )
                    for r in people
                    if r.institution.name != "CANARY-INSTITUTION government 0"
                ]
            )
            if p < adopted:
                Minutes.objects.create(
                    working_group=group,
                    meeting=meeting,
                    status=Minutes.Status.ADOPTED,
                    summary="CANARY-DESCRIPTION of what was said",
                    adopted_at=start + datetime.timedelta(days=30 + 10 * p),
                )
        for n in range(4):
            activity = Activity.objects.create(
                working_group=group,
                title=f"CANARY-ACTIVITY {n}",
                kind="capacity_building",
                start_date=datetime.date(YEAR, 5, 1 + n),
                status=Activity.Status.CONFIRMED,
                description="CANARY-DESCRIPTION",
            )
            ParticipantCount.objects.create(
                working_group=group, activity=activity, sector="police_military", total=10
            )
    for n in range(applications):
        make_application(group, "submitted", name=f"CANARY-APPLICANT {n}")
    from members.models import Application

    with group_scope(group):
        Application.objects.update(submitted_at=datetime.datetime(YEAR, 6, 1, tzinfo=datetime.UTC))


def share(group, *families):
    for family in initiative.FAMILIES:
        setattr(group, f"initiative_shares_{family}", family in families)
    group.save()


@pytest.fixture
def operator(client):
    user = make_user(is_staff=True, is_superuser=True)
    enrol_totp(user)
    sign_in(client, user)
    return user


@pytest.fixture
def two_groups(db):
    a = make_group("andes", name="Andes Working Group", country="Peru")
    b = make_group("sahel", name="Sahel Working Group", country="Mali")
    seed(a)
    seed(b)
    share(a, *initiative.FAMILIES)
    return a, b


def page(client, fmt: str = "") -> str:
    url = reverse("admin:initiative") + f"?year={YEAR}" + (f"&format={fmt}" if fmt else "")
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_figures_of_a_sharing_group_and_none_of_its_names_or_texts(
    client, operator, two_groups
):
    html, csv, raw = page(client), page(client, "csv"), page(client, "json")
    for body in (html, csv, raw):
        assert "Andes Working Group" in body
        # The group that shares nothing is absent, its figures with it.
        assert "Sahel Working Group" not in body
        for canary in CANARIES:
            assert canary.lower() not in body.lower(), canary
    row = next(r for r in json.loads(raw)["rows"] if r["year"] == YEAR)
    assert row["plenaries_held"] == 4 and row["plenaries_expected"] == 4
    # 3 companies invited to 4 plenaries, all present; 2 of 3 government bodies present.
    assert row["attendance_rate_companies"] == 1.0
    assert row["attendance_rate_government"] == pytest.approx(0.667, abs=0.001)
    assert row["host_state_present_rate"] == pytest.approx(0.667, abs=0.001)
    assert row["activities"] == 4 and row["participants"] == 40
    assert row["applications_received"] == 3
    assert row["minutes_adopted"] == 3 and row["median_days_to_adoption"] == 40


def test_only_the_families_a_group_shares_leave_it(client, operator, two_groups):
    a, _b = two_groups
    share(a, "meetings")
    row = next(r for r in json.loads(page(client, "json"))["rows"] if r["year"] == YEAR)
    assert "plenaries_held" in row
    assert not {"activities", "participants", "applications_received", "minutes_adopted"} & set(row)
    assert "not shared" in page(client)


def test_a_count_under_three_is_withheld_and_zero_is_shown(client, operator):
    small = make_group("small", name="Small Working Group")
    seed(small, plenaries=2, institutions=1, applications=2, adopted=2)
    share(small, *initiative.FAMILIES)
    row = next(r for r in json.loads(page(client, "json"))["rows"] if r["year"] == YEAR)
    # Two plenaries, two applications, two adopted minutes: withheld, and the median with them.
    assert row["plenaries_held"] is None
    assert row["applications_received"] is None
    assert row["minutes_adopted"] is None and row["median_days_to_adoption"] is None
    # One company invited twice: a rate from 2 is withheld.
    assert row["attendance_rate_companies"] is None
    assert row["institutions_admitted"] == 0


def test_a_constant_number_of_queries_whatever_the_groups(db):
    first = make_group("one")
    seed(first, plenaries=1, institutions=1, applications=0, adopted=1)
    share(first, *initiative.FAMILIES)
    with CaptureQueriesContext(connection) as few:
        initiative.rows([YEAR])
    for slug in ("two", "three"):
        group = make_group(slug)
        seed(group, plenaries=2, institutions=1, applications=1, adopted=1)
        share(group, *initiative.FAMILIES)
    with CaptureQueriesContext(connection) as many:
        assert len(initiative.rows([YEAR])) == 3
    assert len(many) == len(few)


def test_only_the_operator_with_a_second_factor_opens_it(client, two_groups):
    a, _b = two_groups
    url = reverse("admin:initiative")
    # A member of a group, signed in: sent to the admin's sign-in, nothing shown.
    member = make_member(a)
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 302 and "Andes" not in response.content.decode()
    client.logout()
    assert client.get(url + "?format=json").status_code == 302
