"""Print a new key entry for VPSWG_ATTRIBUTION_KEYS or VPSWG_MFA_KEYS (docs/keys.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from vpswg.crypto import KeyConfigurationError, generate_entry


class Command(BaseCommand):
    help = (
        "Print a new key entry ('id:key'). Put it first in VPSWG_ATTRIBUTION_KEYS or "
        "VPSWG_MFA_KEYS (comma-separated, the current key first), restart, then run rotate_keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--id", default=None, help="The key's id (default: today's date).")

    def handle(self, *args, **options):
        try:
            self.stdout.write(generate_entry(options["id"]))
        except KeyConfigurationError as exc:
            raise CommandError(str(exc)) from exc
