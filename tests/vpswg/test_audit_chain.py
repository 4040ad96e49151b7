"""The audit log is a hash chain per group: written by record(), checked by verify_audit and
shown on the Secretariat's audit page; a row changed, removed or rewritten with SQL is named."""

from __future__ import annotations

import threading
import time
from io import StringIO
from itertools import pairwise

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import cold_process, make_secretariat, sign_in
from vpswg.models import AuditEntry
from vpswg.models.audit import GENESIS, chain_hash
from vpswg.scoping import group_scope
from vpswg.services.audit import cache_key, record, record_many, verify_chain

pytestmark = pytest.mark.django_db

TRIGGER = "vpswg_auditentry_append_only"


def _record(group, count: int, verb: str = "test.event") -> list[AuditEntry]:
    with group_scope(group):
        return [
            record(working_group=group, actor=None, verb=f"{verb}.{n}", data={"n": n})
            for n in range(count)
        ]


def _chain(group) -> list[AuditEntry]:
    with group_scope(group):
        return list(AuditEntry.objects.filter(working_group=group).order_by("id"))


def _raw(sql: str, params=()) -> None:
    """What a DBA could do: bypass the application and its append-only trigger."""
    with connection.cursor() as cursor:
        # The test's transaction has foreign-key checks pending on the table, which ALTER
        # TABLE refuses to run over: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE vpswg_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE vpswg_auditentry ENABLE TRIGGER {TRIGGER}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _verify(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _verify_fails(*args) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="does not verify for"):
        call_command("verify_audit", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


# --- Written by record() -------------------------------------------------------------------------


def test_each_entry_is_chained_onto_the_one_before_in_its_group(group, other_group):
    _record(group, 3)
    _record(other_group, 2)
    for tenant in (group, other_group):
        chain = _chain(tenant)
        assert len(chain) >= 3
        assert chain[0].prev_hash == GENESIS
        for before, entry in pairwise(chain):
            assert entry.prev_hash == before.entry_hash
        # What is stored is what was hashed.
        assert [e.entry_hash for e in chain] == [chain_hash(e.__dict__) for e in chain]
    assert {e.entry_hash for e in _chain(group)}.isdisjoint(
        e.prev_hash for e in _chain(other_group)
    )


def test_the_hash_survives_the_round_trip_through_postgresql(group):
    data = {
        "z": "Perú — ✓",
        "a": {"y": [1, "2", None, True], "b": 1.0},
        "big": 1e20,
        "small": 1e-7,
        "int": 12345678901234567890,
        "pair": (1, 2),
        3: "key",
    }
    with group_scope(group):
        entry = record(working_group=group, actor=None, verb="test.round_trip", data=data)
        stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.created_at == entry.created_at and entry.created_at.microsecond
    assert stored.data == entry.data and stored.data["pair"] == [1, 2]
    assert chain_hash(stored.__dict__) == stored.entry_hash == entry.entry_hash


def test_record_many_chains_in_the_order_given(group):
    _record(group, 1)
    with group_scope(group):
        record_many(
            working_group=group,
            entries=[AuditEntry(working_group=group, verb=f"bulk.{n}") for n in range(5)],
        )
    chain = _chain(group)
    assert [e.verb for e in chain[-5:]] == [f"bulk.{n}" for n in range(5)]
    assert all(e.prev_hash == b.entry_hash for b, e in pairwise(chain))
    with group_scope(group):
        assert verify_chain(group).ok


# --- verify_audit ----------------------------------------------------------------------------------


def test_verify_audit_passes_for_each_group(group, other_group):
    _record(group, 4)
    _record(other_group, 2)
    out, err = _verify()
    lines = set(out.splitlines())
    for tenant in (group, other_group):
        chain = _chain(tenant)
        assert f"OK: {tenant.slug}: {len(chain)} entries, head {chain[-1].entry_hash[:12]}" in lines
    assert err == ""
    out, _err = _verify("--working-group", other_group.slug)
    assert out.startswith(f"OK: {other_group.slug}:") and group.slug not in out


def test_verify_audit_refuses_an_unknown_group(group):
    with pytest.raises(CommandError, match="no working group with the slug 'atlantis'"):
        call_command("verify_audit", "--working-group", "atlantis", stdout=StringIO())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--anchor", "12:0123456789ab"], "give --working-group too"),
        (["--working-group", "alpha", "--anchor", "12:0123"], "12 to 64 hex digits"),
    ],
)
def test_verify_audit_refuses_an_anchor_it_cannot_check(group, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("verify_audit", *args, stdout=StringIO())


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE vpswg_auditentry SET to_state = 'approved' WHERE id = %s",
        """UPDATE vpswg_auditentry SET data = '{"n": 99}' WHERE id = %s""",
    ],
)
def test_verify_audit_names_an_entry_changed_with_sql(group, other_group, sql):
    entries = _record(group, 4)
    _record(other_group, 2)
    _raw(sql, [entries[1].pk])
    err = _verify_fails()
    assert f"FAILED: {group.slug}: entry {entries[1].pk} (" in err
    assert "test.event.1" in err and "its content was changed" in err
    assert other_group.slug not in err
    out, _ = _verify("--working-group", other_group.slug)  # the other chain is untouched
    assert out.startswith(f"OK: {other_group.slug}:")


