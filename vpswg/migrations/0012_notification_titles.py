"""In-app notices read in the reader's current language: ``Notification.titles``, the subject
rendered in every language of the site, by language code (``vpswg.services.notifications``).

The rows already there were rendered in one language only: each gets ``{its language:
its subject}``, one UPDATE per language present (the page falls back to the subject for any
other). Backwards: the column is dropped; ``subject`` was never changed.
"""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import JSONObject


def keep_the_subject(apps, schema_editor):
    Notification = apps.get_model("vpswg", "Notification")
    # The historical model's default manager is a plain one: no scope.
    rows = Notification._base_manager.using(schema_editor.connection.alias)
    languages = rows.exclude(language="").order_by().values_list("language", flat=True).distinct()
    for language in list(languages):
        rows.filter(language=language).update(titles=JSONObject(**{language: F("subject")}))


class Migration(migrations.Migration):
    dependencies = [("vpswg", "0011_alter_user_language_and_more")]
    operations = [
        migrations.AddField(
            model_name="notification",
            name="titles",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(keep_the_subject, migrations.RunPython.noop),
    ]
