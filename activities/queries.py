"""Kept renderings of the activity register."""

from __future__ import annotations

from vpswg.groupcache import GroupCache

#: The register's listing, rendered (``activities.views.register``): drawn from the activities,
#: their participant counts and organisers, and the organisers' names (``ActivitiesConfig.ready``).
register_cache = GroupCache("register")
