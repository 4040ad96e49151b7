"""Who said what, encrypted at rest, and destroyed when the group no longer needs it.

Envelope encryption (DESIGN.md, Confidentiality): each minutes has a data key of its own
(``MinutesKey``), stored only wrapped by the master key ring ``VPSWG_ATTRIBUTION_KEYS``, which
lives outside the database (``vpswg.crypto``). With the data key:

* the live record seals each contribution's speaker (the ids of the representative, the
  institution they spoke for, or the guest) in ``Contribution.speaker_sealed``, bound to that
  contribution and padded, so that every ciphertext has the same length; an unattributed
  statement gets a sealed "nobody" too, so that which statements are attributed does not show;
* a frozen version (``MinutesVersion.attributed``) keeps the statements in clear and seals,
  for each, the speaker as named at freezing time, bound to its place in that version, and the
  attendance list as one value.

* a Coordination seat's comment on a section or statement (``MinutesComment``) is sealed
  too, bound to its review and statement: it may say who spoke ("it was the embassy, not the
  company"), which would otherwise pair a statement with a person in clear.

The members' and dissemination versions are built without speakers and need no key. A dump of
the database, a replica or a backup without the master key pairs no statement with a person.

Destroying the data key (``destroy``; the group's retention period after adoption, run by
``destroy_expired``) makes the attribution, and the seats' comments, unreadable for good, with any master key and from
any backup taken afterwards; the statements, the members' and dissemination versions, the
hashes and the approval history stay.

A value that does not open (corrupted, or the master key is not the one it was made with) is
shown as "unreadable" for that statement and logged; it never fails the page.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from meetings.models import Contribution, Minutes, MinutesComment, MinutesKey, MinutesVersion
from members.constituency import constituency
from members.models import Institution
from vpswg.crypto import (
    DecryptionError,
    attribution_ring,
    new_key,
    open_sealed,
    seal,
)
from vpswg.models import User, WorkingGroup
from vpswg.services.audit import record

logger = logging.getLogger("vpswg.attribution")

#: Every live speaker reference is padded to this many bytes before sealing.
LIVE_BLOCK = 64
#: A frozen speaker (type, name, institution, pillar) is padded to a multiple of this.
VERSION_BLOCK = 512
#: The attendance list of a frozen version, to a multiple of this.
ATTENDANCE_BLOCK = 1024

#: What a speaker is when it cannot be shown: the rendering says so instead of a name.
UNREADABLE = {"type": "unreadable"}
DESTROYED = {"type": "destroyed"}


class AttributionUnavailable(Exception):
    """The attribution cannot be written: its key is destroyed or does not open."""


@dataclass(frozen=True)
class SpeakerRef:
    """A live speaker: a representative with the institution they spoke for, a guest, or
    nobody (all None)."""

    user_id: int | None = None
    institution_id: int | None = None
    guest_id: int | None = None

    @property
    def key(self) -> str:
        """The editor's value for this speaker (``user:<id>``, ``guest:<id>`` or empty)."""
        if self.user_id:
            return f"user:{self.user_id}"
        if self.guest_id:
            return f"guest:{self.guest_id}"
        return ""


NOBODY = SpeakerRef()


@dataclass(frozen=True)
class Unreadable:
    """A live speaker that cannot be shown: ``destroyed`` after retention, else unreadable."""

    destroyed: bool = False

    key = ""


# --- The data key --------------------------------------------------------------------------------


def _wrap_aad(minutes_id: int) -> str:
    return f"minutes-key:{minutes_id}"


@dataclass(frozen=True)
class DataKey:
    """The minutes' data key, opened; ``key`` is None when destroyed or unreadable."""

    minutes_id: int
    key: bytes | None
    destroyed_at: datetime | None = None

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None

    @property
    def state(self) -> str:
        """For cache keys: a rendering made with the key differs from one made without."""
        return "destroyed" if self.destroyed else ("open" if self.key else "unreadable")


def create_key(minutes: Minutes) -> MinutesKey:
    """The minutes' data key, made once (``start_minutes``)."""
    return MinutesKey.objects.create(
        working_group_id=minutes.working_group_id,
        minutes=minutes,
        wrapped=attribution_ring().encrypt(new_key(), _wrap_aad(minutes.pk)),
    )


