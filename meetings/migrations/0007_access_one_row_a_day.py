import django.db.models.functions.comparison
from django.db import migrations, models


def one_row_a_day(apps, schema_editor):
    """Each existing reading gets its day (in its group's time zone); the readings of one
    reader, rendering, version and day become one row with their count."""
    from zoneinfo import ZoneInfo

    MinutesAccess = apps.get_model("meetings", "MinutesAccess")
    WorkingGroup = apps.get_model("vpswg", "WorkingGroup")
    zones = {g.pk: ZoneInfo(g.timezone) for g in WorkingGroup.objects.only("pk", "timezone")}
    kept: dict[tuple, dict] = {}
    for row in MinutesAccess.objects.order_by("at", "id").iterator():
        day = row.at.astimezone(zones.get(row.working_group_id, ZoneInfo("UTC"))).date()
        key = (row.minutes_id, row.user_id, row.kind, row.version_number or 0, day)
        if key not in kept:
            kept[key] = {"pk": row.pk, "day": day, "last_at": row.at, "count": 1, "drop": []}
        else:
            entry = kept[key]
            entry["last_at"], entry["count"] = row.at, entry["count"] + 1
            entry["drop"].append(row.pk)
    for entry in kept.values():
        MinutesAccess.objects.filter(pk=entry["pk"]).update(
            day=entry["day"], last_at=entry["last_at"], count=entry["count"]
        )
        if entry["drop"]:
            MinutesAccess.objects.filter(pk__in=entry["drop"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_updated_by"),
        ("vpswg", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutesaccess",
            name="day",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="minutesaccess",
            name="last_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="minutesaccess",
            name="count",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(one_row_a_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="minutesaccess",
            name="day",
            field=models.DateField(),
        ),
        migrations.AlterField(
            model_name="minutesaccess",
            name="last_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="minutesaccess",
            name="kind",
            field=models.CharField(
                choices=[
                    ("attributed", "Read the attributed record"),
                    ("edited", "Opened the attributed record to edit it"),
                    ("members", "Read the members' version"),
                    ("dissemination", "Read the dissemination version"),
                    ("pdf_attributed", "Downloaded the attributed PDF"),
                    ("pdf_members", "Downloaded the members' PDF"),
                    ("pdf_dissemination", "Downloaded the dissemination PDF"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterModelOptions(
            name="minutesaccess",
            options={"ordering": ["-last_at", "-id"]},
        ),
        migrations.AddConstraint(
            model_name="minutesaccess",
            constraint=models.UniqueConstraint(
                models.F("minutes"),
                models.F("user"),
                models.F("kind"),
                django.db.models.functions.comparison.Coalesce(
                    models.F("version_number"), models.Value(0)
                ),
                models.F("day"),
                name="access_one_row_a_day",
            ),
        ),
    ]
