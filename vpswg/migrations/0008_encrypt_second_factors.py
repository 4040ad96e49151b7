"""Placeholder: the second factors' secrets encrypted at rest (filled in by the MFA work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("vpswg", "0007_workinggroup_attribution_retention")]
    operations = []