def test_verify_audit_names_the_entry_after_one_deleted_with_sql(group):
    entries = _record(group, 4)
    _raw("DELETE FROM vpswg_auditentry WHERE id = %s", [entries[1].pk])
    err = _verify_fails("--working-group", group.slug)
    assert f"entry {entries[2].pk} (" in err and "test.event.2" in err
    assert "does not follow the entry before it" in err


def test_a_rewritten_chain_verifies_alone_but_not_against_a_recorded_anchor(group):
    """Someone who knows the format can recompute every hash after a change: only a head
    recorded outside the database shows it (docs/audit.md)."""
    entries = _record(group, 3)
    out, _ = _verify("--working-group", group.slug, "-v", "2")
    anchor = out.splitlines()[1].split()[-1]
    assert anchor == f"{entries[-1].pk}:{entries[-1].entry_hash}"
    _verify("--working-group", group.slug, "--anchor", anchor)  # still holds

    _raw("UPDATE vpswg_auditentry SET to_state = 'forged' WHERE id = %s", [entries[1].pk])
    with group_scope(group):
        chain = list(AuditEntry.objects.filter(id__gte=entries[1].pk).order_by("id"))
    prev_hash = chain[0].prev_hash
    for entry in chain:
        entry.prev_hash = prev_hash
        prev_hash = chain_hash(entry.__dict__)
        _raw(
            "UPDATE vpswg_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.prev_hash, prev_hash, entry.pk],
        )
    out, _ = _verify("--working-group", group.slug)
    assert out.startswith(f"OK: {group.slug}:")
    short = f"{entries[-1].pk}:{entries[-1].entry_hash[:16]}"
    err = _verify_fails("--working-group", group.slug, "--anchor", short)
    assert f"entry {entries[-1].pk} (" in err and "the log was rewritten" in err


def test_an_anchor_whose_entry_is_gone_fails(group):
    entries = _record(group, 2)
    anchor = f"{entries[-1].pk}:{entries[-1].entry_hash[:12]}"
    _raw("DELETE FROM vpswg_auditentry WHERE id = %s", [entries[-1].pk])
    err = _verify_fails("--working-group", group.slug, "--anchor", anchor)
    assert f"entry {entries[-1].pk} (no longer there)" in err


def test_verify_audit_passes_after_seeding_the_demo():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # a second run appends to the same chains
    out, _ = _verify()
    assert {line.split(":")[1].strip() for line in out.splitlines()} >= {"peru", "ghana"}
    assert all(line.startswith("OK: ") for line in out.splitlines())


