"""The audit log as a hash chain per group (docs/audit.md).

Adds ``prev_hash`` and ``entry_hash``, the index the chain is read by, and seals the rows
already there: each group's entries, in id order, chained from the genesis hash. On
PostgreSQL the append-only trigger (0002) refuses the UPDATE this needs, so it is disabled
for the duration, inside this migration's transaction: if anything fails, the rollback
restores it with the rest. Disabling it also locks the table against inserts until the
commit, so no entry can be written by a running instance while the chains are computed.

``created_at`` loses ``auto_now_add`` (which would replace the time after it was hashed) for
a default set by ``record()``; the column itself does not change.

Backwards: the two columns and the index are dropped; the entries stay as they were.
"""

import django.utils.timezone
from django.db import migrations, models

from vpswg.models.audit import GENESIS, chain_hash

BATCH = 1000
TRIGGER = "vpswg_auditentry_append_only"


def seal(apps, schema_editor):
    Entry = apps.get_model("vpswg", "AuditEntry")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE vpswg_auditentry DISABLE TRIGGER {TRIGGER}")
    # The historical model's default manager is a plain one: no scope, no append-only guard.
    entries = Entry._base_manager.using(schema_editor.connection.alias)
    groups = entries.order_by().values_list("working_group_id", flat=True).distinct()
    for group_id in list(groups):
        _seal_group(entries.filter(working_group_id=group_id))
    if postgresql:
        schema_editor.execute(f"ALTER TABLE vpswg_auditentry ENABLE TRIGGER {TRIGGER}")


def _seal_group(entries):
    """Batches by id (keyset), not one cursor held open across the updates: the same on
    PostgreSQL and SQLite, in constant memory."""
    prev_hash, last_id = GENESIS, 0
    while True:
        batch = list(entries.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            return
        for entry in batch:
            entry.prev_hash = prev_hash
            entry.entry_hash = prev_hash = chain_hash(entry.__dict__)
        entries.bulk_update(batch, ["prev_hash", "entry_hash"])
        last_id = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [("vpswg", "0008_encrypt_second_factors")]
    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="time"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="previous entry's hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["working_group", "id"], name="audit_wg_chain"),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
