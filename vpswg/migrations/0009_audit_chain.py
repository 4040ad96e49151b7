"""Placeholder: the audit log as a hash chain per group (filled in by the audit work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("vpswg", "0008_encrypt_second_factors")]
    operations = []
