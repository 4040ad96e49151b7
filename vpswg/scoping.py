"""Row-level tenancy: every tenant-owned row is reachable only inside its working group's scope.

django-scopes refuses most unscoped queries, but leaves holes (see STYLE.md): ``exists()``,
``contains()``, ``explain()`` and ``in_bulk()`` on an unscoped queryset still run, and nothing
stops a write into another tenant while a scope is active. This module closes them so that
tenancy is structural rather than a matter of discipline:

* ``TenantManager`` is django-scopes' ``ScopedManager`` whose refusing queryset also refuses
  the calls it forgot;
* ``TenantModel.save()``, ``delete()``, ``bulk_create()`` and ``update()`` refuse to write a
  row whose group is not the active scope (or with no scope active at all).

``scopes_disabled()`` is for tenant lookup, staff tools, migrations and demo data, each with a
comment saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled
from django_scopes.exceptions import ScopeError
from django_scopes.manager import DisabledQuerySet

if TYPE_CHECKING:
    from vpswg.models import WorkingGroup

__all__ = [
    "ScopeError",
    "TenantManager",
    "TenantModel",
    "TenantQuerySet",
    "active_group_ids",
    "group_scope",
    "scopes_disabled",
]


class StrictDisabledQuerySet(DisabledQuerySet):
    """The queryset returned with no scope active; unlike django-scopes' own, it refuses all."""

    error = DisabledQuerySet.error
    exists = error
    aexists = error
    contains = error
    acontains = error
    explain = error
    aexplain = error
    in_bulk = error
    ain_bulk = error
    bulk_update = error
    abulk_update = error
    exclude = error
    select_related = error
    prefetch_related = error
    defer = error
    distinct = error
    extra = error
    alias = error
    _raw_delete = error

    def bulk_create(self, objs, *args, **kwargs):
        self.error()


def _scope_value_ids(value: Any) -> set[int] | None:
    """The group ids a scope value admits; None means "not restricted" (scopes disabled)."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return {getattr(v, "pk", v) for v in value}
    return {getattr(value, "pk", value)}


def active_group_ids() -> set[int] | None:
    """Group ids the active scope admits; ``None`` when scopes are disabled.

    Raises ScopeError when no working-group scope is active: a write must know its tenant.
    """
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    if "working_group" not in current:
        raise ScopeError("A working_group scope must be active to write a tenant row.")
    return _scope_value_ids(current["working_group"])


def check_write(group_ids: Iterable[int | None]) -> None:
    allowed = active_group_ids()
    if allowed is None:
        return
    for gid in group_ids:
        if gid not in allowed:
            raise ScopeError(
                f"Refusing to write a row of working group {gid} "
                f"inside the scope of {sorted(allowed)}."
            )


def _watched(model) -> bool:
    from vpswg.groupcache import WATCHERS

    return model in WATCHERS


def _groups_of(queryset: models.QuerySet) -> set[int]:
    """The groups a bulk write of ``queryset`` touches, read before the write, and only for a
    model a kept rendering is drawn from (one query, on the group's index)."""
    if not _watched(queryset.model):
        return set()
    return set(queryset.order_by().values_list("working_group_id", flat=True).distinct())


class TenantQuerySet(models.QuerySet):
    """Refuses bulk writes into another group than the active scope, and retires the kept
    renderings drawn from the model (``vpswg.groupcache.retire``): bulk writes send no
    signal, so without this a kept page would go on showing the rows as they were."""

    def update(self, **kwargs):
        if "working_group" in kwargs or "working_group_id" in kwargs:
            value = kwargs.get("working_group", kwargs.get("working_group_id"))
            check_write([getattr(value, "pk", value)])
        groups = _groups_of(self)
        count = super().update(**kwargs)
        if count:
            _retire(self.model, groups, fields=kwargs)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        check_write(o.working_group_id for o in objs)
        created = super().bulk_create(objs, *args, **kwargs)
        _retire(self.model, {o.working_group_id for o in objs})
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        check_write(o.working_group_id for o in objs)
        count = super().bulk_update(objs, *args, **kwargs)
        fields = args[0] if args else kwargs.get("fields")
        _retire(self.model, {o.working_group_id for o in objs}, fields=fields)
        return count

    bulk_update.alters_data = True

    def delete(self):
        groups = _groups_of(self)
        result = super().delete()
        if result[0]:
            _retire(self.model, groups)
        return result

    delete.alters_data = True


def _retire(model, group_ids, fields=None) -> None:
    if group_ids and _watched(model):
        from vpswg.groupcache import retire

        retire(model, group_ids, fields=list(fields) if fields is not None else None)


_ScopedTenantManager = type(
    ScopedManager(
        working_group="working_group", _manager_class=models.Manager.from_queryset(TenantQuerySet)
    )
)


class TenantManager(_ScopedTenantManager):
    """django-scopes' manager on the ``working_group`` dimension, without its holes."""

    def get_queryset(self):
        qs = super().get_queryset()
        if isinstance(qs, DisabledQuerySet):
            qs.__class__ = StrictDisabledQuerySet
        return qs

    def bulk_create(self, objs, *args, **kwargs):
        # The unscoped manager allows create(); bulk_create must still respect the scope.
        objs = list(objs)
        check_write(o.working_group_id for o in objs)
        created = models.QuerySet(self.model, using=self._db).bulk_create(objs, *args, **kwargs)
        _retire(self.model, {o.working_group_id for o in objs})
        return created

    bulk_create.alters_data = True


class TenantModel(models.Model):
    """Abstract base of every tenant-owned model.

    The ``working_group`` foreign key is non-null and indexed; subclasses should lead their
    own composite indexes with it, so that a query never grows with other groups' data.
    """

    working_group = models.ForeignKey(
        "vpswg.WorkingGroup",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=True,
        editable=False,
    )

    objects = TenantManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        check_write([self.working_group_id])
        loaded = getattr(self, "_loaded_working_group_id", None)
        if loaded is not None and loaded != self.working_group_id:
            # A row may not be moved out of its group by assigning a new one.
            raise ScopeError("A tenant row cannot move to another working group.")
        super().save(*args, **kwargs)
        self._loaded_working_group_id = self.working_group_id

    save.alters_data = True

    def delete(self, *args, **kwargs):
        check_write([self.working_group_id])
        return super().delete(*args, **kwargs)

    delete.alters_data = True

    def _get_FIELD_display(self, field):
        """``get_<field>_display()`` without rebuilding the choices for every call.

        Django's own makes a dict of all choices on every call, and testing each (value,
        label) pair for hashability translates every label: a list of fifty rows with one
        display each cost 550 translations. The choices are fixed per field, so the dict is
        built once; the label is still translated when it is shown, in the active language.
        """
        choices = field.__dict__.get("_vpswg_choice_labels")
        if choices is None:
            choices = {make_hashable(value): label for value, label in field.flatchoices}
            field._vpswg_choice_labels = choices
        value = getattr(self, field.attname)
        return force_str(choices.get(make_hashable(value), value), strings_only=True)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_working_group_id = instance.__dict__.get("working_group_id")
        return instance


@contextmanager
def group_scope(working_group: WorkingGroup | int | Iterable[WorkingGroup | int]) -> Iterator[None]:
    """Activate the scope of one working group (or several, for a user's cross-group views)."""
    if isinstance(working_group, (list, tuple, set, frozenset)):
        value: Any = [getattr(g, "pk", g) for g in working_group]
    else:
        value = getattr(working_group, "pk", working_group)
    with scope(working_group=value):
        yield