# --- Concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_transactions_appending_at_once_make_one_chain(group):
    barrier = threading.Barrier(2)
    errors = []

    def append(name: str) -> None:
        try:
            with group_scope(group), transaction.atomic():
                barrier.wait()
                for n in range(5):
                    record(working_group=group, actor=None, verb=f"{name}.{n}")
                    time.sleep(0.02)  # both hold a transaction open: they overlap
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    chain = _chain(group)
    assert sum(1 for e in chain if e.verb[:2] in {"a.", "b."}) == 10
    assert len({e.prev_hash for e in chain}) == len(chain)  # no two entries on one parent
    with group_scope(group):
        assert verify_chain(group).ok


# --- The migration -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_entries_and_restores_the_trigger(group, other_group):
    _record(group, 3)
    _record(other_group, 2)
    before = {e.pk: (e.prev_hash, e.entry_hash) for g in (group, other_group) for e in _chain(g)}
    executor = MigrationExecutor(connection)
    executor.migrate([("vpswg", "0008_encrypt_second_factors")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    after = {e.pk: (e.prev_hash, e.entry_hash) for g in (group, other_group) for e in _chain(g)}
    assert after == before
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE vpswg_auditentry SET verb = 'x' WHERE id = %s", [min(before)])


# --- The audit page --------------------------------------------------------------------------------


def _audit_page(client, group, **params) -> str:
    response = client.get(reverse("group:audit", kwargs={"wg": group.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_audit_page_says_the_log_verifies(client, group):
    secretariat = make_secretariat(group)
    _record(group, 3)
    sign_in(client, secretariat)
    chain = _chain(group)
    body = _audit_page(client, group)
    assert f"The log verifies: {len(chain)} entries" in body
    assert f"head {chain[-1].entry_hash[:12]}" in body and 'role="alert"' not in body

    # An entry written since the kept report is covered at once.
    _record(group, 1, verb="test.later")
    assert f"The log verifies: {len(chain) + 1} entries" in _audit_page(client, group)


def test_the_audit_page_warns_once_an_entry_is_changed(client, group):
    secretariat = make_secretariat(group)
    entries = _record(group, 3)
    sign_in(client, secretariat)
    assert "The log verifies" in _audit_page(client, group)
    _raw("UPDATE vpswg_auditentry SET to_state = 'approved' WHERE id = %s", [entries[0].pk])
    cache.delete(cache_key(group.pk))
    body = _audit_page(client, group)
    assert "The log does not verify." in body and 'role="alert"' in body
    assert f"Entry {entries[0].pk} (test.event.0," in body
    assert "its content was changed after it was written" in body
    assert "The log verifies" not in body


def test_the_audit_page_sees_a_change_to_the_kept_head_at_once(client, group):
    secretariat = make_secretariat(group)
    sign_in(client, secretariat)
    _record(group, 2)
    assert "The log verifies" in _audit_page(client, group)
    head = _chain(group)[-1]
    _raw("UPDATE vpswg_auditentry SET data = '{}' WHERE id = %s", [head.pk])
    body = _audit_page(client, group)  # the kept report is not cleared
    assert f"Entry {head.pk} (" in body and "The log does not verify." in body


def test_an_outsider_gets_404_on_the_audit_page(client, group, outsider):
    _record(group, 2)
    sign_in(client, outsider)
    response = client.get(reverse("group:audit", kwargs={"wg": group.slug}))
    assert response.status_code == 404
    assert "The log verifies" not in response.content.decode()


def test_the_audit_page_costs_the_same_queries_at_5_and_50_entries(client, group):
    secretariat = make_secretariat(group)
    sign_in(client, secretariat)
    url = reverse("group:audit", kwargs={"wg": group.slug})
    counts = []
    for more in (5, 45):
        _record(group, more)
        total = len(_chain(group))
        cache.delete(cache_key(group.pk))
        for _view in ("full walk", "kept report"):
            cold_process()  # the count of a first request: the per-process cache empty
            with CaptureQueriesContext(connection) as queries:
                body = client.get(url).content.decode()
            assert f"The log verifies: {total} entries" in body
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3]
    assert counts[1] <= counts[0]
