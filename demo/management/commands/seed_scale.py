"""Build a large synthetic dataset for benchmarks and query-count tests (see
``demo.scale`` for what one group holds). Accounts share one password hash, so building
does not spend its time hashing.
"""

from __future__ import annotations

import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.scale import build_group
from vpswg import search
from vpswg.models import WorkingGroup
from vpswg.permissions import sync_role_groups
from vpswg.scoping import group_scope

PASSWORD = "vpswg-scale-2026"


class Command(BaseCommand):
    help = "Build N synthetic working groups for benchmarks (slugs scale-0001, scale-0002, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, required=True, help="How many groups to build.")
        parser.add_argument(
            "--start", type=int, default=1, help="Number of the first group (to add more later)."
        )
        parser.add_argument(
            "--years", type=int, default=12, help="Years of meetings and activities per group."
        )

    def handle(self, *args, groups: int, start: int, years: int = 12, **options):
        if groups < 1:
            raise CommandError("--groups must be at least 1.")
        if years < 3:
            raise CommandError("--years must be at least 3 (three work plans).")
        slugs = [f"scale-{n:04d}" for n in range(start, start + groups)]
        taken = set(WorkingGroup.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if taken:
            raise CommandError(
                f"{len(taken)} of these groups exist already (e.g. {sorted(taken)[0]}); "
                "use --start to add groups after them."
            )
        password_hash = make_password(PASSWORD)
        began = time.monotonic()
        for n, slug in zip(range(start, start + groups), slugs, strict=True):
            with transaction.atomic():
                group = WorkingGroup.objects.create(
                    slug=slug, name=f"Scale group {n:04d}", country=f"Country {n:04d}"
                )
                sync_role_groups(group)
                with group_scope(group):
                    with search.suspended():
                        build_group(group, n, password_hash, years)
                    search.reindex_group()
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"{slug}: {time.monotonic() - began:.1f}s")
        elapsed = time.monotonic() - began
        self.stdout.write(
            self.style.SUCCESS(f"Built {groups} groups in {elapsed:.1f}s (password: {PASSWORD}).")
        )