def data_key(minutes: Minutes | int, *, create: bool = False) -> DataKey:
    """Open the minutes' data key (one query). A key that does not unwrap is logged and
    returned as None: every speaker then reads "unreadable", and nothing can be written."""
    minutes_id = minutes if isinstance(minutes, int) else minutes.pk
    row = MinutesKey.objects.filter(minutes_id=minutes_id).values("wrapped", "destroyed_at").first()
    if row is None:
        if not create or isinstance(minutes, int):
            return DataKey(minutes_id, None)
        created = create_key(minutes)
        row = {"wrapped": created.wrapped, "destroyed_at": None}
    return open_key_row(minutes_id, row)


def open_key_row(minutes_id: int, row: dict | None) -> DataKey:
    """A ``MinutesKey`` row's ``wrapped`` and ``destroyed_at``, opened (read by the caller,
    with others: the search page opens the keys of a page of statements in one query)."""
    if row is None:
        return DataKey(minutes_id, None)
    if row["destroyed_at"] is not None or not row["wrapped"]:
        return DataKey(minutes_id, None, row["destroyed_at"] or timezone.now())
    try:
        key = attribution_ring().decrypt(row["wrapped"], _wrap_aad(minutes_id))
    except DecryptionError as exc:
        logger.error(
            "minutes %s: the data key does not open with VPSWG_ATTRIBUTION_KEYS (%s)",
            minutes_id,
            exc,
        )
        return DataKey(minutes_id, None)
    return DataKey(minutes_id, key)


def writable_key(minutes: Minutes) -> bytes:
    """The data key for a write, or a clear refusal: a speaker is never saved in clear, nor
    under a key that could not be read back."""
    opened = data_key(minutes, create=True)
    if opened.key is None:
        from django.utils.translation import gettext as _

        raise AttributionUnavailable(
            _("The attribution of these minutes has been destroyed: speakers cannot be changed.")
            if opened.destroyed
            else _(
                "The attributed record cannot be opened with this server's key "
                "(VPSWG_ATTRIBUTION_KEYS): ask the platform operator. Nothing was saved."
            )
        )
    return opened.key


# --- The live record ---------------------------------------------------------------------------


def _live_aad(minutes_id: int, contribution_id: int) -> str:
    return f"contribution:{minutes_id}:{contribution_id}"


def seal_speaker(key: bytes, minutes_id: int, contribution_id: int, ref: SpeakerRef) -> str:
    payload = json.dumps([ref.user_id, ref.institution_id, ref.guest_id], separators=(",", ":"))
    return seal(key, payload.encode(), _live_aad(minutes_id, contribution_id), block=LIVE_BLOCK)


def open_speaker(opened: DataKey, contribution_id: int, sealed: str) -> SpeakerRef | Unreadable:
    if opened.destroyed:
        return Unreadable(destroyed=True)
    if opened.key is None or not sealed:
        return Unreadable()
    try:
        user_id, institution_id, guest_id = json.loads(
            open_sealed(
                opened.key, sealed, _live_aad(opened.minutes_id, contribution_id), padded=True
            )
        )
    except (DecryptionError, ValueError, TypeError):
        logger.error(
            "minutes %s: the speaker of contribution %s does not open",
            opened.minutes_id,
            contribution_id,
        )
        return Unreadable()
    return SpeakerRef(user_id, institution_id, guest_id)


def speakers(minutes: Minutes, rows: list[tuple[int, str]]) -> dict[int, SpeakerRef | Unreadable]:
    """The speakers of ``(contribution id, speaker_sealed)`` rows of these minutes."""
    opened = data_key(minutes)
    return {pk: open_speaker(opened, pk, sealed) for pk, sealed in rows}


def set_speaker(*, contribution: Contribution, minutes: Minutes, ref: SpeakerRef) -> str:
    """Seal ``ref`` as the contribution's speaker; returns the sealed value (saved too)."""
    sealed = seal_speaker(writable_key(minutes), minutes.pk, contribution.pk, ref)
    Contribution.objects.filter(pk=contribution.pk).update(speaker_sealed=sealed)
    contribution.speaker_sealed = sealed
    return sealed


# --- Frozen versions -------------------------------------------------------------------------------


def _version_aad(minutes_id: int, number: int, where: str) -> str:
    return f"version:{minutes_id}:{number}:{where}"


def _seal_json(key: bytes, value: Any, aad: str, block: int) -> str:
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return seal(key, payload.encode(), aad, block=block)


