"""A group's institutions, accounts, representatives and roles."""

from __future__ import annotations

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from demo.scale.common import ALTERNATES_PER_GROUP, INSTITUTIONS_PER_GROUP, PILLAR_KINDS, Roster
from members.models import Institution, Representative
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.permissions import role_group_name
from vpswg.roles import Pillar, Role


def build_membership(group: WorkingGroup, index: int, password_hash: str) -> Roster:
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
    seats = []
    for seat, pillar in enumerate(Pillar, start=1):
        roles.append(
            RoleAssignment(
                working_group=group, user=users[seat], role=Role.COORDINATION, pillar=pillar
            )
        )
        seats.append((users[seat], pillar.value))
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
    return Roster(
        group=group,
        index=index,
        institutions=institutions,
        users=users,
        representatives=representatives,
        secretariat=users[0],
        seats=seats,
        rng=random.Random(index),
    )
