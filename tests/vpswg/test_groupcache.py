"""Kept renderings retire themselves (``vpswg.groupcache``): for every cache and every model it
says it is drawn from, every way of writing a row of that model (a save, a delete, a bulk
update, a bulk insert, a many-to-many change) retires the group's kept values, and those of
no other group; a person renamed retires the pages that name them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, ProtectedError
from django.urls import reverse

from tests.factories import make_activity, make_member, sign_in
from vpswg.groupcache import USER_WATCHERS, WATCHERS
from vpswg.models import User, WorkingGroup
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

CASES = sorted(
    {(cache.name, model._meta.label) for model, caches in WATCHERS.items() for cache in caches}
)


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return WorkingGroup.objects.get(slug="peru"), WorkingGroup.objects.get(slug="ghana")


def _cache(name):
    return next(c for caches in WATCHERS.values() for c in caches if c.name == name)


def _model(label):
    return next(m for m in WATCHERS if m._meta.label == label)


def _a_row(model, group):
    if model is WorkingGroup:
        return group
    if model._meta.auto_created:  # a many-to-many table: one of its rows
        return model.objects.filter(**{_tenant_side(model) + "__working_group": group}).first()
    return model.objects.filter(working_group=group).order_by("pk").first()


def _tenant_side(through) -> str:
    """The field of a many-to-many table that leads to a tenant row."""
    for f in through._meta.get_fields():
        if f.is_relation and hasattr(f.related_model, "working_group"):
            return f.name
    raise AssertionError(through)


def test_every_kept_rendering_declares_what_it_is_drawn_from():
    names = {name for name, _ in CASES}
    assert names == {"applications", "directory", "meetings", "minutes", "register", "reports"}


@pytest.mark.parametrize(("cache_name", "label"), CASES)
def test_every_write_of_a_source_retires_the_kept_values(demo, cache_name, label):
    peru, ghana = demo
    cache, model = _cache(cache_name), _model(label)
    with group_scope(peru):
        row = _a_row(model, peru)
    assert row is not None, f"the demo has no {label} in Peru"

    def changes(write) -> tuple[bool, bool]:
        before = cache.token(peru.pk), cache.token(ghana.pk)
        with group_scope(peru):
            write()
        return cache.token(peru.pk) != before[0], cache.token(ghana.pk) != before[1]

    if model._meta.auto_created:
        owner_field = _tenant_side(model)
        other_field = next(
            f.name for f in model._meta.concrete_fields if f.is_relation and f.name != owner_field
        )
        owner, other = getattr(row, owner_field), getattr(row, other_field)
        relation = next(
            f.name for f in type(owner)._meta.many_to_many if f.remote_field.through is model
        )
        manager = getattr(owner, relation)
        assert changes(lambda: manager.remove(other)) == (True, False)
        assert changes(lambda: manager.add(other)) == (True, False)
        return
    assert changes(lambda: row.save()) == (True, False)
    if model is WorkingGroup:
        return
    field = next(
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.is_relation and f.name not in {"created_at", "updated_at"}
    )
    assert changes(lambda: model.objects.filter(pk=row.pk).update(**{field: F(field)})) == (
        True,
        False,
    )
    sid = transaction.savepoint()
    try:
        assert changes(lambda: model.objects.filter(pk=row.pk).delete()) == (True, False)
    except ProtectedError:
        pass  # a row others refer to is not deleted: nothing to retire
    finally:
        transaction.savepoint_rollback(sid)


def test_a_bulk_insert_retires_the_kept_register(client, group):
    """The register's kept listing follows rows written without a signal (``bulk_create``)."""
    from activities.models import Activity, ParticipantCount

    activity = make_activity(group, title="Seminar in Cusco", counts=(("ngos", 10, None, None),))
    sign_in(client, make_member(group))
    url = reverse("activities:list", kwargs={"wg": group.slug})
    assert "Seminar in Cusco" in client.get(url).content.decode()
    with group_scope(group):
        Activity.objects.bulk_create(
            [
                Activity(
                    working_group=group,
                    title="Bulk workshop",
                    kind="workshop",
                    start_date=activity.start_date,
                    status="confirmed",
                )
            ]
        )
        ParticipantCount.objects.filter(activity=activity).update(total=987)
    body = client.get(url).content.decode()
    assert "Bulk workshop" in body and "987" in body


def test_a_person_renamed_retires_the_pages_that_name_them_and_only_those(demo):
    peru, ghana = demo
    named = [cache for cache, _fields in USER_WATCHERS]
    assert {c.name for c in named} == {"directory", "meetings"}
    user = User.objects.get(email="angloamerican@peru.example.org")
    before = {(c.name, g.pk): c.token(g.pk) for c in named for g in (peru, ghana)}
    user.last_login = None
    user.save(update_fields=["last_login"])  # nothing shown changes
    assert {(c.name, g.pk): c.token(g.pk) for c in named for g in (peru, ghana)} == before
    user.full_name = "Diego Fernández Castro II"
    user.save(update_fields=["full_name"])
    for cache in named:
        assert cache.token(peru.pk) != before[(cache.name, peru.pk)]
        assert cache.token(ghana.pk) == before[(cache.name, ghana.pk)]  # not a member there