def seal_version(content: dict, *, key: bytes, minutes_id: int, number: int) -> dict:
    """The attributed rendering as stored: speakers and attendance sealed, the rest in clear."""
    stored = {**content, "sealed": True}
    stored["sections"] = [
        {
            **section,
            "contributions": [
                {
                    **_key_of(c),
                    "text": c["text"],
                    "speaker": _seal_json(
                        key,
                        c["speaker"],
                        _version_aad(minutes_id, number, f"{s_index}.{c_index}"),
                        VERSION_BLOCK,
                    ),
                }
                for c_index, c in enumerate(section["contributions"])
            ],
        }
        for s_index, section in enumerate(content["sections"])
    ]
    stored["attendance"] = _seal_json(
        key, content["attendance"], _version_aad(minutes_id, number, "attendance"), ATTENDANCE_BLOCK
    )
    return stored


def _open_json(opened: DataKey, token: str, aad: str, what: str) -> Any:
    if opened.destroyed:
        return DESTROYED
    if opened.key is None:
        return UNREADABLE
    try:
        return json.loads(open_sealed(opened.key, token, aad, padded=True))
    except (DecryptionError, ValueError, TypeError):
        logger.error("minutes %s: %s does not open", opened.minutes_id, what)
        return UNREADABLE


def _key_of(contribution: dict) -> dict:
    """The statement's key across versions (``redaction.contribution_key``), when it has one."""
    return {"key": contribution["key"]} if "key" in contribution else {}


def open_version(stored: dict, *, opened: DataKey, number: int) -> dict:
    """The attributed rendering of a frozen version, for display: every speaker opened, or
    marked unreadable or destroyed."""
    minutes_id = opened.minutes_id
    content = {**stored}
    content.pop("sealed", None)
    content["sections"] = [
        {
            **section,
            "contributions": [
                {
                    **_key_of(c),
                    "text": c["text"],
                    "speaker": _open_json(
                        opened,
                        c["speaker"],
                        _version_aad(minutes_id, number, f"{s_index}.{c_index}"),
                        f"version {number}, speaker {s_index}.{c_index}",
                    ),
                }
                for c_index, c in enumerate(section["contributions"])
            ],
        }
        for s_index, section in enumerate(stored["sections"])
    ]
    attendance = _open_json(
        opened,
        stored["attendance"],
        _version_aad(minutes_id, number, "attendance"),
        f"version {number}, attendance",
    )
    content["attendance"] = attendance if "people" in attendance else {"unavailable": attendance}
    content["attribution"] = opened.state
    content["attribution_destroyed_at"] = (
        opened.destroyed_at.isoformat() if opened.destroyed_at else ""
    )
    return content


def took_part(content: dict, constituencies: dict[str, str] | None = None) -> dict:
    """By pillar, how many institutions spoke (the state participation report): counts only.

    With ``constituencies`` (each speaking institution's name to its ``members.constituency``,
    from ``speaker_constituencies``), the counts by constituency too, under "constituencies":
    the report tells the host state's bodies from the embassies, which share a pillar."""
    by_pillar: dict[str, set[str]] = {}
    for section in content["sections"]:
        for c in section["contributions"]:
            speaker = c["speaker"]
            if speaker and speaker.get("type") == "representative" and speaker.get("pillar"):
                by_pillar.setdefault(speaker["pillar"], set()).add(speaker["institution"])
    counts: dict = {pillar: len(names) for pillar, names in sorted(by_pillar.items())}
    if constituencies is not None:
        by_constituency: dict[str, set[str]] = {}
        for section in content["sections"]:
            for c in section["contributions"]:
                speaker = c["speaker"]
                if speaker and speaker.get("type") == "representative":
                    name = speaker.get("institution", "")
                    if name in constituencies:
                        by_constituency.setdefault(constituencies[name], set()).add(name)
        counts["constituencies"] = {
            key: len(names) for key, names in sorted(by_constituency.items())
        }
    return counts


def speaker_constituencies(working_group: WorkingGroup, content: dict) -> dict[str, str]:
    """The constituency of each institution that speaks in ``content``, by its name (unique in
    the group): one query."""
    names = {
        c["speaker"].get("institution", "")
        for section in content["sections"]
        for c in section["contributions"]
        if c["speaker"] and c["speaker"].get("type") == "representative"
    }
    names.discard("")
    if not names:
        return {}
    return {
        name: constituency(pillar, kind)
        for name, pillar, kind in Institution.objects.filter(
            working_group=working_group, name__in=names
        ).values_list("name", "pillar", "kind")
    }


