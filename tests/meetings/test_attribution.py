"""Who said what, encrypted at rest: the database alone pairs no statement with its speaker;
the Secretariat still reads the attributed record; keys rotate; retention destroys it for good;
a wrong key or a damaged value shows "unreadable", never a 500 (``meetings.services.attribution``).
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.models import Contribution, Minutes, MinutesKey, MinutesReview, MinutesVersion
from meetings.services import attribution, redaction
from meetings.services import minutes as service
from tests.factories import (
    add_contribution,
    make_adopting_plenary,
    make_agenda_item,
    make_coordination,
    make_guest,
    make_institution,
    make_meeting,
    make_minutes,
    make_representative,
    make_secretariat,
    sign_in,
)
from vpswg.crypto import generate_entry
from vpswg.models import AuditEntry, User, WorkingGroup
from vpswg.scoping import group_scope, scopes_disabled

pytestmark = pytest.mark.django_db

SPEAKER = "Xiomara Uturunco Pachacútec"
GUEST = "Ignatius Vorhees Kappeler"
STATEMENTS = [
    "CANARY-ONE: agreements with the police must be public.",
    "CANARY-TWO: the draft law has gaps.",
    "CANARY-THREE: nobody in particular said this.",
]


@pytest.fixture
def attributed(group):
    """Held minutes with a representative, a guest and an unattributed statement, circulated,
    with the three seats, the Secretariat and a member."""
    meeting = make_meeting(group, "convened", days=20, title="Plenary on security")
    make_agenda_item(meeting, topic="Private security companies")
    with group_scope(group):
        type(meeting).objects.filter(pk=meeting.pk).update(
            start=timezone.now() - timedelta(hours=3)
        )
        meeting.refresh_from_db()
    rep = make_representative(group, institution=make_institution(group, name="Minera Qollqeq"))
    rep.user.full_name = SPEAKER
    rep.user.save()
    guest = make_guest(group, name=GUEST, organisation="Kappeler Institute")
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    secretariat = make_secretariat(group)
    member = make_representative(group).user
    minutes = make_minutes(meeting, actor=secretariat)
    for text, speaker in zip(STATEMENTS, (rep, guest, None), strict=True):
        add_contribution(minutes, text, speaker=speaker, actor=secretariat)
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        for seat in seats:
            service.review(minutes=minutes, actor=seat, decision="approve")
        service.circulate(minutes=minutes)
        minutes.refresh_from_db()
    return {
        "group": group,
        "meeting": meeting,
        "minutes": minutes,
        "secretariat": secretariat,
        "member": member,
        "seats": seats,
        "rep": rep,
        "guest": guest,
    }


def _page(client, user, group, meeting, suffix="") -> str:
    sign_in(client, user)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk}) + suffix
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')
        return cursor.fetchall()


def test_no_table_pairs_a_statement_with_its_speaker(attributed):
    """Every row of every table, read with SQL as a dump would be: where a statement is, its
    speaker's name, e-mail and institution are not."""
    identities = [
        SPEAKER,
        "Xiomara",
        "Uturunco",
        attributed["rep"].user.email,
        "Minera Qollqeq",
        GUEST,
        "Vorhees",
        "Kappeler",
    ]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        columns = {
            c.name
            for c in connection.introspection.get_table_description(cursor, "meetings_contribution")
        }
    assert not {c for c in columns if c.startswith("speaker") and c != "speaker_sealed"}
    carrying = 0
    for table in tables:
        for row in _rows(table):
            text = " ".join(
                json.dumps(v, default=str) if isinstance(v, dict | list) else str(v) for v in row
            )
            if not any(s.split(":")[0] in text for s in STATEMENTS):
                continue
            carrying += 1
            found = [i for i in identities if i.lower() in text.lower()]
            assert found == [], (table, found)
    # The statements are there (contributions, three renderings of the version).
    assert carrying >= 4


def test_the_secretariat_still_reads_who_said_what_and_members_do_not(client, attributed):
    body = _page(client, attributed["secretariat"], attributed["group"], attributed["meeting"])
    assert SPEAKER in body and GUEST in body and all(s in body for s in STATEMENTS)
    client.logout()
    body = _page(client, attributed["member"], attributed["group"], attributed["meeting"])
    assert all(s in body for s in STATEMENTS) and SPEAKER not in body and GUEST not in body


def test_ciphertexts_are_the_same_length_whoever_spoke(attributed):
    with group_scope(attributed["group"]):
        live = set(
            Contribution.objects.filter(section__minutes=attributed["minutes"]).values_list(
                "speaker_sealed", flat=True
            )
        )
        version = MinutesVersion.objects.get(minutes=attributed["minutes"])
    assert len(live) == 3 and len({len(v) for v in live}) == 1
    frozen = [c["speaker"] for s in version.attributed["sections"] for c in s["contributions"]]
    assert len(frozen) == 3 and len({len(v) for v in frozen}) == 1
    assert version.content_hash == redaction.content_hash(version.attributed)


