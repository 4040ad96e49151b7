"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log.

The model and queryset refuse too; the trigger also stops raw SQL and future code that
bypasses them. Consequences, on purpose: a working group with a history cannot be deleted,
and accounts are deactivated rather than deleted (the actor foreign key protects them).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION vpswg_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'vpswg_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER vpswg_auditentry_append_only
    BEFORE UPDATE OR DELETE ON vpswg_auditentry
    FOR EACH ROW EXECUTE FUNCTION vpswg_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS vpswg_auditentry_append_only ON vpswg_auditentry;
DROP FUNCTION IF EXISTS vpswg_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("vpswg", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