# --- Coordination comments ---------------------------------------------------------------------

#: A comment is padded to a multiple of this: its length says little of what it says.
COMMENT_BLOCK = 256


def _comment_aad(minutes_id: int, review_id: int, anchor_key: str) -> str:
    return f"comment:{minutes_id}:{review_id}:{anchor_key}"


def seal_comment(key: bytes, *, minutes_id: int, review_id: int, anchor_key: str, text: str) -> str:
    """A seat's comment on a statement, sealed like the attribution and bound to its review
    and statement: it may name who spoke, and goes when the attribution is destroyed."""
    return seal(
        key, text.encode(), _comment_aad(minutes_id, review_id, anchor_key), block=COMMENT_BLOCK
    )


def open_comment(opened: DataKey, *, review_id: int, anchor_key: str, sealed: str) -> str | dict:
    """The comment's text, or ``DESTROYED`` / ``UNREADABLE`` (never an error on the page)."""
    if opened.destroyed or not sealed:
        return DESTROYED
    if opened.key is None:
        return UNREADABLE
    try:
        return open_sealed(
            opened.key, sealed, _comment_aad(opened.minutes_id, review_id, anchor_key), padded=True
        ).decode()
    except (DecryptionError, UnicodeDecodeError):
        logger.error(
            "minutes %s: the comment of review %s on %s does not open",
            opened.minutes_id,
            review_id,
            anchor_key,
        )
        return UNREADABLE


# --- Retention -----------------------------------------------------------------------------------


@transaction.atomic
def destroy(*, minutes: Minutes, actor: User | None, reason: str = "retention") -> bool:
    """Destroy the minutes' data key, for good; False if it was destroyed already."""
    row = MinutesKey.objects.select_for_update().filter(minutes=minutes).first()
    if row is None:
        row = MinutesKey.objects.create(
            working_group_id=minutes.working_group_id, minutes=minutes, wrapped=""
        )
    elif row.destroyed_at is not None:
        return False
    row.wrapped = ""
    row.destroyed_at = timezone.now()
    row.save(update_fields=["wrapped", "destroyed_at"])
    # The live speakers are unreadable without the key; they are emptied too, so that the
    # rows say plainly that nothing is there.
    Contribution.objects.filter(section__minutes=minutes).update(speaker_sealed="")
    MinutesComment.objects.filter(version__minutes=minutes).update(text_sealed="")
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.attribution_destroyed",
        obj=minutes,
        data={"reason": reason, "retention_days": minutes.working_group.attribution_retention_days},
    )
    return True


