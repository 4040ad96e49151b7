"""Granting and revoking roles; the Django group membership (guardian's grant) follows."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.permissions import role_group_name
from vpswg.roles import Role
from vpswg.services import notifications
from vpswg.services.audit import record

# --- Who holds a role (in the active group's scope) ---------------------------------------


def seats() -> list[RoleAssignment]:
    """The Coordination Group's seats, with their holders, by pillar."""
    return list(
        RoleAssignment.objects.filter(role=Role.COORDINATION)
        .select_related("user")
        .order_by("pillar", "user_id")
    )


def seat_of(user: User) -> RoleAssignment | None:
    """The user's seat in the Coordination Group, if they hold one."""
    return RoleAssignment.objects.filter(user=user, role=Role.COORDINATION).first()


def secretariat_users() -> list[User]:
    """The people who hold the Secretariat (active accounts)."""
    return [
        r.user
        for r in RoleAssignment.objects.filter(role=Role.SECRETARIAT)
        .select_related("user")
        .order_by("user_id")
        if r.user.is_active
    ]


def role_holders() -> list[User]:
    """Everyone who holds a role in the group, active accounts, by id: who is told of what
    changes the group as a whole (a hand-over, adopted terms of reference)."""
    return list(
        User.objects.filter(
            pk__in=RoleAssignment.objects.values("user_id"), is_active=True
        ).order_by("pk")
    )


def confidential_role_holders():
    """The user ids of the Secretariat and the seats: who reads attributed records and closed
    meetings by their role (a queryset of ids, for filters)."""
    return RoleAssignment.objects.filter(role__in=[Role.SECRETARIAT, Role.COORDINATION]).values(
        "user_id"
    )


@transaction.atomic
def grant_role(
    *,
    working_group: WorkingGroup,
    user: User,
    role: Role | str,
    pillar: str = "",
    actor: User | None = None,
    notify: bool = True,
) -> RoleAssignment:
    """Give ``user`` a role in the group (idempotent). A Coordination seat needs a pillar.

    The person is told (e-mail and in-app) unless ``notify`` is false (demo and bulk data).
    """
    role = Role(role)
    if (role == Role.COORDINATION) != bool(pillar):
        raise ValidationError(_("A Coordination Group seat belongs to exactly one pillar."))
    assignment, created = RoleAssignment.objects.get_or_create(
        working_group=working_group, user=user, role=role, defaults={"pillar": pillar}
    )
    if not created and assignment.pillar != pillar:
        previous = assignment.pillar
        assignment.pillar = pillar
        assignment.save(update_fields=["pillar"])
        record(
            working_group=working_group,
            actor=actor,
            verb="role.seat_moved",
            obj=assignment,
            from_state=previous,
            to_state=pillar,
            data={"user": user.pk},
        )
    group = Group.objects.get(name=role_group_name(working_group.pk, role))
    user.groups.add(group)
    if created:
        record(
            working_group=working_group,
            actor=actor,
            verb="role.granted",
            obj=assignment,
            to_state=role,
            data={"user": user.pk, "pillar": pillar},
        )
        if notify:
            notifications.notify(
                working_group=working_group,
                recipients=[user],
                kind="role_granted",
                key=str(assignment.pk),
                context={
                    "role": role,
                    "pillar": pillar,
                    "reset_link": notifications.absolute_url(reverse("account_reset_password")),
                },
                link=reverse("group:home", kwargs={"wg": working_group.slug}),
            )
    return assignment


@transaction.atomic
def revoke_role(
    *, working_group: WorkingGroup, user: User, role: Role | str, actor: User | None = None
) -> bool:
    """Take a role away; effective on the user's next request. False if they did not hold it."""
    role = Role(role)
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role).delete()
    user.groups.remove(*Group.objects.filter(name=role_group_name(working_group.pk, role)))
    if deleted:
        record(
            working_group=working_group,
            actor=actor,
            verb="role.revoked",
            from_state=role,
            data={"user": user.pk},
        )
    return bool(deleted)


@dataclass(frozen=True)
class Appointment:
    assignment: RoleAssignment
    #: The account did not exist: it was made now, without a password.
    new_account: bool
    #: The person held the Secretariat already: nothing changed, nobody was told.
    already_held: bool


@transaction.atomic
def appoint_secretariat(*, working_group: WorkingGroup, email: str, actor: User) -> Appointment:
    """The platform operator gives the Secretariat to ``email`` (an account is made if needed).

    The Secretariat reads the attributed minutes, so an appointment made by the operator, who
    is not part of the group, is logged in the group's audit log and told to the people who
    hold the Secretariat and the Coordination Group's seats before it: an appointment they did
    not agree to (a stolen operator account, a mistake) is seen by those who can object. The
    appointee is told by ``grant_role`` and must enrol a second factor before acting
    (``vpswg.middleware.MFARequiredMiddleware``). Runs inside the group's scope.
    """
    user = User.objects.filter(email__iexact=email.strip()).first()
    new_account = user is None
    if user is None:
        user = User.objects.create_user(email=email.strip())
    current = RoleAssignment.objects.filter(role=Role.SECRETARIAT, user=user).first()
    if current is not None:
        return Appointment(assignment=current, new_account=False, already_held=True)
    # Read before the grant: who held the group's confidential roles until now.
    informed = list(
        User.objects.filter(
            pk__in=RoleAssignment.objects.filter(
                role__in=[Role.SECRETARIAT, Role.COORDINATION]
            ).values("user_id"),
            is_active=True,
        )
        .exclude(pk=user.pk)
        .order_by("pk")
    )
    assignment = grant_role(
        working_group=working_group, user=user, role=Role.SECRETARIAT, actor=actor
    )
    record(
        working_group=working_group,
        actor=actor,
        verb="group.secretariat_appointed",
        obj=assignment,
        to_state=Role.SECRETARIAT,
        data={"user": user.pk, "new_account": new_account},
    )
    notifications.notify(
        working_group=working_group,
        recipients=informed,
        kind="secretariat_appointed",
        key=str(assignment.pk),
        context={
            "appointee_name": user.full_name or user.email,
            "appointee_email": user.email,
            "operator_email": actor.email,
            "appointed_at": timezone.now(),
        },
        link=reverse("group:home", kwargs={"wg": working_group.slug}),
    )
    return Appointment(assignment=assignment, new_account=new_account, already_held=False)
