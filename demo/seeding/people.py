"""The demo's accounts and institutions, and the small arithmetic of its figures."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from demo import data
from members.models import Institution, Representative
from members.services.institutions import add_representative, create_institution
from vpswg.models import User, WorkingGroup
from vpswg.roles import Role
from vpswg.scoping import group_scope
from vpswg.services.groups import create_working_group
from vpswg.services.roles import grant_role

ADMIN_EMAIL = "admin@example.org"


def demo_email(local: str, group_slug: str) -> str:
    if local in data.SHARED_PEOPLE:
        return f"{local}@example.org"
    return f"{local}@{group_slug}.example.org"


def ensure_user(email: str, full_name: str, *, language: str = "", **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=data.PASSWORD, full_name=full_name, language=language, **extra
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_group(spec: data.GroupSpec) -> list[tuple[str, str, str]]:
    group = WorkingGroup.objects.filter(slug=spec.fields["slug"]).first()
    if group is None:
        group = create_working_group(**spec.fields)
    accounts = []
    with group_scope(group):
        existing = {i.name: i for i in Institution.objects.all()}
        represented = set(
            Representative.objects.filter(end_date__isnull=True).values_list(
                "institution_id", "user_id"
            )
        )
        for name, short, pillar, kind, participation, vps, person, local in spec.institutions:
            institution = existing.get(name) or create_institution(
                working_group=group,
                name=name,
                short_name=short,
                pillar=pillar,
                kind=kind,
                participation=participation,
                vps_member=vps,
            )
            language = group.default_language if local not in data.SHARED_PEOPLE else "en"
            user = ensure_user(demo_email(local, group.slug), person, language=language)
            if (institution.pk, user.pk) not in represented:
                add_representative(institution=institution, user=user, notify=False)
            roles = [participation]
            if local == spec.secretariat:
                grant_role(working_group=group, user=user, role=Role.SECRETARIAT, notify=False)
                roles.append("secretariat")
            for seat_pillar, seat_local in spec.seats.items():
                if local == seat_local:
                    grant_role(
                        working_group=group,
                        user=user,
                        role=Role.COORDINATION,
                        pillar=seat_pillar,
                        notify=False,
                    )
                    roles.append(f"coordination ({seat_pillar})")
            if len(roles) > 1 or local in spec.showcase:
                accounts.append((group.slug, user.email, ", ".join(roles)))
    return accounts


def demo_people(
    group: WorkingGroup, rows: list[tuple] = data.PERU_INSTITUTIONS
) -> tuple[dict[str, User], dict[str, Institution]]:
    """The demo's representatives and their institutions, by the local part of their e-mail."""
    reps = {
        r.user.email: r
        for r in Representative.objects.filter(
            user__email__in=[demo_email(local, group.slug) for *_, local in rows]
        ).select_related("user", "institution")
    }
    users, institutions = {}, {}
    for *_, local in rows:
        rep = reps[demo_email(local, group.slug)]
        users[local], institutions[local] = rep.user, rep.institution
    return users, institutions


def women_and_men(total: int) -> tuple[int, int]:
    """Women and men of a demo count (about two in five women)."""
    women = total * 2 // 5
    return women, total - women


SECTOR_PATTERNS = [
    ("civil_servants", "police_military", "business", "ngos"),
    ("police_military", "security_companies", "community"),
    ("business", "unions", "ngos", "academia"),
    ("civil_servants", "international", "community", "ngos"),
]


def spread_over_sectors(total: int, index: int) -> dict[str, int]:
    """A demo activity's participants over a few sectors, adding up to ``total``."""
    sectors = SECTOR_PATTERNS[index % len(SECTOR_PATTERNS)]
    share = total // len(sectors)
    counts = {s: share for s in sectors}
    counts[sectors[0]] += total - share * len(sectors)
    return counts
