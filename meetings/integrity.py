"""The minutes' part of ``manage.py verify_integrity`` (``vpswg.integrity``): every frozen
version still has the hash it was frozen with, and everything sealed opens with the key ring
the installation runs with."""

from __future__ import annotations

from meetings.models import MinutesVersion
from meetings.services import attribution, redaction
from vpswg.integrity import Options, Tally
from vpswg.models import WorkingGroup


def check_versions(group: WorkingGroup, options: Options) -> Tally:
    """The hash of each frozen version, recomputed over its stored form (speakers sealed, as
    the hash was taken): a version changed in the dump, or damaged, fails here even where
    nothing sealed was touched."""
    tally = Tally()
    tally.counts["minutes versions"] += 0
    versions = (
        MinutesVersion.objects.filter(working_group=group)
        .order_by("pk")
        .values_list("minutes_id", "number", "attributed", "content_hash")
    )
    for minutes_id, number, stored, recorded in versions.iterator(chunk_size=100):
        if redaction.content_hash(stored) != recorded:
            tally.fail(
                f"minutes {minutes_id}, version {number}: its content does not match its hash"
            )
        else:
            tally.counts["minutes versions"] += 1
    return tally


def check_attribution(group: WorkingGroup, options: Options) -> Tally:
    tally = Tally()
    attribution.verify(group, tally)
    return tally
