"""The role x action table is what guardian grants, exactly; roles come and go per request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import assign_perm, get_perms

from tests.factories import make_group, make_role_user, make_user
from vpswg.models import RoleAssignment
from vpswg.permissions import group_permissions, role_group_name, sync_role_groups
from vpswg.roles import ROLE_ACTIONS, Action, Pillar, Role, actions_for
from vpswg.scoping import group_scope
from vpswg.services.roles import grant_role, revoke_role

pytestmark = pytest.mark.django_db

CELLS = [(role, action) for role in Role for action in Action]


@pytest.mark.parametrize(("role", "action"), CELLS, ids=[f"{r.value}-{a.value}" for r, a in CELLS])
def test_guardian_grants_exactly_the_table(group, role, action):
    user = make_role_user(group, role)
    perms = group_permissions(user, group)
    assert (action.value in perms) == (action in ROLE_ACTIONS[role])
    # Guardian's own API agrees with our one-query reading.
    assert (action.value in get_perms(user, group)) == (action in ROLE_ACTIONS[role])


def test_every_action_is_held_by_some_role_and_none_by_all_blindly():
    held = set().union(*ROLE_ACTIONS.values())
    assert held == set(Action)
    # The Secretariat administers but does not vote: deciding and approving are the seats'.
    assert Action.REVIEW_MINUTES not in ROLE_ACTIONS[Role.SECRETARIAT]
    assert Action.DECIDE_APPLICATIONS not in ROLE_ACTIONS[Role.SECRETARIAT]
    assert Action.EDIT_MINUTES not in ROLE_ACTIONS[Role.COORDINATION]
    assert Action.VIEW_AUDIT_LOG not in ROLE_ACTIONS[Role.MEMBER]


def test_permissions_are_the_union_of_the_users_roles(group):
    user = make_role_user(group, Role.MEMBER)
    with group_scope(group):
        grant_role(
            working_group=group,
            user=user,
            role=Role.COORDINATION,
            pillar=Pillar.GOVERNMENT,
            notify=False,
        )
    assert group_permissions(user, group) == {
        a.value for a in actions_for([Role.MEMBER, Role.COORDINATION])
    }


def test_a_role_in_one_group_grants_nothing_in_another(group, other_group):
    user = make_role_user(group, Role.SECRETARIAT)
    assert group_permissions(user, other_group) == frozenset()


def test_superusers_get_nothing_implicitly(group):
    operator = make_user(is_superuser=True, is_staff=True)
    assert group_permissions(operator, group) == frozenset()


def test_a_coordination_seat_needs_exactly_one_pillar(group):
    user = make_user()
    with group_scope(group):
        with pytest.raises(ValidationError):
            grant_role(working_group=group, user=user, role=Role.COORDINATION, notify=False)
        with pytest.raises(ValidationError):
            grant_role(
                working_group=group, user=user, role=Role.MEMBER, pillar="companies", notify=False
            )


def test_grant_is_idempotent_and_audited(group):
    user = make_user()
    with group_scope(group):
        first = grant_role(working_group=group, user=user, role=Role.MEMBER, notify=False)
        again = grant_role(working_group=group, user=user, role=Role.MEMBER, notify=False)
        assert first.pk == again.pk
        assert RoleAssignment.objects.filter(user=user).count() == 1
        from vpswg.models import AuditEntry

        assert AuditEntry.objects.filter(verb="role.granted", data__user=user.pk).count() == 1


def test_revoking_a_role_ends_access_on_the_next_request(client, group):
    user = make_role_user(group, Role.SECRETARIAT)
    client.force_login(user)
    audit = reverse("group:audit", kwargs={"wg": group.slug})
    assert client.get(audit).status_code == 200
    with group_scope(group):
        assert revoke_role(working_group=group, user=user, role=Role.SECRETARIAT)
    assert client.get(audit).status_code == 404  # no role left in the group: an outsider
    assert group_permissions(user, group) == frozenset()
    assert not user.groups.filter(name=role_group_name(group.pk, Role.SECRETARIAT)).exists()


def test_sync_repairs_a_drifted_grant(group):
    member_group = Group.objects.get(name=role_group_name(group.pk, Role.MEMBER))
    assign_perm(f"vpswg.{Action.VIEW_AUDIT_LOG.value}", member_group, group)
    user = make_role_user(group, Role.MEMBER)
    assert Action.VIEW_AUDIT_LOG.value in group_permissions(user, group)
    sync_role_groups(group)
    assert Action.VIEW_AUDIT_LOG.value not in group_permissions(user, group)
    assert group_permissions(user, group) == {a.value for a in ROLE_ACTIONS[Role.MEMBER]}


def test_per_object_grant_to_a_user_counts(group):
    """Guardian object grants to one person (a guest on one meeting, later) are read too."""
    user = make_user()
    assign_perm(f"vpswg.{Action.VIEW_MEETINGS.value}", user, group)
    assert group_permissions(user, group) == {Action.VIEW_MEETINGS.value}


def test_an_inactive_account_has_no_permissions(group):
    user = make_role_user(group, Role.SECRETARIAT)
    user.is_active = False
    user.save()
    assert group_permissions(user, group) == frozenset()


def test_role_groups_exist_for_every_new_group():
    g = make_group("fresh")
    names = set(Group.objects.filter(name__startswith=f"wg:{g.pk}:").values_list("name", flat=True))
    assert names == {role_group_name(g.pk, r) for r in Role}


def test_a_change_of_the_role_table_reaches_existing_groups_at_migrate(group, monkeypatch):
    """``migrate`` re-synchronises every group's grants with the table (vpswg.apps): an
    action given to a role, or taken from it, reaches groups created before the change."""
    from django.core.management import call_command

    member = make_role_user(group, Role.MEMBER)
    assert Action.VIEW_OUTREACH.value not in group_permissions(member, group)
    assert Action.PROPOSE_TOPIC.value in group_permissions(member, group)
    changed = {
        **ROLE_ACTIONS,
        Role.MEMBER: (ROLE_ACTIONS[Role.MEMBER] | {Action.VIEW_OUTREACH}) - {Action.PROPOSE_TOPIC},
    }
    monkeypatch.setattr("vpswg.permissions.ROLE_ACTIONS", changed)
    call_command("migrate", verbosity=0)
    held = group_permissions(member, group)
    assert Action.VIEW_OUTREACH.value in held and Action.PROPOSE_TOPIC.value not in held
