"""Derived data of one working group, kept until the data it is drawn from changes.

The pattern of pretix's per-event cache: every key of a ``GroupCache`` carries the group's
current token for that cache; changing the token retires every key at once, with no list of
keys to delete.

A cache declares, where it is defined (next to the query that draws it), what it is drawn
from: ``drawn_from`` models, and ``user_fields`` of the people it names. Every write retires
it, whatever path the write takes: a save or delete through the ORM (the admin site's
included) by signal; a change of a many-to-many table by signal; and the bulk writes that
send no signal, ``QuerySet.update()``, ``bulk_create()`` and ``QuerySet.delete()`` of a tenant
model, by ``vpswg.scoping.TenantQuerySet`` calling ``retire``. Nothing is left to a comment
reminding a service to do it. ``SECONDS`` bounds what a raw SQL write can leave behind.

Kept values are drawn from the primary database, never a replica (``vpswg.db.primary``): a
replica lags, and what is kept would outlive the lag. Kept values must not depend on who asks:
what a page shows by role is rendered outside them, or kept per role (``page(per=...)``).

The modules that define caches are imported by their app's ``AppConfig.ready``, so that every
process (web, worker, a management command) has the receivers connected before it writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache, caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from vpswg.db import primary

T = TypeVar("T")

#: How long a kept value lives at most, whatever happens to the data.
SECONDS = 600

#: Every cache drawn from a model, by model: what a bulk write of the model retires.
WATCHERS: dict[type[models.Model], list[GroupCache]] = {}
#: Every cache that names people, with the user fields it shows.
USER_WATCHERS: list[tuple[GroupCache, frozenset[str]]] = []


def retire(
    model: type[models.Model], group_ids: Iterable[int], fields: Iterable[str] | None = None
) -> None:
    """Retire the caches drawn from ``model`` in these groups (a bulk write of its rows).
    ``fields``: the columns the write sets, when known; a cache that shows only some columns
    of the model (``watch_fields``) stays when none of them is written."""
    watchers = WATCHERS.get(model, ())
    if not watchers:
        return
    written = set(fields) if fields is not None else None
    watchers = [
        w
        for w in watchers
        if written is None or model not in w.fields_of or w.fields_of[model] & written
    ]
    for group_id in set(group_ids):
        for watcher in watchers:
            watcher.changed(group_id)


class GroupCache:
    """``local``: the values are kept in each process's memory (``caches["local"]``), only the
    tokens in the shared cache; for what should not sit in a store shared with other uses."""

    def __init__(
        self,
        name: str,
        *,
        drawn_from: Iterable[type[models.Model]] = (),
        user_fields: Iterable[str] = (),
        local: bool = False,
    ) -> None:
        self.name = name
        self.local = local
        #: The models watched for some of their columns only (``watch_fields``).
        self.fields_of: dict[type[models.Model], frozenset[str]] = {}
        self.drawn_from = tuple(drawn_from)
        self.watch(*self.drawn_from)
        if user_fields:
            _connect_users()
            USER_WATCHERS.append((self, frozenset(user_fields)))

    @property
    def _values(self):
        return caches["local"] if self.local else cache

    def _token_key(self, group_id: int) -> str:
        return f"groupcache:{self.name}:token:{group_id}"

    def token(self, group_id: int) -> str:
        key = self._token_key(group_id)
        token = cache.get(key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(key, token, None):
                token = cache.get(key) or token
        return token

    def key(self, group_id: int, *parts: object) -> str:
        suffix = ":".join("" if p is None else str(p) for p in parts)
        return f"groupcache:{self.name}:{group_id}:{self.token(group_id)}:{suffix}"

    def get_or_set(
        self,
        group_id: int,
        parts: Iterable[object],
        compute: Callable[[], T],
        seconds: Callable[[T], float] | None = None,
    ) -> T:
        """The value kept for ``parts``, or ``compute()``'s, then kept: ``SECONDS`` at most,
        less if ``seconds(value)`` says so (a value that time alone will change)."""
        key = self.key(group_id, *parts)
        values = self._values
        value = values.get(key)
        if value is None:
            with primary():  # a replica's lag would be kept with the value
                value = compute()
            timeout = min(SECONDS, seconds(value)) if seconds else SECONDS
            if timeout > 0:
                values.set(key, value, timeout)
        return value

    def page(
        self,
        request,
        limits: dict[str, int],
        draw: Callable[[], T],
        *,
        per: tuple = (),
        seconds: Callable[[T], float] | None = None,
    ) -> T:
        """A page of the request's group kept for its URL's parameters (``query_parts``),
        ``per`` (who it is the same for) and the language; drawn, not kept, for other URLs."""
        parts = query_parts(request, limits)
        if parts is None:
            return draw()
        parts = (*per, *parts, get_language())
        return self.get_or_set(request.working_group.pk, parts, draw, seconds)

    def changed(self, group_id: int) -> None:
        """Retire the group's kept values, now and again once the transaction commits.

        Now, so that this process does not serve them again within the transaction; after
        the commit too, since a request reading the old data before the commit may have kept
        it under the token set now.
        """
        key = self._token_key(group_id)
        cache.set(key, uuid.uuid4().hex, None)
        transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))

    def watch(self, *sources: type[models.Model]) -> None:
        """Change the token on every save or delete of these tenant models (or of the
        ``WorkingGroup`` itself), and every change of these many-to-many tables."""
        from vpswg.models import WorkingGroup

        def receiver(sender, instance, **kwargs) -> None:
            # The group's own settings (its slug in URLs, its time zone) count as its data.
            group_id = instance.pk if sender is WorkingGroup else instance.working_group_id
            self.changed(group_id)

        def m2m_receiver(sender, instance, action, **kwargs) -> None:
            if action.startswith("post_"):  # either side of the relation is a tenant row
                self.changed(instance.working_group_id)

        for model in sources:
            if self not in WATCHERS.setdefault(model, []):
                WATCHERS[model].append(self)
            if model._meta.auto_created:  # a many-to-many relation's table
                m2m_changed.connect(
                    m2m_receiver,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"groupcache-{self.name}-{model._meta.label}-m2m",
                )
                continue
            for signal, verb in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    receiver,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"groupcache-{self.name}-{model._meta.label}-{verb}",
                )

    def watch_fields(self, model: type[models.Model], fields: Iterable[str]) -> None:
        """Like ``watch``, for a model the cache shows only ``fields`` of: a save retires the
        cache when it writes one of them (``save(update_fields=...)`` says what it writes; a
        plain save writes everything). For rows saved often for other reasons: the minutes are
        saved at every autosave of their text, the meetings list shows only their status.
        A bulk write of the model retires it, as for ``watch``."""
        fields = frozenset(fields)
        self.fields_of[model] = fields

        def saved(sender, instance, update_fields=None, **kwargs) -> None:
            if update_fields is None or fields & set(update_fields):
                self.changed(instance.working_group_id)

        def deleted(sender, instance, **kwargs) -> None:
            self.changed(instance.working_group_id)

        if self not in WATCHERS.setdefault(model, []):
            WATCHERS[model].append(self)
        label = f"groupcache-{self.name}-{model._meta.label}"
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{label}-save-fields")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{label}-delete")


def _user_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A person renamed is renamed on every kept page that names them: those of every group in
    which they hold a role (a representative of an active institution always does)."""
    if created:
        return
    from vpswg.models import RoleAssignment

    affected = [
        watcher
        for watcher, fields in USER_WATCHERS
        if update_fields is None or fields & set(update_fields)
    ]
    if not affected:
        return  # a sign-in (last_login), a new password: nothing shown changes
    group_ids = set(
        RoleAssignment.objects.with_scopes_disabled()
        .filter(user=instance)
        .values_list("working_group_id", flat=True)
    )
    for group_id in group_ids:
        for watcher in affected:
            watcher.changed(group_id)


def _connect_users() -> None:
    from django.conf import settings

    post_save.connect(_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="groupcache-users")


def query_parts(request, limits: dict[str, int]) -> tuple[str, ...] | None:
    """The query parameters a kept page depends on, in the order of ``limits`` (each name's
    longest kept value), or None when the request has others or longer ones, or ones with
    characters no cache key may hold (spaces, control characters): such a page is drawn and
    not kept, so that odd URLs cannot fill the cache."""
    values = {name: request.GET.get(name, "") for name in limits}
    if not set(request.GET) <= set(limits) or any(
        len(values[name]) > longest or not _keyable(values[name])
        for name, longest in limits.items()
    ):
        return None
    return tuple(values.values())


def _keyable(value: str) -> bool:
    # What Django's cache key check (memcached's rule) lets through.
    return all(32 < ord(char) != 127 for char in value)
