"""The contributions' plain speaker columns go: the speaker is in ``speaker_sealed`` now.

Apart from 0003 because PostgreSQL cannot alter a table whose rows the same transaction has
just updated. On an existing installation, run ``VACUUM FULL meetings_contribution,
meetings_minutesversion`` afterwards (docs/keys.md): until then the old row versions, with the
clear speakers, may remain in the database's files (not in a dump).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_attribution_encrypted")]

    operations = [
        migrations.RemoveConstraint(model_name="contribution", name="contribution_one_speaker"),
        migrations.RemoveField(model_name="contribution", name="speaker_guest"),
        migrations.RemoveField(model_name="contribution", name="speaker_institution"),
        migrations.RemoveField(model_name="contribution", name="speaker_user"),
    ]
