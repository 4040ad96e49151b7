"""Creating working groups (the platform operator's job) and reading a user's groups."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce

from vpswg.models import Notification, RoleAssignment, User, WorkingGroup
from vpswg.permissions import sync_role_groups
from vpswg.scoping import group_scope
from vpswg.services.audit import record


@transaction.atomic
def create_working_group(*, actor: User | None = None, **fields) -> WorkingGroup:
    """Validate (the slug may not shadow a top-level path), save, and set up its role groups."""
    group = WorkingGroup(**fields)
    group.full_clean()
    group.save()
    set_up_working_group(group=group, actor=actor)
    return group


@transaction.atomic
def set_up_working_group(*, group: WorkingGroup, actor: User | None = None) -> None:
    """What a newly saved group needs: its role groups and grants, and its first log entry.

    Separate from ``create_working_group`` for the admin site, whose form saves the row itself.
    """
    sync_role_groups(group)
    with group_scope(group):
        record(working_group=group, actor=actor, verb="group.created", obj=group)


def memberships(user: User) -> list[RoleAssignment]:
    """The user's roles in every group, with the groups: one query.

    A user's own roles across tenants: the one cross-group read a request needs. It gives the
    roles in the URL's group, the group switcher, whether MFA is required anywhere, and (as
    ``unread`` on each row) the user's unread notices in those groups.
    """
    if not user.is_authenticated:
        return []
    mine = RoleAssignment.objects.with_scopes_disabled().filter(user=user)
    # The header's bell rides along (each row carries the same count): no round trip of its own.
    unread = (
        Notification.objects.with_scopes_disabled()
        .filter(
            recipient=user,
            in_app=True,
            read_at__isnull=True,
            working_group__in=mine.values("working_group"),
        )
        .order_by()
        .values("recipient")
        .annotate(n=Count("id"))
        .values("n")
    )
    return list(
        mine.select_related("working_group")
        .annotate(unread=Coalesce(Subquery(unread), 0))
        .order_by("working_group__name", "working_group_id", "role")
    )


def groups_in(assignments: list[RoleAssignment]) -> list[WorkingGroup]:
    """The distinct groups of ``memberships()``, by name."""
    seen: dict[int, WorkingGroup] = {}
    for assignment in assignments:
        seen.setdefault(assignment.working_group_id, assignment.working_group)
    return list(seen.values())


def groups_of(user: User) -> list[WorkingGroup]:
    """The groups in which the user holds any role (the header's group switcher)."""
    return groups_in(memberships(user))


@transaction.atomic
def update_settings(*, group: WorkingGroup, actor: User, form) -> WorkingGroup:
    """Save the Secretariat's changes to the group's settings, with the fields in the log.

    Only the form's own columns are written: a save of the whole row would put back, from the
    values read when the page was opened, the governed settings a plenary adopted meanwhile
    (``meetings.services.terms.adopt``)."""
    group = form.save(commit=False)
    group.save(update_fields=list(form.fields))
    with group_scope(group):
        record(
            working_group=group,
            actor=actor,
            verb="group.settings_changed",
            obj=group,
            data={"fields": sorted(form.changed_data)},
        )
    return group
