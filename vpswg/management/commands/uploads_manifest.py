"""Write the SHA-256 of every uploaded file the database refers to, with the backup
(docs/backup.md); ``verify_integrity --manifest`` checks a restore against it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from vpswg.integrity import write_manifest


class Command(BaseCommand):
    help = (
        "Print a sha256sum line ('<sha256>  <storage name>') for every uploaded file the "
        "database refers to, in every group. Run it right after the database dump and before "
        "copying the files; keep it with the files' backup. Exits non-zero when a file the "
        "database refers to is already missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, metavar="FILE", help="Write it there (default: stdout)."
        )

    @no_translations
    def handle(self, *args, output=None, **options):
        if output:
            with output.open("w") as handle:
                count, missing = write_manifest(handle)
        else:
            count, missing = write_manifest(self.stdout)
        for name in missing:
            self.stderr.write(f"MISSING: {name}: the database refers to it, the storage lacks it")
        self.stderr.write(f"{count} files in the manifest")
        if missing:
            raise CommandError(f"{len(missing)} files are missing from the storage already.")
