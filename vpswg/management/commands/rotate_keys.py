"""Re-encrypt what a key ring protects under its current (first) key (docs/keys.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from vpswg.crypto import ROTATORS, DecryptionError


class Command(BaseCommand):
    help = (
        "Re-encrypt the minutes' data keys (attribution) and the second factors' secrets (mfa) "
        "under the first key of VPSWG_ATTRIBUTION_KEYS / VPSWG_MFA_KEYS. Run it after putting "
        "a new key first; once it has run, the older keys may be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=sorted(ROTATORS),
            action="append",
            help="Rotate only this ring (may be repeated).",
        )

    def handle(self, *args, **options):
        names = options["only"] or sorted(ROTATORS)
        for name in names:
            variable, rotate = ROTATORS[name]
            try:
                changed = rotate()
            except DecryptionError as exc:
                raise CommandError(
                    f"{name}: a value does not open with any key of {variable} ({exc}). "
                    "Put back the key it was encrypted with, then run rotate_keys again."
                ) from exc
            self.stdout.write(f"{name}: {changed} re-encrypted under the first key of {variable}")
