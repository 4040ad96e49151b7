"""Kept renderings of the activity register."""

from __future__ import annotations

from activities.models import Activity, ParticipantCount
from members.models import Institution
from vpswg.groupcache import GroupCache
from vpswg.models import WorkingGroup

#: The register's listing, rendered (``activities.views.register``).
register_cache = GroupCache(
    "register",
    drawn_from=(
        WorkingGroup,
        Activity,
        ParticipantCount,
        Activity.organisers.through,
        Institution,  # the organisers' names
    ),
)
