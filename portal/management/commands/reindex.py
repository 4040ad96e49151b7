"""``manage.py reindex``: rebuild the search index from the data (after a restore, an upgrade,
or to be sure), group by group; with ``--extract``, read again the text of the documents whose
reading is pending or failed (a worker that was down)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from vpswg import search
from vpswg.models import WorkingGroup
from vpswg.scoping import group_scope


class Command(BaseCommand):
    help = "Rebuild the search index of every group (or of --group), from the data."

    def add_arguments(self, parser):
        parser.add_argument("--group", help="the group's slug (default: every group)")
        parser.add_argument(
            "--family",
            action="append",
            choices=sorted(search.FAMILIES),
            help="rebuild only these families of rows (repeatable)",
        )
        parser.add_argument(
            "--extract",
            action="store_true",
            help="read the text of documents still pending or failed first",
        )

    def handle(self, *args, group=None, family=None, extract=False, **options):
        groups = WorkingGroup.objects.order_by("pk")
        if group:
            groups = groups.filter(slug=group)
            if not groups.exists():
                raise CommandError(f"no working group {group!r}")
        total = 0
        for wg in groups:
            started = time.monotonic()
            with group_scope(wg):
                if extract:
                    self._extract()
                rows = search.reindex_group(family)
            total += rows
            self.stdout.write(f"{wg.slug}: {rows} rows in {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"{total} rows indexed"))

    def _extract(self) -> None:
        from meetings.documents.extraction import extract
        from meetings.models import DocumentVersion

        pending = DocumentVersion.objects.filter(
            text_status__in=[DocumentVersion.Text.PENDING, DocumentVersion.Text.FAILED]
        )
        for version in pending:
            extract(version)
