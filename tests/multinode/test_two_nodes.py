"""Two nodes behind one address must behave as one: what is written through one is what the
other shows next, whatever each has kept; reports read the replica only as far as it can be
trusted, and say so when it is behind."""

from __future__ import annotations

import re
import time

from bench import coherence, pgcluster
from bench.coherence import Browser

from .conftest import MAX_LAG

#: What the state-participation page says when its figures come from a replica that is behind.
BEHIND = "read from a copy of the database that is catching up"


def _scans(replica: pgcluster.Instance, table: str) -> int:
    """How often the replica has read ``table`` (sequential and index scans)."""
    rows = replica.query(
        "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
        " WHERE relname = %s",
        [table],
        dbname="vpswg_nodes",
    )
    return rows[0][0] if rows else 0


def _scans_after(replica: pgcluster.Instance, table: str, before: int) -> int:
    """The replica's count once the backend that read has reported it: PostgreSQL does at the
    end of a transaction at most once a second, and otherwise after 10 s idle."""
    deadline = time.monotonic() + 15
    while True:
        now = _scans(replica, table)
        if now > before or time.monotonic() > deadline:
            return now
        time.sleep(0.25)


def _totals(html: str) -> tuple[int, int]:
    """The report figures' "All kinds together: N activities, M participants"."""
    found = re.search(
        r"All kinds together: (\d+) activit\w+, (\d+) participant", coherence.text(html)
    )
    return (int(found[1]), int(found[2])) if found else (0, 0)


def test_a_write_through_one_node_is_seen_on_the_next_read_through_the_other(nodes):
    outcomes = coherence.run(nodes.a, nodes.b, nodes.world)
    assert [o.name for o in outcomes] == [c.name for c in coherence.checks(nodes.world)]
    assert len(outcomes) == 7  # every kept rendering (vpswg.groupcache)
    failed = {o.name: o.problems for o in outcomes if not o.ok}
    assert not failed, failed


def test_another_groups_secretariat_gets_404_on_both_nodes(nodes):
    outsider = Browser(nodes.world.cookies["outsider"])
    for check in coherence.checks(nodes.world):
        for node in (nodes.a, nodes.b):
            response = outsider.get(node, check.path)
            assert response.status_code == 404, (check.path, response.status_code)
            assert "Carlos Mendoza" not in response.text and "Andes" not in response.text


def test_reports_read_the_replica_and_say_how_old_it_is_when_it_lags(nodes):
    g = f"/{nodes.world.group}"
    secretariat = Browser(nodes.world.cookies["secretariat"])
    state, csv, figures = f"{g}/reports/state/", f"{g}/reports/activities.csv", f"{g}/reports/"
    pgcluster.wait_caught_up(nodes.primary, nodes.replica)
    activities, participants = _totals(secretariat.get(nodes.b, figures).text)

    # Caught up: the state report is read from the replica, and says nothing of its age.
    before = _scans(nodes.replica, "meetings_meeting")
    page = secretariat.get(nodes.b, state)
    assert page.status_code == 200 and "January plenary" in page.text
    assert BEHIND not in coherence.text(page.text)
    assert _scans_after(nodes.replica, "meetings_meeting", before) > before

    # Replay paused just after a change the replica has replayed: from now on it falls
    # behind the primary, by the time since that change.
    nodes.primary.query(
        "UPDATE vpswg_workinggroup SET name = name WHERE slug = %s",
        [nodes.world.group],
        dbname="vpswg_nodes",
    )
    pgcluster.wait_caught_up(nodes.primary, nodes.replica)
    pgcluster.pause_replay(nodes.replica)
    try:
        title = "Dialogue with the community of Fuerabamba"
        recorded = secretariat.submit(
            nodes.a,
            f"{g}/activities/new/",
            f"{g}/activities/new/",
            {
                "title": title,
                "kind": "forum",
                "start_date": "2026-04-02",
                "count_civil_servants": "12",
                "organisers": str(nodes.world.institution),
            },
        )
        assert recorded.status_code == 302
        assert pgcluster.replay_lag_bytes(nodes.primary, nodes.replica) > 0

        # The state report is shown anew on every request: it may come from the lagging
        # replica (up to MAX_LAG seconds behind), and then says when its figures were current.
        page = coherence.text(secretariat.get(nodes.b, state).text)
        assert BEHIND in page and "January plenary" in page

        # The CSV is a file the Secretariat keeps: read from the primary while the replica
        # is behind, so it has the activity.
        export = secretariat.get(nodes.b, csv)
        assert export.status_code == 200 and title in export.text

        # The kept figures are drawn from the primary, never the replica: the new activity,
        # which the replica has not replayed, is counted at once through the other node.
        shown = coherence.text(secretariat.get(nodes.b, figures).text)
        assert _totals(shown) == (activities + 1, participants + 12), shown

        # Beyond the bound, the state report reads the primary, and no longer says it is
        # behind.
        while (
            (
                nodes.replica.query("SELECT now() - pg_last_xact_replay_timestamp()")[0][0]
            ).total_seconds()
            <= MAX_LAG + 0.5
        ):
            time.sleep(0.25)
        page = coherence.text(secretariat.get(nodes.b, state).text)
        assert BEHIND not in page and "January plenary" in page
    finally:
        pgcluster.resume_replay(nodes.replica)
    pgcluster.wait_caught_up(nodes.primary, nodes.replica)
    page = coherence.text(secretariat.get(nodes.b, state).text)
    assert BEHIND not in page
    assert title in secretariat.get(nodes.b, csv).text


def test_a_replica_that_does_not_answer_is_skipped_not_an_error(nodes):
    g = f"/{nodes.world.group}"
    secretariat = Browser(nodes.world.cookies["secretariat"])
    nodes.replica.stop()
    try:
        for path in (f"{g}/reports/state/", f"{g}/reports/activities.csv"):
            response = secretariat.get(nodes.b, path)
            assert response.status_code == 200, path
    finally:
        nodes.replica.start()
    pgcluster.wait_caught_up(nodes.primary, nodes.replica)
