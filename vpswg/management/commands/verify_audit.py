"""Check that each group's audit log is the chain it was written as (docs/audit.md)."""

from __future__ import annotations

import re
from datetime import UTC

from django.core.management.base import BaseCommand, CommandError, no_translations

from vpswg.models import WorkingGroup
from vpswg.scoping import group_scope
from vpswg.services.audit import Break, ChainReport, verify_chain

ANCHOR = re.compile(r"^(\d+):([0-9a-fA-F]{12,64})$")


class Command(BaseCommand):
    help = (
        "Recompute every audit entry's hash and link, group by group, and report the first "
        "entry that does not verify. Exits non-zero when one does not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--working-group", metavar="SLUG", help="Only this group.")
        parser.add_argument(
            "--anchor",
            metavar="ID:HASH",
            help=(
                "An entry id and its hash (12 or more hex digits) from an earlier run's "
                "'anchor' line (-v 2): that entry must still carry it. Needs --working-group."
            ),
        )

    @no_translations  # the output goes to the operator's logs: always the same words
    def handle(self, *args, working_group=None, anchor=None, verbosity=1, **options):
        groups = WorkingGroup.objects.order_by("slug")
        if working_group:
            groups = groups.filter(slug=working_group)
            if not groups.exists():
                raise CommandError(f"There is no working group with the slug {working_group!r}.")
        if anchor and not working_group:
            raise CommandError("--anchor is one group's entry: give --working-group too.")
        anchor_ref = self._anchor(anchor) if anchor else None
        failed = []
        for group in groups:
            # An operator tool across tenants: each group is read inside its own scope.
            with group_scope(group):
                report = verify_chain(group, anchor=anchor_ref)
            if report.ok:
                self._ok(group, report, verbosity)
            else:
                failed.append(group.slug)
                self.stderr.write(self._failure(group, report))
        if failed:
            raise CommandError(f"The audit log does not verify for: {', '.join(failed)}.")

    def _anchor(self, value: str) -> tuple[int, str]:
        match = ANCHOR.match(value)
        if match is None:
            raise CommandError("--anchor takes ID:HASH, HASH being 12 to 64 hex digits.")
        return int(match[1]), match[2]

    def _ok(self, group: WorkingGroup, report: ChainReport, verbosity: int) -> None:
        self.stdout.write(f"OK: {group.slug}: {report.entries} entries, head {report.head[:12]}")
        if verbosity > 1 and report.last_id is not None:
            self.stdout.write(f"  anchor {report.last_id}:{report.head}")

    def _failure(self, group: WorkingGroup, report: ChainReport) -> str:
        if report.first_bad_at is None:  # an anchor whose entry is gone
            entry = f"entry {report.first_bad_id} (no longer there)"
        else:
            when = report.first_bad_at.astimezone(UTC).isoformat(timespec="seconds")
            entry = f"entry {report.first_bad_id} ({when}, {report.first_bad_verb})"
        if report.reason == Break.ANCHOR:
            before = f"The chain of {report.entries} entries verifies on its own."
        else:
            before = f"The {report.entries} entries before it verify."
        return f"FAILED: {group.slug}: {entry} does not verify: {report.explanation}. {before}"
