"""Two frozen versions of the minutes compared part by part, and the Coordination Group's
comments on a section or a statement.

A comparison works on one rendering (the attributed or the members'), the one the reader may
see: it is given the two versions' contents in that rendering and never reads another, so a
member's comparison cannot show a speaker. Parts are matched by their key across versions
(``redaction.section_key``, ``contribution_key``); versions frozen before keys were kept, and
decisions and action items, which have none, are matched by their text (``difflib``). Inside a
changed text the words added and removed are marked, as plain segments that the template
escapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext as _

from meetings.models import Minutes, MinutesComment, MinutesReview, MinutesVersion
from meetings.services import attribution
from meetings.services.minutes.common import MinutesError

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"

#: Two texts in the same place are one text changed, not one removed and one added, when at
#: least this share of their words is common.
SIMILAR = 0.4
#: How much of a part's text a comment keeps to say what it was about.
QUOTE_CHARS = 150
#: The longest comment on one part.
COMMENT_CHARS = 4000


Segments = list[tuple[str, str]]


@dataclass
class Words:
    """A text in two versions, in segments ``(op, text)``: ``op`` is "same", "del" (only in
    ``old``) or "ins" (only in ``new``)."""

    old: Segments
    new: Segments


#: Words, the spaces between them and each punctuation mark: "agreements." and "agreements"
#: share their word.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def _merge(segments: Segments) -> Segments:
    merged: Segments = []
    for op, text in segments:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def words(old: str, new: str) -> Words:
    """The words removed from ``old`` and added in ``new`` (spaces kept as they were)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    left: Segments = []
    right: Segments = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(("same", "".join(a[i1:i2])))
            right.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(("ins", "".join(b[j1:j2])))
    return Words(_merge(left), _merge(right))


@dataclass
class Row:
    """One part (a statement, a decision, an action item) in the two versions."""

    state: str
    old: Any = None
    new: Any = None
    key: str = ""
    #: The words changed in its text, when changed.
    words: Words | None = None
    #: A statement's speaker changed (the attributed rendering only has speakers).
    speaker_changed: bool = False
    #: An action item's institution or date changed.
    detail_changed: bool = False
    #: The Coordination Group's comments on it (set by ``attach_comments``).
    comments: list = field(default_factory=list)


@dataclass
class SectionRow:
    state: str
    old: dict | None
    new: dict | None
    key: str = ""
    title: Words | None = None
    main_points: Words | None = None
    contributions: list[Row] = field(default_factory=list)
    decisions: list[Row] = field(default_factory=list)
    action_items: list[Row] = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def shown(self) -> dict:
        return self.new if self.new is not None else self.old


@dataclass
class Comparison:
    summary: Words | None
    sections: list[SectionRow]
    #: How many sections (their title and main points), statements, decisions and action
    #: items were added, removed or changed.
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return self.summary is not None or any(s.state != SAME for s in self.sections)


def _keyed(items: list[dict]) -> bool:
    return all(isinstance(item, dict) and item.get("key") for item in items)


def _align(old: list, new: list, text: Callable[[Any], str]) -> list[tuple[Any, Any]]:
    """Pairs ``(old, new)`` in the new order, the removed ones where they stood: by key when
    every part has one (a statement moved or rewritten is still the same statement), else by
    text, two texts in the same place being one changed when they are alike."""
    if (old and new and _keyed(old) and _keyed(new)) or (not old and _keyed(new)):
        return _align_by_key(old, new)
    if not new and _keyed(old):
        return [(item, None) for item in old]
    pairs: list[tuple[Any, Any]] = []
    a, b = [text(x) for x in old], [text(y) for y in new]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        gone, came = list(old[i1:i2]), list(new[j1:j2])
        while gone and came:
            if (
                SequenceMatcher(None, text(gone[0]).split(), text(came[0]).split()).ratio()
                < SIMILAR
            ):
                break
            pairs.append((gone.pop(0), came.pop(0)))
        pairs += [(x, None) for x in gone] + [(None, y) for y in came]
    return pairs


def _align_by_key(old: list[dict], new: list[dict]) -> list[tuple[Any, Any]]:
    kept = {item["key"] for item in new}
    old_by_key = {item["key"]: item for item in old}
    # Each removed part goes after the old part before it that is still there (or first).
    removed_after: dict[str | None, list[dict]] = {}
    last: str | None = None
    for item in old:
        if item["key"] in kept:
            last = item["key"]
        else:
            removed_after.setdefault(last, []).append(item)
    pairs: list[tuple[Any, Any]] = [(gone, None) for gone in removed_after.get(None, [])]
    for item in new:
        pairs.append((old_by_key.get(item["key"]), item))
        pairs += [(gone, None) for gone in removed_after.get(item["key"], [])]
    return pairs


def _state(old, new, same: bool) -> str:
    if old is None:
        return ADDED
    if new is None:
        return REMOVED
    return SAME if same else CHANGED