def destroy_expired(group: WorkingGroup, now: datetime | None = None) -> list[int]:
    """Destroy the attribution of the group's minutes adopted more than its retention period
    ago (inside the group's scope); returns the minutes' ids."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=group.attribution_retention_days)
    due = list(
        Minutes.objects.filter(
            status=Minutes.Status.ADOPTED, adopted_at__isnull=False, adopted_at__lte=cutoff
        )
        .exclude(data_key__destroyed_at__isnull=False)
        .select_related("working_group")
        .order_by("adopted_at")
    )
    destroyed = []
    for minutes in due:
        if destroy(minutes=minutes, actor=None):
            destroyed.append(minutes.pk)
    return destroyed


# --- Rotation ----------------------------------------------------------------------------------


def rotate() -> int:
    """Re-wrap every data key under the ring's current master key; the sealed values do not
    change (their data keys do not). Returns how many keys were re-wrapped."""
    from vpswg.scoping import scopes_disabled

    ring = attribution_ring()
    changed = 0
    # An operator's command over every group's keys: no one group's scope applies.
    with scopes_disabled():
        rows = list(
            MinutesKey.objects.exclude(wrapped="").values_list("pk", "minutes_id", "wrapped")
        )
        for pk, minutes_id, wrapped in rows:
            if not ring.needs_rotation(wrapped):
                continue
            key = ring.decrypt(wrapped, _wrap_aad(minutes_id))
            MinutesKey.objects.filter(pk=pk).update(
                wrapped=ring.encrypt(key, _wrap_aad(minutes_id))
            )
            changed += 1
    return changed


# --- Verification (after a restore) -------------------------------------------------------------


def verify(group: WorkingGroup, tally) -> None:
    """Open every sealed value of the group with ``VPSWG_ATTRIBUTION_KEYS``, into ``tally``
    (a ``vpswg.integrity.Tally``): each data key, each live speaker, each frozen version's
    speakers and attendance, each seat's comment. Failures name ids only: the output must not
    say who said what. A destroyed attribution is counted, not a failure: it is meant to be
    gone."""
    from vpswg.crypto import KeyConfigurationError

    for what in ("data keys", "attributions destroyed", "attributed records"):
        tally.counts[what] += 0
    try:
        ring = attribution_ring()
    except KeyConfigurationError as exc:
        if MinutesKey.objects.filter(working_group=group).exclude(wrapped="").exists():
            tally.fail(str(exc))
        return
    keys: dict[int, bytes | None] = {}
    destroyed: set[int] = set()
    for minutes_id, wrapped, destroyed_at in (
        MinutesKey.objects.filter(working_group=group)
        .order_by("minutes_id")
        .values_list("minutes_id", "wrapped", "destroyed_at")
    ):
        if destroyed_at is not None or not wrapped:
            destroyed.add(minutes_id)
            tally.counts["attributions destroyed"] += 1
            continue
        try:
            keys[minutes_id] = ring.decrypt(wrapped, _wrap_aad(minutes_id))
        except DecryptionError as exc:
            keys[minutes_id] = None
            tally.fail(f"minutes {minutes_id}: the data key does not open ({exc})")
        else:
            tally.counts["data keys"] += 1

    def opens(minutes_id: int, token: str, aad: str, what: str) -> None:
        if minutes_id in destroyed:
            return
        key = keys.get(minutes_id)
        if minutes_id not in keys:
            tally.fail(f"minutes {minutes_id}: {what} is sealed, but the minutes have no data key")
            return
        if key is None:
            return  # its data key did not open: said once, above
        try:
            open_sealed(key, token, aad, padded=True)
        except DecryptionError:
            tally.fail(f"minutes {minutes_id}: {what} does not open")
        else:
            tally.counts["attributed records"] += 1

    contributions = (
        Contribution.objects.filter(working_group=group)
        .order_by("pk")
        .values_list("pk", "section__minutes_id", "speaker_sealed")
    )
    for pk, minutes_id, sealed in contributions.iterator(chunk_size=2000):
        opens(minutes_id, sealed, _live_aad(minutes_id, pk), f"the speaker of contribution {pk}")

    versions = (
        MinutesVersion.objects.filter(working_group=group)
        .order_by("pk")
        .values_list("minutes_id", "number", "attributed")
    )
    for minutes_id, number, stored in versions.iterator(chunk_size=100):
        if not stored.get("sealed"):
            continue  # a version frozen before sealing: nothing in it is encrypted
        for s_index, section in enumerate(stored.get("sections", [])):
            for c_index, c in enumerate(section.get("contributions", [])):
                where = f"{s_index}.{c_index}"
                opens(
                    minutes_id,
                    c.get("speaker", ""),
                    _version_aad(minutes_id, number, where),
                    f"version {number}, speaker {where}",
                )
        opens(
            minutes_id,
            stored.get("attendance", ""),
            _version_aad(minutes_id, number, "attendance"),
            f"version {number}, attendance",
        )
    comments = (
        MinutesComment.objects.filter(working_group=group)
        .exclude(text_sealed="")
        .order_by("pk")
        .values_list("pk", "version__minutes_id", "review_id", "anchor_key", "text_sealed")
    )
    for pk, minutes_id, review_id, anchor_key, sealed in comments.iterator(chunk_size=500):
        opens(
            minutes_id,
            sealed,
            _comment_aad(minutes_id, review_id, anchor_key),
            f"comment {pk}",
        )


__all__ = [
    "DESTROYED",
    "NOBODY",
    "UNREADABLE",
    "AttributionUnavailable",
    "DataKey",
    "SpeakerRef",
    "Unreadable",
    "create_key",
    "data_key",
    "destroy",
    "destroy_expired",
    "open_comment",
    "open_speaker",
    "open_version",
    "rotate",
    "seal_comment",
    "seal_speaker",
    "seal_version",
    "set_speaker",
    "speakers",
    "took_part",
    "verify",
    "writable_key",
]
