"""Existing minutes are sealed by the migration: speakers, frozen versions, their hashes and the
audit entries that quote them (meetings 0003/0004)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from meetings.services import attribution
from vpswg.scoping import scopes_disabled

BEFORE = [("meetings", "0002_minutes")]


def _plain_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_what_was_stored_in_clear():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The models as the database now has them (every other app stays migrated).
    applied = list(MigrationExecutor(connection).loader.applied_migrations)
    apps = executor.loader.project_state(applied).apps
    WorkingGroup = apps.get_model("vpswg", "WorkingGroup")
    User = apps.get_model("vpswg", "User")
    Institution = apps.get_model("members", "Institution")
    Meeting = apps.get_model("meetings", "Meeting")
    Minutes = apps.get_model("meetings", "Minutes")
    Section = apps.get_model("meetings", "MinutesSection")
    Contribution = apps.get_model("meetings", "Contribution")
    Version = apps.get_model("meetings", "MinutesVersion")
    AuditEntry = apps.get_model("vpswg", "AuditEntry")

    group = WorkingGroup.objects.create(slug="old", name="Old group", country="Oldland")
    speaker = User.objects.create(email="old.speaker@example.test", full_name="Olga Oldspeaker")
    institution = Institution.objects.create(
        working_group=group, name="Old Mining", pillar="companies", kind="company"
    )
    meeting = Meeting.objects.create(
        working_group=group, kind="plenary", title="Old plenary", start=timezone.now()
    )
    minutes = Minutes.objects.create(working_group=group, meeting=meeting, status="circulated")
    section = Section.objects.create(working_group=group, minutes=minutes, title="Business")
    said = Contribution.objects.create(
        working_group=group,
        section=section,
        text="What was said first.",
        speaker_user=speaker,
        speaker_institution=institution,
    )
    nobody = Contribution.objects.create(working_group=group, section=section, text="Nobody.")
    plain = {
        "schema": 1,
        "rendering": "attributed",
        "meeting": {"title": "Old plenary", "kind": "plenary", "start": "", "venue": ""},
        "summary": "",
        "sections": [
            {
                "title": "Business",
                "main_points": "",
                "contributions": [
                    {
                        "speaker": {
                            "type": "representative",
                            "name": "Olga Oldspeaker",
                            "institution": "Old Mining",
                            "pillar": "companies",
                        },
                        "text": "What was said first.",
                    },
                    {"speaker": None, "text": "Nobody."},
                ],
                "decisions": [],
                "action_items": [],
            }
        ],
        "attendance": {"people": [{"name": "Olga Oldspeaker", "institution": "Old Mining"}]},
    }
    old_hash = _plain_hash(plain)
    version = Version.objects.create(
        working_group=group,
        minutes=minutes,
        number=1,
        status="approved",
        attributed=plain,
        members={},
        dissemination={},
        content_hash=old_hash,
        created_by=speaker,
    )
    AuditEntry.objects.create(
        working_group=group,
        verb="minutes.approved",
        object_type="meetings.minutes",
        object_id=str(minutes.pk),
        data={"version": 1, "hash": old_hash},
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from meetings.models import Contribution as Now
    from meetings.models import Minutes as NowMinutes
    from meetings.models import MinutesVersion as NowVersion
    from vpswg.models import AuditEntry as NowAudit

    with scopes_disabled():
        current = NowMinutes.objects.get(pk=minutes.pk)
        opened = attribution.data_key(current)
        assert opened.key is not None
        rows = dict(
            Now.objects.filter(section__minutes=current).values_list("pk", "speaker_sealed")
        )
        ref = attribution.open_speaker(opened, said.pk, rows[said.pk])
        assert (ref.user_id, ref.institution_id) == (speaker.pk, institution.pk)
        assert attribution.open_speaker(opened, nobody.pk, rows[nobody.pk]) == attribution.NOBODY
        assert len({len(v) for v in rows.values()}) == 1
        stored = NowVersion.objects.get(pk=version.pk)
        assert "Oldspeaker" not in json.dumps(stored.attributed)
        assert stored.took_part == {"companies": 1}
        assert stored.content_hash != old_hash
        shown = attribution.open_version(stored.attributed, opened=opened, number=1)
        assert shown["sections"][0]["contributions"][0]["speaker"]["name"] == "Olga Oldspeaker"
        audit = NowAudit.objects.get(verb="minutes.approved", object_id=str(minutes.pk))
        assert audit.data["hash"] == stored.content_hash