def _text_words(old: str, new: str) -> Words | None:
    return None if (old or "") == (new or "") else words(old, new)


def _contributions(old: list[dict], new: list[dict]) -> list[Row]:
    rows = []
    for a, b in _align(old, new, lambda c: c["text"]):
        if a is None or b is None:
            rows.append(Row(_state(a, b, False), a, b, key=(a or b).get("key", "")))
            continue
        text = _text_words(a["text"], b["text"])
        speaker_changed = a.get("speaker") != b.get("speaker")
        rows.append(
            Row(
                _state(a, b, text is None and not speaker_changed),
                a,
                b,
                key=b.get("key", ""),
                words=text,
                speaker_changed=speaker_changed,
            )
        )
    return rows


def _decisions(old: list[str], new: list[str]) -> list[Row]:
    rows = []
    for a, b in _align(old, new, lambda d: d):
        text = _text_words(a, b) if a is not None and b is not None else None
        rows.append(Row(_state(a, b, text is None), a, b, words=text))
    return rows


def _actions(old: list[dict], new: list[dict]) -> list[Row]:
    rows = []
    for a, b in _align(old, new, lambda a: a["what"]):
        if a is None or b is None:
            rows.append(Row(_state(a, b, False), a, b))
            continue
        text = _text_words(a["what"], b["what"])
        detail = (a.get("institution"), a.get("due")) != (b.get("institution"), b.get("due"))
        rows.append(
            Row(_state(a, b, text is None and not detail), a, b, words=text, detail_changed=detail)
        )
    return rows


def _section(old: dict | None, new: dict | None) -> SectionRow:
    empty: dict = {
        "title": "",
        "main_points": "",
        "contributions": [],
        "decisions": [],
        "action_items": [],
    }
    a, b = old or empty, new or empty
    row = SectionRow(
        state=SAME,
        old=old,
        new=new,
        key=(new or old).get("key", ""),
        title=_text_words(a["title"], b["title"]) if old and new else None,
        main_points=_text_words(a.get("main_points", ""), b.get("main_points", "")),
        contributions=_contributions(a.get("contributions", []), b.get("contributions", [])),
        decisions=_decisions(a.get("decisions", []), b.get("decisions", [])),
        action_items=_actions(a.get("action_items", []), b.get("action_items", [])),
    )
    parts = row.contributions + row.decisions + row.action_items
    if old is None or new is None:
        row.state = _state(old, new, False)
    elif row.title or row.main_points or any(p.state != SAME for p in parts):
        row.state = CHANGED
    return row


def compare(old: dict, new: dict) -> Comparison:
    """``old`` and ``new``: two versions' contents in the same rendering (opened, for the
    attributed one). The work is in memory: a comparison costs no query."""
    sections = [
        _section(a, b)
        for a, b in _align(old.get("sections", []), new.get("sections", []), lambda s: s["title"])
    ]
    counts = dict.fromkeys(
        (
            f"{part}_{state}"
            for part in ("contributions", "decisions", "action_items")
            for state in (ADDED, REMOVED, CHANGED)
        ),
        0,
    )
    counts.update(sections_added=0, sections_removed=0, sections_changed=0)
    for section in sections:
        if section.state in (ADDED, REMOVED):
            counts[f"sections_{section.state}"] += 1
        elif section.title or section.main_points:
            counts["sections_changed"] += 1
        for part in ("contributions", "decisions", "action_items"):
            for row in getattr(section, part):
                if row.state != SAME:
                    counts[f"{part}_{row.state}"] += 1
    return Comparison(
        summary=_text_words(old.get("summary", ""), new.get("summary", "")),
        sections=sections,
        counts=counts,
    )


def only_changes(comparison: Comparison) -> Comparison:
    """The comparison without the parts the same in both versions, unless a seat commented on
    them (a comment left unanswered is what the Secretariat and the seat look for)."""

    def kept(rows: list[Row]) -> list[Row]:
        return [r for r in rows if r.state != SAME or r.comments]

    sections = []
    for section in comparison.sections:
        shown = replace(
            section,
            contributions=kept(section.contributions),
            decisions=kept(section.decisions),
            action_items=kept(section.action_items),
        )
        if (
            section.state != SAME
            or section.comments
            or shown.contributions
            or shown.decisions
            or shown.action_items
        ):
            sections.append(shown)
    return replace(comparison, sections=sections)


# --- Anchors and comments ----------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    kind: str
    key: str
    quote: str


def _quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def anchors(content: dict) -> dict[str, Anchor]:
    """The sections and statements of a version that a comment may be attached to (those with
    a key), by key."""
    found: dict[str, Anchor] = {}
    for section in content.get("sections", []):
        if section.get("key"):
            found[section["key"]] = Anchor(
                MinutesComment.Anchor.SECTION, section["key"], _quote(section["title"])
            )
        for c in section.get("contributions", []):
            if c.get("key"):
                found[c["key"]] = Anchor(
                    MinutesComment.Anchor.CONTRIBUTION, c["key"], _quote(c["text"])
                )
    return found