def test_a_speaker_moved_to_another_statement_does_not_open(client, attributed):
    with group_scope(attributed["group"]):
        first, second, _third = Contribution.objects.filter(
            section__minutes=attributed["minutes"]
        ).order_by("position")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_contribution SET speaker_sealed = %s WHERE id = %s",
            [first.speaker_sealed, second.pk],
        )
    with group_scope(attributed["group"]):
        content = redaction.attributed(attributed["minutes"])
    speakers = [c["speaker"] for c in content["sections"][0]["contributions"]]
    assert speakers[0]["name"] == SPEAKER and speakers[1] == attribution.UNREADABLE


def test_rotation_keeps_the_record_readable(client, attributed, settings):
    old = settings.VPSWG_ATTRIBUTION_KEYS
    new = generate_entry("rotated")
    settings.VPSWG_ATTRIBUTION_KEYS = f"{new},{old}"
    call_command("rotate_keys", "--only", "attribution")
    with scopes_disabled():
        wrapped = MinutesKey.objects.get(minutes=attributed["minutes"]).wrapped
    assert wrapped.startswith("w1.rotated.")
    settings.VPSWG_ATTRIBUTION_KEYS = new  # the old key is gone
    body = _page(client, attributed["secretariat"], attributed["group"], attributed["meeting"])
    assert SPEAKER in body and GUEST in body
    with group_scope(attributed["group"]):  # and the live record too
        content = redaction.attributed(attributed["minutes"])
    assert content["sections"][0]["contributions"][0]["speaker"]["name"] == SPEAKER


