"""The second factors' secrets encrypted at rest with VPSWG_MFA_KEYS (vpswg.adapters.MFAAdapter).

Rows written before the adapter hold their TOTP secret, recovery-code seed and migrated codes
in clear. Forwards encrypts them under the ring's current key, skipping values already
encrypted (so running it twice, or after the adapter has written rows, changes nothing);
backwards puts them back in clear, which needs the key they were encrypted with.
"""

from django.db import migrations

from vpswg.adapters import decrypt_secrets, encrypt_secrets
from vpswg.crypto import mfa_ring


def _rewrite(apps, schema_editor, change) -> int:
    Authenticator = apps.get_model("mfa", "Authenticator")
    alias = schema_editor.connection.alias if schema_editor is not None else "default"
    ring = mfa_ring()
    changed = 0
    rows = Authenticator.objects.using(alias).order_by("pk").values_list("pk", "data")
    for pk, data in rows.iterator():
        new = change(data or {}, ring)
        if new != data:
            Authenticator.objects.using(alias).filter(pk=pk).update(data=new)
            changed += 1
    return changed


def encrypt_second_factors(apps, schema_editor) -> int:
    return _rewrite(apps, schema_editor, encrypt_secrets)


def decrypt_second_factors(apps, schema_editor) -> int:
    return _rewrite(apps, schema_editor, decrypt_secrets)


class Migration(migrations.Migration):
    dependencies = [
        ("vpswg", "0007_workinggroup_attribution_retention"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]
    operations = [migrations.RunPython(encrypt_second_factors, decrypt_second_factors)]
