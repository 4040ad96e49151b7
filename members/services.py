"""Membership state changes: institutions and the representatives who act for them.

A representative's role in the group (member or observer) follows from their institution's
participation; ending the representation revokes it, effective on the person's next request.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from members.models import Institution, Representative
from vpswg.models import User, WorkingGroup
from vpswg.roles import Role
from vpswg.services.audit import record
from vpswg.services.roles import grant_role, revoke_role


def role_for(institution: Institution) -> Role:
    if institution.participation == Institution.Participation.OBSERVER:
        return Role.OBSERVER
    return Role.MEMBER


@transaction.atomic
def create_institution(
    *, working_group: WorkingGroup, actor: User | None = None, **fields
) -> Institution:
    institution = Institution(working_group=working_group, **fields)
    institution.full_clean()
    institution.save()
    record(
        working_group=working_group,
        actor=actor,
        verb="institution.created",
        obj=institution,
        to_state=institution.participation,
    )
    return institution


@transaction.atomic
def add_representative(
    *,
    institution: Institution,
    user: User,
    kind: str = Representative.Kind.PRIMARY,
    job_title: str = "",
    start_date: date | None = None,
    actor: User | None = None,
    notify: bool = True,
) -> Representative:
    """Link a user to an institution and give them the role its participation implies."""
    group = institution.working_group
    representative = Representative.objects.create(
        working_group=group,
        institution=institution,
        user=user,
        kind=kind,
        job_title=job_title,
        start_date=start_date or timezone.localdate(),
    )
    record(
        working_group=group,
        actor=actor,
        verb="representative.added",
        obj=representative,
        data={"institution": institution.pk, "user": user.pk, "kind": kind},
    )
    if institution.standing == Institution.Standing.ACTIVE:
        grant_role(
            working_group=group, user=user, role=role_for(institution), actor=actor, notify=notify
        )
    return representative


@transaction.atomic
def end_representation(
    *, representative: Representative, actor: User | None = None
) -> Representative:
    """End a representation today; the role goes unless another current one still gives it."""
    group = representative.working_group
    representative.end_date = timezone.localdate()
    representative.full_clean()
    representative.save(update_fields=["end_date"])
    record(
        working_group=group,
        actor=actor,
        verb="representative.ended",
        obj=representative,
        data={"institution": representative.institution_id, "user": representative.user_id},
    )
    role = role_for(representative.institution)
    still = (
        Representative.objects.filter(
            user=representative.user_id,
            end_date__isnull=True,
            institution__standing=Institution.Standing.ACTIVE,
            institution__participation=representative.institution.participation,
        )
        .exclude(pk=representative.pk)
        .exists()
    )
    if not still:
        revoke_role(working_group=group, user=representative.user, role=role, actor=actor)
    return representative
