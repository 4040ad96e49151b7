"""Demo data reads as the seed does; scale data is built in bulk; groups stay apart."""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo import data
from members.models import Institution, Representative
from tests.factories import sign_in
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.scoping import group_scope, scopes_disabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return WorkingGroup.objects.get(slug="peru"), WorkingGroup.objects.get(slug="ghana")


def test_peru_has_the_29_institutions_of_august_2016(demo):
    peru, _ = demo
    assert peru.default_language == "es" and peru.timezone == "America/Lima"
    with group_scope(peru):
        institutions = list(Institution.objects.all())
    assert len(institutions) == 29
    by = Counter((i.pillar, i.kind, i.participation) for i in institutions)
    assert by == {
        ("government", "national_government", "member"): 6,
        ("companies", "company", "member"): 8,
        ("civil_society", "ngo_academic", "member"): 5,
        ("government", "foreign_government", "member"): 8,
        ("", "international_organisation", "observer"): 2,
    }
    observers = {i.name for i in institutions if i.participation == "observer"}
    assert observers == {"Comité Internacional de la Cruz Roja", "UNLIREC"}


def test_every_institution_has_a_representative_and_the_roles_are_seated(demo):
    peru, _ = demo
    with group_scope(peru):
        assert Representative.objects.values("institution").distinct().count() == 29
        secretariat = RoleAssignment.objects.get(role="secretariat")
        assert Representative.objects.get(user=secretariat.user).institution.name == "Socios Perú"
        seats = dict(
            RoleAssignment.objects.filter(role="coordination").values_list("pillar", "user__email")
        )
    assert set(seats) == {"companies", "government", "civil_society"}


def test_seed_demo_is_idempotent(demo):
    before = (User.objects.count(), *_counts())
    call_command("seed_demo", verbosity=0)
    assert (User.objects.count(), *_counts()) == before


def _counts():
    with scopes_disabled():
        return (
            Institution.objects.count(),
            Representative.objects.count(),
            RoleAssignment.objects.count(),
        )


def test_nothing_of_ghana_is_visible_from_peru(client, demo):
    peru, ghana = demo
    with group_scope(peru):
        names = set(Institution.objects.values_list("name", flat=True))
    ghana_names = {row[0] for row in data.GHANA_INSTITUTIONS}
    with group_scope(ghana):  # the leakable data is there
        assert set(Institution.objects.values_list("name", flat=True)) == ghana_names
    assert not names & ghana_names
    member = User.objects.get(email="angloamerican@peru.example.org")
    sign_in(client, member, password=data.PASSWORD)
    body = client.get(reverse("group:home", kwargs={"wg": "peru"})).content.decode()
    for name in ghana_names:
        assert name not in body
    assert client.get(reverse("group:home", kwargs={"wg": "ghana"})).templates[0].name == (
        "portal/group_public.html"
    )


def test_one_person_in_two_groups_sees_both_in_the_switcher(client, demo):
    user = User.objects.get(email="canada@example.org")
    sign_in(client, user, password=data.PASSWORD)
    body = client.get("/").content.decode()
    assert "/peru/" in body and "/ghana/" in body
    assert 'class="menu group-switcher"' in body


def test_seed_scale_builds_groups_in_bulk(django_assert_max_num_queries):
    from activities.models import Activity, OutreachEntry
    from meetings.models import Contribution, Meeting, Minutes
    from meetings.services import attribution, redaction

    began = time.monotonic()
    call_command("seed_scale", groups=2, years=3, verbosity=0)
    elapsed = time.monotonic() - began
    groups = WorkingGroup.objects.filter(slug__startswith="scale-")
    assert groups.count() == 2
    first = groups.order_by("slug").first()
    with group_scope(first):
        assert Institution.objects.count() == 40
        assert Representative.objects.count() == 60
        assert RoleAssignment.objects.filter(role="coordination").count() == 3
        held = Meeting.objects.filter(status="held")
        assert (
            held.filter(kind="plenary").count() == 12
            and held.filter(kind="coordination").count() == 12
        )
        assert Meeting.objects.filter(status="planned", kind="plenary").count() == 1
        assert Contribution.objects.filter(section__minutes__meeting__in=held).count() == 24 * 40
        assert Activity.objects.count() == 300 and OutreachEntry.objects.count() == 100
        # The frozen renderings are the real projections of the record.
        circulated = Minutes.objects.select_related("circulated_version", "meeting").get(
            status="circulated"
        )
        assert circulated.circulated_version.members == redaction.members(circulated)
        version = circulated.circulated_version
        opened = attribution.open_version(
            version.attributed, opened=attribution.data_key(circulated), number=version.number
        )
        assert opened.pop("attribution") == "open"
        opened.pop("attribution_destroyed_at")
        assert opened == redaction.attributed(circulated)
        assert (
            Minutes.objects.filter(status="adopted", adopted_at_meeting__isnull=False).count() == 11
        )
    assert User.objects.filter(email__endswith="scale-0001.example.org").count() == 60
    assert elapsed < 60
    # Bulk: a constant number of queries per table, plus the projections of each minutes (the
    # attributed one opens the minutes' data key and reads its speakers' names by id, the
    # sealed speakers being no columns to join; the speakers' institutions by constituency,
    # and the guests agreed for the next meeting, one query each); and the search index, built
    # once at the end, a few queries per family of rows, not per row (``vpswg.search``).
    with django_assert_max_num_queries(80 + 30 * 12 + 80):
        call_command("seed_scale", groups=1, start=10, years=3, verbosity=0)
    from vpswg.models import SearchEntry

    latest = WorkingGroup.objects.get(slug="scale-0010")
    with group_scope(latest):
        kinds = set(SearchEntry.objects.values_list("kind", flat=True))
        assert {"minutes", "agenda", "activity", "outreach"} <= kinds
        assert SearchEntry.objects.filter(rendering="members").exists()


