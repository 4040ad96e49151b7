"""Check that a restored installation is whole: frozen minutes, uploads, keys, audit chains
(docs/backup.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from vpswg.integrity import CHECKS, Options, Report, Tally, read_manifest, verify
from vpswg.models import WorkingGroup


class Command(BaseCommand):
    help = (
        "Verify, group by group, every frozen minutes version's hash, every uploaded file "
        "(against the backup's manifest with --manifest), that everything encrypted opens "
        "with VPSWG_ATTRIBUTION_KEYS and VPSWG_MFA_KEYS, and each audit chain. Prints what "
        "was verified and what was not (by id, never by content); exits non-zero on any "
        "failure. Run it after every restore, and from time to time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--manifest",
            type=Path,
            metavar="FILE",
            help="The uploads manifest written with the backup (manage.py uploads_manifest): "
            "each file's SHA-256 must match it.",
        )
        parser.add_argument("--working-group", metavar="SLUG", action="append", help="Only it.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="One JSON object, for scripts."
        )

    @no_translations  # the output goes to the operator's logs: always the same words
    def handle(self, *args, manifest=None, working_group=None, as_json=False, **options):
        if working_group:
            found = set(
                WorkingGroup.objects.filter(slug__in=working_group).values_list("slug", flat=True)
            )
            unknown = sorted(set(working_group) - found)
            if unknown:
                raise CommandError(f"There is no working group with the slug {unknown[0]!r}.")
        try:
            read = read_manifest(manifest) if manifest else None
        except (OSError, ValueError) as exc:
            raise CommandError(f"The manifest cannot be read: {exc}") from exc
        report = verify(slugs=working_group, options=Options(manifest=read))
        if as_json:
            self.stdout.write(_json(report))
        else:
            for slug, tally in report.groups.items():
                self._group(slug or "(no group)", tally)
            self.stdout.write(_line("Total", report.total))
        if not report.ok:
            raise CommandError(f"{report.total.failed} failures: the installation is not whole.")

    def _group(self, name: str, tally: Tally) -> None:
        if tally.failed:
            for failure in tally.failures:
                self.stderr.write(f"FAILED: {name}: {failure}")
            if tally.unlisted:
                self.stderr.write(f"FAILED: {name}: and {tally.unlisted} more")
        self.stdout.write(_line(f"{'OK' if not tally.failed else 'FAILED'}: {name}", tally))


def _line(head: str, tally: Tally) -> str:
    counts = ", ".join(f"{what} {n}" for what, n in sorted(tally.counts.items()))
    return f"{head}: {counts or 'nothing to verify'}; failures {tally.failed}"


def _json(report: Report) -> str:
    total = report.total
    return json.dumps(
        {
            "ok": report.ok,
            "checks": list(CHECKS),
            "total": {"counts": dict(total.counts), "failures": total.failed},
            "groups": {
                slug or "": {
                    "counts": dict(t.counts),
                    "failures": t.failures,
                    "unlisted": t.unlisted,
                }
                for slug, t in report.groups.items()
            },
        },
        sort_keys=True,
    )