def test_without_the_key_members_read_on_and_the_secretariat_sees_unreadable(
    client, attributed, settings, caplog
):
    settings.VPSWG_ATTRIBUTION_KEYS = generate_entry("stranger")
    group, meeting = attributed["group"], attributed["meeting"]
    body = _page(client, attributed["member"], group, meeting)
    assert STATEMENTS[0] in body
    pdf = client.get(reverse("meetings:minutes_pdf", kwargs={"wg": group.slug, "pk": meeting.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.logout()
    with caplog.at_level(logging.ERROR, logger="vpswg.attribution"):
        body = _page(client, attributed["secretariat"], group, meeting)
    assert "Attribution unreadable" in body and SPEAKER not in body
    assert "VPSWG_ATTRIBUTION_KEYS" in body
    assert any("VPSWG_ATTRIBUTION_KEYS" in r.getMessage() for r in caplog.records)
    # Nothing can be written under a key that would not read back.
    with group_scope(group):
        service.save_summary(
            minutes=attributed["minutes"],
            actor=attributed["secretariat"],
            summary="x",
            revision=attributed["minutes"].revision,
        )
        section = attributed["minutes"].sections.first()
        with pytest.raises(service.MinutesError, match="VPSWG_ATTRIBUTION_KEYS"):
            service.save_contribution(
                section=section, actor=attributed["secretariat"], text="New.", speaker=""
            )


def test_a_damaged_value_is_unreadable_for_that_statement_only(client, attributed, caplog):
    with group_scope(attributed["group"]):
        version = MinutesVersion.objects.get(minutes=attributed["minutes"])
    stored = version.attributed
    token = stored["sections"][0]["contributions"][1]["speaker"]
    stored["sections"][0]["contributions"][1]["speaker"] = token[:-6] + (
        "AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_minutesversion SET attributed = %s WHERE id = %s",
            [json.dumps(stored), version.pk],
        )
    with caplog.at_level(logging.ERROR, logger="vpswg.attribution"):
        body = _page(client, attributed["secretariat"], attributed["group"], attributed["meeting"])
    assert SPEAKER in body and GUEST not in body and "Attribution unreadable" in body
    assert any("does not open" in r.getMessage() for r in caplog.records)


def test_retention_destroys_the_attribution_for_good(
    client, attributed, settings, django_capture_on_commit_callbacks
):
    group, minutes, secretariat = (
        attributed["group"],
        attributed["minutes"],
        attributed["secretariat"],
    )
    with group_scope(group):
        plenary = make_adopting_plenary(minutes)
        service.adopt(minutes=minutes, actor=secretariat, meeting=plenary)
        # Not yet: the group keeps the record 90 days after adoption.
        assert attribution.destroy_expired(group) == []
        Minutes.objects.filter(pk=minutes.pk).update(adopted_at=timezone.now() - timedelta(days=91))
        hash_before = MinutesVersion.objects.get(minutes=minutes).content_hash
        key_before = MinutesKey.objects.get(minutes=minutes).wrapped
        assert attribution.destroy_expired(group) == [minutes.pk]
        assert attribution.destroy_expired(group) == []  # once
    body = _page(client, secretariat, group, attributed["meeting"])
    assert "Attribution destroyed on" in body and SPEAKER not in body and GUEST not in body
    assert all(s in body for s in STATEMENTS)
    with group_scope(group):
        key = MinutesKey.objects.get(minutes=minutes)
        version = MinutesVersion.objects.get(minutes=minutes)
        assert key.wrapped == "" and key.destroyed_at is not None
        assert set(
            Contribution.objects.filter(section__minutes=minutes).values_list(
                "speaker_sealed", flat=True
            )
        ) == {""}
        # What remains: the members' and dissemination versions, the hash, the approvals.
        assert version.content_hash == hash_before
        assert version.members["sections"][0]["contributions"][0]["text"] == STATEMENTS[0]
        assert MinutesReview.objects.filter(version=version).count() == 3
        assert AuditEntry.objects.filter(verb="minutes.attribution_destroyed").count() == 1
        # Even the master key cannot bring it back: the wrapped key is gone from the row...
        opened = attribution.data_key(minutes)
        assert opened.key is None and opened.destroyed
    # ...and a copy of it taken before (a backup) opens only what the row no longer holds.
    assert key_before.startswith("w1.")
    client.logout()
    body = _page(client, attributed["member"], group, attributed["meeting"])
    assert STATEMENTS[0] in body


def test_retention_zero_destroys_at_adoption(attributed):
    group, minutes = attributed["group"], attributed["minutes"]
    WorkingGroup.objects.filter(pk=group.pk).update(attribution_retention_days=0)
    group.refresh_from_db()
    with group_scope(group):
        plenary = make_adopting_plenary(minutes)
        service.adopt(
            minutes=Minutes.objects.get(pk=minutes.pk),
            actor=attributed["secretariat"],
            meeting=plenary,
        )
        assert attribution.data_key(minutes).destroyed


def test_the_retention_task_runs_for_every_group(attributed, eager_tasks):
    from meetings.tasks import retention_daily

    group, minutes = attributed["group"], attributed["minutes"]
    with group_scope(group):
        plenary = make_adopting_plenary(minutes)
        service.adopt(minutes=minutes, actor=attributed["secretariat"], meeting=plenary)
        Minutes.objects.filter(pk=minutes.pk).update(
            adopted_at=timezone.now() - timedelta(days=100)
        )
    assert retention_daily.delay().get() >= 1
    with group_scope(group):
        assert attribution.data_key(minutes).destroyed


def test_a_demo_dump_pairs_no_statement_with_a_speaker():
    """The done-when of the confidentiality issue: seed the demo, read every table with SQL."""
    call_command("seed_demo", verbosity=0)
    pairs = []  # (statement, [identities of its speaker])
    with scopes_disabled():
        for minutes in Minutes.objects.select_related("working_group", "meeting"):
            with group_scope(minutes.working_group):
                content = redaction.attributed(minutes)
            for section in content["sections"]:
                for c in section["contributions"]:
                    speaker = c["speaker"]
                    if not speaker:
                        continue
                    assert speaker not in (attribution.UNREADABLE, attribution.DESTROYED)
                    names = [speaker["name"], speaker["institution"]]
                    user = User.objects.filter(full_name=speaker["name"]).first()
                    if user is not None:
                        names.append(user.email)
                    pairs.append((c["text"], [n for n in names if n]))
    assert len(pairs) >= 5, "the demo has no attributed statement to look for"
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    failures = []
    for table in tables:
        for row in _rows(table):
            text = " ".join(
                json.dumps(_without_published_names(v), default=str, ensure_ascii=False)
                for v in row
            )
            for statement, names in pairs:
                key = statement[:60]
                if key not in text:
                    continue
                # The statement's own words may name someone (that is the leak detector's
                # business, and members read them anyway): look beside it, not in it.
                beside = text.replace(json.dumps(statement, ensure_ascii=False)[1:-1], " ")
                beside = beside.replace(statement, " ")
                found = [n for n in names if n.lower() in beside.lower()]
                if found:
                    failures.append(f"{table}: {key!r} beside {found}")
    assert failures == []


def _without_published_names(value):
    """A frozen rendering without what names an institution by design, apart from any
    statement: the institution responsible for an action item (members read it)."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            value = json.loads(value)  # a JSON column, as the database driver returns it
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: _without_published_names(v) for k, v in value.items() if k != "action_items"}
    if isinstance(value, list):
        return [_without_published_names(v) for v in value]
    return value