def test_seed_scale_refuses_to_build_over_existing_groups():
    from django.core.management.base import CommandError

    call_command("seed_scale", groups=1, verbosity=0)
    with pytest.raises(CommandError, match="--start"):
        call_command("seed_scale", groups=1, verbosity=0)


def test_the_demo_coordination_meeting_is_closed_to_members(client, demo, settings):
    """The demo shows a closed meeting: the seats see it, a member gets 404."""
    settings.ENFORCE_MFA = False  # as in the demo
    from meetings.models import Meeting

    peru, _ = demo
    with group_scope(peru):
        meeting = Meeting.objects.get(kind="coordination")
    url = reverse("meetings:detail", kwargs={"wg": "peru", "pk": meeting.pk})
    for email, status in (
        ("antamina@peru.example.org", 200),
        ("angloamerican@peru.example.org", 404),
    ):
        client.force_login(User.objects.get(email=email))
        assert client.get(url).status_code == status, email


def test_the_peruvian_groups_content_is_spanish_whatever_the_catalogue(settings, tmp_path):
    """The group's titles are its own, in its language: they do not come from the interface's
    catalogue, so none turns English where a translation is missing (here: the kinds')."""
    from django.utils import translation

    from activities.models import Activity, OutreachEntry
    from meetings.models import AgendaItem, DiscussionTopic, Meeting
    from workplan.models import Objective, PlannedActivity, WorkPlan

    with translation.override("en"):
        english = [str(label) for label in Activity.Kind.labels]
    settings.LOCALE_PATHS = [untranslated_catalogue(tmp_path, english)]
    call_command("seed_demo", verbosity=0)
    peru = WorkingGroup.objects.get(slug="peru")
    with group_scope(peru):
        titles = [
            *Activity.objects.values_list("title", flat=True),
            *Meeting.objects.values_list("title", flat=True),
            *AgendaItem.objects.values_list("topic", flat=True),
            *DiscussionTopic.objects.values_list("title", flat=True),
            *WorkPlan.objects.values_list("title", flat=True),
            *Objective.objects.values_list("title", flat=True),
            *PlannedActivity.objects.values_list("title", flat=True),
            *OutreachEntry.objects.values_list("outcome", flat=True),
        ]
        generated = [
            t
            for t in Activity.objects.values_list("title", flat=True)
            if " sobre los Principios " in t
        ]
    english = set(english) - set(data.PERU_KIND_WORDS.values())  # "Panel" is Spanish too
    assert len(titles) > 60 and len(generated) == 28 - len(data.PERU_KEY_ACTIVITIES)
    words = "|".join(map(re.escape, english))
    english_word = re.compile(rf"\b({words})\b")
    assert [t for t in titles if english_word.search(t)] == []
    assert {t.split(" sobre ", 1)[0] for t in generated} <= set(data.PERU_KIND_WORDS.values())


def untranslated_catalogue(tmp_path, messages: list[str]):
    """A Spanish catalogue, ahead of the project's, in which ``messages`` are not translated
    (msgstr = msgid): a catalogue in the middle of being translated."""
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    entries = "".join(f'msgid "{m}"\nmsgstr "{m}"\n\n' for m in messages)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries,
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(po)], check=True)
    return tmp_path / "locale"


def test_colombia_is_halfway_through_the_guide_and_peru_has_its_terms_in_force(client, demo):
    """A new user sees the founding guide on the Colombian Secretariat's dashboard, its steps
    read from the seeded data; the Peruvian group, which has run for years, reads its terms of
    reference in force (adopted in 2010) and has turned the guide off."""
    from members.models import TermsOfReference
    from portal import guide

    colombia = WorkingGroup.objects.get(slug="colombia")
    with group_scope(colombia):
        steps = {s.number: s.done for s in guide.steps(colombia)}
        proposal = TermsOfReference.objects.get()
        assert proposal.status == "review" and proposal.votes.count() == 1
    assert steps[2] and steps[4] and steps[10]
    assert not steps[1] and not steps[5] and not steps[7]
    peru = WorkingGroup.objects.get(slug="peru")
    assert peru.founding_guide == "never"
    with group_scope(peru):
        assert TermsOfReference.objects.get().status == "adopted"
    secretariat = User.objects.get(email=f"{data.COLOMBIA_SECRETARIAT}@colombia.example.org")
    from tests.factories import enrol_totp

    enrol_totp(secretariat)  # outside the demo's mode, the Secretariat needs a second factor
    sign_in(client, secretariat, password=data.PASSWORD)
    body = client.get(reverse("group:home", kwargs={"wg": "colombia"})).content.decode()
    assert 'id="founding-guide"' in body
