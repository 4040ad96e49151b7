"""Build a large synthetic dataset for benchmarks and query-count tests.

Bulk inserts throughout: N groups of 40 institutions and 60 accounts each (40 primary
representatives, 20 alternates), a Secretariat and one Coordination seat per pillar. Later
feature issues add their own builders to ``BUILDERS``. Accounts share one password hash, so
building does not spend its time hashing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.models import Institution, Representative
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.permissions import role_group_name, sync_role_groups
from vpswg.roles import Pillar, Role
from vpswg.scoping import group_scope

PASSWORD = "vpswg-scale-2026"
INSTITUTIONS_PER_GROUP = 40
ALTERNATES_PER_GROUP = 20

PILLAR_KINDS = [
    (Pillar.COMPANIES, Institution.Kind.COMPANY),
    (Pillar.GOVERNMENT, Institution.Kind.NATIONAL_GOVERNMENT),
    (Pillar.GOVERNMENT, Institution.Kind.FOREIGN_GOVERNMENT),
    (Pillar.CIVIL_SOCIETY, Institution.Kind.NGO_ACADEMIC),
]


def build_membership(group: WorkingGroup, index: int, password_hash: str) -> None:
    """Institutions, accounts, representatives and roles of one scale group."""
    institutions = []
    for i in range(INSTITUTIONS_PER_GROUP):
        observer = i >= INSTITUTIONS_PER_GROUP - 2
        pillar, kind = PILLAR_KINDS[i % len(PILLAR_KINDS)]
        institutions.append(
            Institution(
                working_group=group,
                name=f"Institution {index:04d}-{i:02d}",
                short_name=f"I{index:04d}{i:02d}",
                pillar="" if observer else pillar,
                kind=Institution.Kind.INTERNATIONAL_ORGANISATION if observer else kind,
                participation="observer" if observer else "member",
            )
        )
    Institution.objects.bulk_create(institutions)
    people = INSTITUTIONS_PER_GROUP + ALTERNATES_PER_GROUP
    users = User.objects.bulk_create(
        [
            User(
                email=f"user{p:02d}@scale-{index:04d}.example.org",
                full_name=f"Scale Person {index:04d}-{p:02d}",
                password=password_hash,
            )
            for p in range(people)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    representatives, roles = [], []
    for p, user in enumerate(users):
        institution = institutions[p % INSTITUTIONS_PER_GROUP]
        representatives.append(
            Representative(
                working_group=group,
                institution=institution,
                user=user,
                kind="primary" if p < INSTITUTIONS_PER_GROUP else "alternate",
            )
        )
        role = Role.OBSERVER if institution.participation == "observer" else Role.MEMBER
        roles.append(RoleAssignment(working_group=group, user=user, role=role))
    roles.append(RoleAssignment(working_group=group, user=users[0], role=Role.SECRETARIAT))
    for seat, pillar in enumerate(Pillar, start=1):
        roles.append(
            RoleAssignment(
                working_group=group, user=users[seat], role=Role.COORDINATION, pillar=pillar
            )
        )
    Representative.objects.bulk_create(representatives)
    RoleAssignment.objects.bulk_create(roles)
    django_groups = {g.name: g.pk for g in Group.objects.filter(name__startswith=f"wg:{group.pk}:")}
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [
            Membership(user_id=r.user_id, group_id=django_groups[role_group_name(group.pk, r.role)])
            for r in roles
        ]
    )


#: (name, builder) pairs run for every group, in order, inside the group's scope.
BUILDERS: list[tuple[str, Callable[[WorkingGroup, int, str], None]]] = [
    ("membership", build_membership),
]


class Command(BaseCommand):
    help = "Build N synthetic working groups for benchmarks (slugs scale-0001, scale-0002, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, required=True, help="How many groups to build.")
        parser.add_argument(
            "--start", type=int, default=1, help="Number of the first group (to add more later)."
        )

    def handle(self, *args, groups: int, start: int, **options):
        if groups < 1:
            raise CommandError("--groups must be at least 1.")
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
                    for _, builder in BUILDERS:
                        builder(group, n, password_hash)
        elapsed = time.monotonic() - began
        self.stdout.write(
            self.style.SUCCESS(f"Built {groups} groups in {elapsed:.1f}s (password: {PASSWORD}).")
        )
