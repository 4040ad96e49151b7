"""Who said what encrypted at rest (meetings.services.attribution), and closed meetings.

Every existing minutes gets its data key, wrapped by VPSWG_ATTRIBUTION_KEYS; each contribution's
speaker is sealed into ``speaker_sealed`` (the plain columns are dropped by the next migration);
each frozen version's speakers and attendance are sealed, and its hash is taken again over the
stored form: a hash of the clear record would let anyone with the database test guesses of who
said what. The audit entries that quote a version's hash are brought to the new hash (before the
audit chain is computed: ``run_before``), so that they keep naming the same version.

The sealing functions are those of the application (the format is theirs).
"""

import json

from django.db import migrations, models
import django.db.models.deletion



def _disable_audit_trigger(schema_editor, enable: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    if enable:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "ALTER TABLE vpswg_auditentry "
        + ("ENABLE" if enable else "DISABLE")
        + " TRIGGER vpswg_auditentry_append_only"
    )


def _rewrite_audit_hashes(apps, schema_editor, mapping: dict[str, str]) -> None:
    if not mapping:
        return
    AuditEntry = apps.get_model("vpswg", "AuditEntry")
    changed = []
    for pk, data in AuditEntry.objects.filter(verb__startswith="minutes.").values_list("pk", "data"):
        if isinstance(data, dict) and data.get("hash") in mapping:
            changed.append((pk, {**data, "hash": mapping[data["hash"]]}))
    if not changed:
        return
    _disable_audit_trigger(schema_editor, enable=False)
    for pk, data in changed:
        # The historical model's queryset is Django's own: the append-only guard is the trigger.
        AuditEntry.objects.filter(pk=pk).update(data=data)
    _disable_audit_trigger(schema_editor, enable=True)


def seal_existing(apps, schema_editor):
    from meetings.services.attribution import (
        SpeakerRef,
        seal_speaker,
        seal_version,
        took_part,
    )
    from meetings.services.redaction import content_hash
    from vpswg.crypto import attribution_ring, new_key

    Minutes = apps.get_model("meetings", "Minutes")
    MinutesKey = apps.get_model("meetings", "MinutesKey")
    Contribution = apps.get_model("meetings", "Contribution")
    MinutesVersion = apps.get_model("meetings", "MinutesVersion")
    ring = attribution_ring()
    mapping: dict[str, str] = {}
    for minutes in Minutes.objects.order_by("pk").iterator():
        if MinutesKey.objects.filter(minutes_id=minutes.pk).exists():
            continue
        key = new_key()
        MinutesKey.objects.create(
            working_group_id=minutes.working_group_id,
            minutes_id=minutes.pk,
            wrapped=ring.encrypt(key, f"minutes-key:{minutes.pk}"),
        )
        for row in Contribution.objects.filter(section__minutes_id=minutes.pk).values(
            "pk", "speaker_user_id", "speaker_institution_id", "speaker_guest_id"
        ):
            ref = SpeakerRef(
                row["speaker_user_id"], row["speaker_institution_id"], row["speaker_guest_id"]
            )
            Contribution.objects.filter(pk=row["pk"]).update(
                speaker_sealed=seal_speaker(key, minutes.pk, row["pk"], ref)
            )
        for version in MinutesVersion.objects.filter(minutes_id=minutes.pk):
            plain = version.attributed
            if plain.get("sealed"):
                continue
            stored = seal_version(plain, key=key, minutes_id=minutes.pk, number=version.number)
            new_hash = content_hash(stored)
            mapping[version.content_hash] = new_hash
            MinutesVersion.objects.filter(pk=version.pk).update(
                attributed=stored, took_part=took_part(plain), content_hash=new_hash
            )
    for minutes in Minutes.objects.filter(status="adopted", adopted_at__isnull=True).select_related(
        "adopted_at_meeting"
    ):
        when = minutes.adopted_at_meeting.start if minutes.adopted_at_meeting else minutes.updated_at
        Minutes.objects.filter(pk=minutes.pk).update(adopted_at=when)
    _rewrite_audit_hashes(apps, schema_editor, mapping)


def unseal(apps, schema_editor):
    """Back to clear speakers (for a rollback): only where the data key still opens."""
    from meetings.services.attribution import DataKey, open_speaker, open_version
    from meetings.services.redaction import content_hash
    from vpswg.crypto import attribution_ring

    MinutesKey = apps.get_model("meetings", "MinutesKey")
    Contribution = apps.get_model("meetings", "Contribution")
    MinutesVersion = apps.get_model("meetings", "MinutesVersion")
    ring = attribution_ring()
    mapping: dict[str, str] = {}
    for row in MinutesKey.objects.exclude(wrapped="").iterator():
        opened = DataKey(row.minutes_id, ring.decrypt(row.wrapped, f"minutes-key:{row.minutes_id}"))
        for c in Contribution.objects.filter(section__minutes_id=row.minutes_id):
            ref = open_speaker(opened, c.pk, c.speaker_sealed)
            Contribution.objects.filter(pk=c.pk).update(
                speaker_user_id=getattr(ref, "user_id", None),
                speaker_institution_id=getattr(ref, "institution_id", None),
                speaker_guest_id=getattr(ref, "guest_id", None),
            )
        for version in MinutesVersion.objects.filter(minutes_id=row.minutes_id):
            if not version.attributed.get("sealed"):
                continue
            plain = open_version(version.attributed, opened=opened, number=version.number)
            for extra in ("attribution", "attribution_destroyed_at"):
                plain.pop(extra, None)
            old_hash = content_hash(plain)
            mapping[version.content_hash] = old_hash
            MinutesVersion.objects.filter(pk=version.pk).update(
                attributed=plain, content_hash=old_hash
            )
    _rewrite_audit_hashes(apps, schema_editor, mapping)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_minutes"),
        ("vpswg", "0007_workinggroup_attribution_retention"),
    ]
    run_before = [("vpswg", "0009_audit_chain")]

    operations = [
        migrations.CreateModel(
            name="MinutesKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("wrapped", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("destroyed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "minutes",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="data_key",
                        to="meetings.minutes",
                    ),
                ),
                (
                    "working_group",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="vpswg.workinggroup",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["working_group", "minutes"], name="minuteskey_wg_minutes"
                    )
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="meeting",
            options={
                "ordering": ["-start"],
                "permissions": [
                    ("view_logistics", "See the meeting's logistics (a guest speaker)"),
                    ("view_closed", "See a closed meeting, its agenda and its minutes"),
                ],
                "verbose_name": "meeting",
                "verbose_name_plural": "meetings",
            },
        ),
        migrations.AddField(
            model_name="contribution",
            name="speaker_sealed",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="minutes",
            name="adopted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="minutesversion",
            name="took_part",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(seal_existing, unseal),
    ]
