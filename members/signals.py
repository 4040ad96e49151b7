"""What the kept renderings of the directory and of the applications under review are drawn
from (``members.queries``)."""

from __future__ import annotations

from django.db.models.signals import post_save

from meetings.queries import meetings_cache
from members.models import Application, ApplicationVote, Institution, Representative
from members.queries import applications_cache, directory_cache
from vpswg.models import RoleAssignment, User, WorkingGroup

#: The user fields the directory shows (``User.__str__``).
SHOWN = frozenset({"full_name", "email"})


def _user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    """A person renamed is renamed in each directory that lists them and each agenda that
    names them as a speaker."""
    if created or (update_fields is not None and not SHOWN & set(update_fields)):
        return  # a sign-in (last_login), a new password: nothing shown changes
    representing = Representative.objects.with_scopes_disabled().filter(user=instance)
    roles = RoleAssignment.objects.with_scopes_disabled().filter(user=instance)
    for group_id in {
        *representing.values_list("working_group_id", flat=True),
        *roles.values_list("working_group_id", flat=True),
    }:
        directory_cache.changed(group_id)
        meetings_cache.changed(group_id)


def connect() -> None:
    directory_cache.watch(WorkingGroup, Institution, Representative)
    applications_cache.watch(WorkingGroup, Application, ApplicationVote)
    post_save.connect(_user_saved, sender=User, dispatch_uid="directory-user-saved")