def version_anchors(version: MinutesVersion) -> dict[str, Anchor]:
    """The anchors of a version, read from its members' rendering (the same sections and
    statements as the attributed one, without a speaker to open)."""
    content = MinutesVersion.objects.filter(pk=version.pk).values_list("members", flat=True).get()
    return anchors(content)


def save_comments(
    *, minutes: Minutes, review: MinutesReview, comments: Mapping[str, str]
) -> list[MinutesComment]:
    """Seal and save a review's comments on parts of its version (``{anchor key: text}``);
    called inside ``review``'s transaction."""
    wanted = {key: text.strip() for key, text in comments.items() if text and text.strip()}
    if not wanted:
        return []
    known = version_anchors(review.version)
    unknown = set(wanted) - set(known)
    if unknown:
        raise MinutesError(_("A comment refers to a part that is not in this version."))
    if any(len(text) > COMMENT_CHARS for text in wanted.values()):
        raise MinutesError(
            _("A comment is longer than %(count)s characters.") % {"count": COMMENT_CHARS}
        )
    try:
        key = attribution.writable_key(minutes)
    except attribution.AttributionUnavailable as exc:
        raise MinutesError(str(exc)) from exc
    return MinutesComment.objects.bulk_create(
        [
            MinutesComment(
                working_group=minutes.working_group,
                version=review.version,
                review=review,
                anchor_kind=known[anchor_key].kind,
                anchor_key=anchor_key,
                quote=known[anchor_key].quote,
                text_sealed=attribution.seal_comment(
                    key,
                    minutes_id=minutes.pk,
                    review_id=review.pk,
                    anchor_key=anchor_key,
                    text=text,
                ),
                author=review.reviewer,
            )
            for anchor_key, text in wanted.items()
        ]
    )


@dataclass
class ShownComment:
    """A comment as the Secretariat and the seats read it."""

    key: str
    kind: str
    quote: str
    version_number: int
    pillar_label: str
    author: str
    decision: str
    #: The text, or "" when ``unavailable`` says why it cannot be shown.
    text: str
    unavailable: str = ""


def comments(
    minutes: Minutes, version_ids: Iterable[int], opened: attribution.DataKey | None = None
) -> list[ShownComment]:
    """The comments on these versions, opened (one query, and the data key's if not given).
    Only for readers the access policy lets see them (``MeetingAccess.comments``)."""
    rows = list(
        MinutesComment.objects.filter(version_id__in=list(version_ids))
        .select_related("review", "author", "version")
        .only(
            "anchor_kind",
            "anchor_key",
            "quote",
            "text_sealed",
            "review",
            "author",
            "version",
            "review__pillar",
            "review__decision",
            "author__full_name",
            "author__email",
            "version__number",
        )
        .order_by("version__number", "created_at", "id")
    )
    if not rows:
        return []
    opened = opened or attribution.data_key(minutes)
    shown = []
    for row in rows:
        text = attribution.open_comment(
            opened, review_id=row.review_id, anchor_key=row.anchor_key, sealed=row.text_sealed
        )
        shown.append(
            ShownComment(
                key=row.anchor_key,
                kind=row.anchor_kind,
                quote=row.quote,
                version_number=row.version.number,
                pillar_label=row.review.pillar_label,
                author=row.author.get_full_name(),
                decision=row.review.get_decision_display(),
                text=text if isinstance(text, str) else "",
                unavailable="" if isinstance(text, str) else text["type"],
            )
        )
    return shown


def by_anchor(shown: Iterable[ShownComment]) -> dict[str, list[ShownComment]]:
    result: dict[str, list[ShownComment]] = {}
    for comment in shown:
        result.setdefault(comment.key, []).append(comment)
    return result


def attach_comments(comparison: Comparison, shown: Iterable[ShownComment]) -> list[ShownComment]:
    """Put each comment beside its section or statement; returns those whose part is in
    neither version (none, as keys do not change; kept apart rather than lost)."""
    left = by_anchor(shown)
    for section in comparison.sections:
        section.comments = left.pop(section.key, []) if section.key else []
        for row in section.contributions:
            row.comments = left.pop(row.key, []) if row.key else []
    return [c for group in left.values() for c in group]


def annotate(content: dict, shown: Iterable[ShownComment]) -> tuple[dict, list[ShownComment]]:
    """A copy of ``content`` with each section's and statement's comments beside it, and the
    comments whose part is not in it (a statement removed since)."""
    left = by_anchor(shown)
    sections = []
    for section in content.get("sections", []):
        contributions = [
            {**c, "comments": left.pop(c.get("key"), [])} for c in section.get("contributions", [])
        ]
        sections.append(
            {
                **section,
                "contributions": contributions,
                "comments": left.pop(section.get("key"), []),
            }
        )
    return {**content, "sections": sections}, [c for group in left.values() for c in group]
