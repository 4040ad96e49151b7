"""Creating working groups (the platform operator's job) and reading a user's groups."""

from __future__ import annotations

from django.db import transaction

from vpswg.models import RoleAssignment, User, WorkingGroup
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


def groups_of(user: User) -> list[WorkingGroup]:
    """The groups in which the user holds any role (the header's group switcher)."""
    if not user.is_authenticated:
        return []
    # A user's own roles across tenants: the one cross-group read the switcher needs.
    own = RoleAssignment.objects.with_scopes_disabled().filter(user=user).values("working_group")
    return list(WorkingGroup.objects.filter(pk__in=own).order_by("name"))


@transaction.atomic
def update_settings(*, group: WorkingGroup, actor: User, form) -> WorkingGroup:
    """Save the Secretariat's changes to the group's settings, with the fields in the log."""
    form.save()
    with group_scope(group):
        record(
            working_group=group,
            actor=actor,
            verb="group.settings_changed",
            obj=group,
            data={"fields": sorted(form.changed_data)},
        )
    return group
