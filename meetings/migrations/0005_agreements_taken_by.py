import django.db.models.deletion
from django.db import migrations, models


def mark_taken(apps, schema_editor):
    """Agreements already carried into a plenary planned after their meeting are taken: they
    would otherwise be added again to the next plenary planned."""
    Meeting = apps.get_model("meetings", "Meeting")
    held = Meeting.objects.filter(status="held").exclude(next_topics="", next_venue="")
    for meeting in held.only("pk", "working_group_id", "start").iterator():
        taker = (
            Meeting.objects.filter(
                working_group_id=meeting.working_group_id,
                kind="plenary",
                start__gt=meeting.start,
                created_at__gt=meeting.start,
            )
            .exclude(status="cancelled")
            .order_by("start")
            .values_list("pk", flat=True)
            .first()
        )
        if taker is not None:
            Meeting.objects.filter(pk=meeting.pk).update(agreements_taken_by_id=taker)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_drop_plain_speakers"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="agreements_taken_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="meetings.meeting",
            ),
        ),
        migrations.RunPython(mark_taken, migrations.RunPython.noop),
    ]
