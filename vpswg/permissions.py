"""Enforcement of the role x action table (``vpswg.roles``) through django-guardian.

Each (working group, role) has one Django group; ``sync_role_groups`` gives it, on the
``WorkingGroup`` object, exactly the permissions the table gives the role. A user's
permissions in a group are read in one query by ``group_permissions`` (group grants plus the
user's own object grants), cached per set of roles; the platform's superusers get nothing implicitly
here, so operating the platform does not mean reading a group's minutes.

Views declare what they need with one decorator (``public``, ``signed_in`` or ``requires``);
the declaration is kept on the view so the URL registry test can check every pattern.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from guardian.models import GroupObjectPermission, UserObjectPermission

from vpswg.roles import ROLE_ACTIONS, Action, Role

if TYPE_CHECKING:
    from vpswg.models import User, WorkingGroup

PUBLIC = "public"
SIGNED_IN = "signed_in"


def role_group_name(working_group_id: int, role: str) -> str:
    return f"wg:{working_group_id}:{role}"


@transaction.atomic
def sync_role_groups(working_group: WorkingGroup) -> dict[str, Group]:
    """Make the group's Django groups and guardian grants match ``ROLE_ACTIONS`` exactly."""
    ctype = ContentType.objects.get_for_model(type(working_group))
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type=ctype, codename__in=[a.value for a in Action]
        )
    }
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role_group_name(working_group.pk, role))
        groups[role.value] = group
        wanted = {a.value for a in ROLE_ACTIONS[role]}
        existing = GroupObjectPermission.objects.filter(
            group=group, content_type=ctype, object_pk=str(working_group.pk)
        )
        have = set(existing.values_list("permission__codename", flat=True))
        existing.filter(permission__codename__in=have - wanted).delete()
        GroupObjectPermission.objects.bulk_create(
            [
                GroupObjectPermission(
                    group=group,
                    permission=perms[codename],
                    content_type=ctype,
                    object_pk=str(working_group.pk),
                )
                for codename in sorted(wanted - have)
            ]
        )
    return groups


#: Changes when the role x action table changes (a deploy), so cached grants do not outlive it.
ROLE_TABLE_VERSION = hashlib.sha256(
    repr(
        sorted((str(r), sorted(str(a) for a in acts)) for r, acts in ROLE_ACTIONS.items())
    ).encode()
).hexdigest()[:12]
PERMISSIONS_CACHE_SECONDS = 300


def group_permissions(
    user: User, working_group: WorkingGroup, roles: frozenset[str] | None = None
) -> frozenset[str]:
    """The user's permission codenames on the group: no superuser shortcut.

    With ``roles`` (the user's roles in the group, read fresh on every request), the answer is
    cached in the process for five minutes under a key made of the group, the user, those
    roles and the role table's version: a role granted or revoked changes the key, so it takes
    effect on the next request; only a grant made by hand in guardian's tables waits for the
    cache to expire.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if roles is None:
        return _group_permissions(user, working_group)
    key = f"vpswg:perms:{ROLE_TABLE_VERSION}:{working_group.pk}:{user.pk}:" + ".".join(
        sorted(roles)
    )
    local = caches["local"]
    cached = local.get(key)
    if cached is None:
        cached = frozenset(_group_permissions(user, working_group))
        local.set(key, cached, PERMISSIONS_CACHE_SECONDS)
    return cached


def _group_permissions(user: User, working_group: WorkingGroup) -> frozenset[str]:
    """One query: the group grants of the user's role groups and the user's own grants."""
    ctype = ContentType.objects.get_for_model(type(working_group))
    pk = str(working_group.pk)
    via_groups = GroupObjectPermission.objects.filter(
        content_type=ctype, object_pk=pk, group__user=user
    ).values("permission__codename")
    direct = UserObjectPermission.objects.filter(
        content_type=ctype, object_pk=pk, user=user
    ).values("permission__codename")
    codenames = Permission.objects.filter(
        Q(codename__in=via_groups) | Q(codename__in=direct), content_type=ctype
    ).values_list("codename", flat=True)
    return frozenset(codenames)


# --- Declaring what a view needs -------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What a view requires: PUBLIC, SIGNED_IN, or an ``Action`` in the URL's working group."""

    requirement: str

    @property
    def action(self) -> Action | None:
        return Action(self.requirement) if self.requirement in Action.values else None


def login_redirect(request: HttpRequest) -> HttpResponse:
    """Send the visitor to sign in; an htmx request gets HX-Redirect, never a page in a div."""
    response = redirect_to_login(request.get_full_path())
    if getattr(request, "htmx", False):
        htmx_response = HttpResponse(status=204)
        htmx_response["HX-Redirect"] = response["Location"]
        return htmx_response
    return response


def _declare(view: Callable, access: Access) -> Callable:
    view.vpswg_access = access  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    """Anyone may load it, signed in or not."""
    return _declare(view, Access(PUBLIC))


def signed_in(view: Callable) -> Callable:
    """Any signed-in account; the view itself limits what it shows to the user's own rows."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return _declare(wrapper, Access(SIGNED_IN))


def requires(action: Action) -> Callable[[Callable], Callable]:
    """A group view that needs ``action`` in the URL's working group.

    Signed out: sign in first. No role in the group: 404, as if the page did not exist (the
    group's public page is all an outsider may know). A role without the action: 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return login_redirect(request)
            if not request.wg_roles:
                raise Http404
            if action.value not in request.wg_perms:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapper, Access(action.value))

    return decorator


def can(request: HttpRequest, action: Action) -> bool:
    return action.value in getattr(request, "wg_perms", ())
