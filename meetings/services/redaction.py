"""The three renderings of minutes, built here and nowhere else.

* attributed: who said what (the Secretariat; the Coordination Group while reviewing, if the
  group so decides);
* members: what was said, by "a participant"; attendance as counts by pillar, or as the list
  of institutions present if the group so decides, never tied to a statement;
* dissemination: topics, main points and decisions only, no attendance, for members to share
  outside the group, as the Chatham House Rule permits.

The redacted projections are read from the database *without* the speaker columns
(``values()`` on the text fields only), not made by removing names from the attributed one:
a bug in a template cannot show what was never loaded. Templates never decide redaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from meetings.models import (
    ActionItem,
    Attendance,
    Contribution,
    Decision,
    Guest,
    Minutes,
    MinutesSection,
)
from meetings.services import attribution
from members.models import Institution
from vpswg.models import User
from vpswg.roles import Pillar

SCHEMA = 1


# A section's and a statement's key in a frozen version: the same in every version frozen from
# the same record, so that two versions are compared part by part and a Coordination comment
# stays beside its statement. It is the row's id, which says nothing of who spoke; versions
# frozen before keys were kept have none, and are compared by position and text instead.
def section_key(pk: int) -> str:
    return f"s{pk}"


def contribution_key(pk: int) -> str:
    return f"c{pk}"


def _meeting(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "start": meeting.start.isoformat(),
        "venue": meeting.venue,
    }


def _next(minutes: Minutes) -> dict:
    """What the meeting agreed for the next one (seed step 5): its topics, venue and guests.
    Guests are named: they will be on the next agenda, which members read anyway. Read once
    for the renderings frozen together (``submit`` makes both from the same object)."""
    kept = getattr(minutes, "_next_agreed", None)
    if kept is not None:
        return kept
    meeting = minutes.meeting
    minutes._next_agreed = {
        "topics": [t for t in meeting.next_topics.splitlines() if t.strip()],
        "venue": meeting.next_venue,
        "guests": [str(g) for g in meeting.next_guests.order_by("name")],
    }
    return minutes._next_agreed


def _decisions(section_ids) -> dict[int, list[str]]:
    by_section: dict[int, list[str]] = defaultdict(list)
    for section_id, text in (
        Decision.objects.filter(section_id__in=section_ids)
        .order_by("position", "id")
        .values_list("section_id", "text")
    ):
        by_section[section_id].append(text)
    return by_section


def _actions(section_ids) -> dict[int, list[dict]]:
    by_section: dict[int, list[dict]] = defaultdict(list)
    for row in (
        ActionItem.objects.filter(section_id__in=section_ids)
        .order_by("position", "id")
        .values("section_id", "what", "institution__name", "due_date")
    ):
        by_section[row["section_id"]].append(
            {
                "what": row["what"],
                "institution": row["institution__name"] or "",
                "due": row["due_date"].isoformat() if row["due_date"] else "",
            }
        )
    return by_section


def _sections(minutes: Minutes) -> list[dict]:
    """The sections' own texts, in order: the same in every rendering."""
    return list(
        MinutesSection.objects.filter(minutes=minutes)
        .values("pk", "title", "main_points")
        .order_by("position", "id")
    )


def attributed(minutes: Minutes) -> dict:
    """The full record with speakers (the Secretariat's version), opened with the minutes'
    data key: a speaker that cannot be opened is marked so (``attribution.UNREADABLE``, or
    ``DESTROYED`` after the retention period)."""
    sections = _sections(minutes)
    ids = [s["pk"] for s in sections]
    rows = list(
        Contribution.objects.filter(section_id__in=ids)
        .order_by("position", "id")
        .values_list("pk", "section_id", "text", "speaker_sealed")
    )
    refs = attribution.speakers(minutes, [(pk, sealed) for pk, _s, _t, sealed in rows])
    people = _speaker_names(refs.values())
    contributions: dict[int, list[dict]] = defaultdict(list)
    for pk, section_id, text, _sealed in rows:
        contributions[section_id].append(
            {"key": contribution_key(pk), "speaker": _speaker(refs[pk], people), "text": text}
        )
    decisions, actions = _decisions(ids), _actions(ids)
    present = list(
        Attendance.objects.filter(meeting=minutes.meeting)
        .order_by("institution__name", "user__full_name")
        .values("user__full_name", "institution__name", "institution__pillar")
    )
    return {
        "schema": SCHEMA,
        "rendering": "attributed",
        "meeting": _meeting(minutes),
        "summary": minutes.summary,
        "sections": [
            {
                "key": section_key(s["pk"]),
                "title": s["title"],
                "main_points": s["main_points"],
                "contributions": contributions[s["pk"]],
                "decisions": decisions[s["pk"]],
                "action_items": actions[s["pk"]],
            }
            for s in sections
        ],
        "next": _next(minutes),
        "attendance": {
            "people": [
                {
                    "name": a["user__full_name"],
                    "institution": a["institution__name"],
                    "pillar": a["institution__pillar"],
                }
                for a in present
            ]
        },
    }


@dataclass
class _Names:
    users: dict[int, str]
    institutions: dict[int, tuple[str, str]]
    guests: dict[int, tuple[str, str]]


def _speaker_names(refs) -> _Names:
    """The names of the speakers referred to: one query per kind of person, whatever the size."""
    refs = [r for r in refs if isinstance(r, attribution.SpeakerRef)]
    return _Names(
        users={
            pk: full_name or email
            for pk, full_name, email in _by_pk(
                User, {r.user_id for r in refs}, "full_name", "email"
            )
        },
        institutions={
            pk: (name, pillar)
            for pk, name, pillar in _by_pk(
                Institution, {r.institution_id for r in refs}, "name", "pillar"
            )
        },
        guests={
            pk: (name, organisation)
            for pk, name, organisation in _by_pk(
                Guest, {r.guest_id for r in refs}, "name", "organisation"
            )
        },
    )


def _by_pk(model, ids: set, *fields: str) -> list[tuple]:
    ids.discard(None)
    return list(model.objects.filter(pk__in=ids).values_list("pk", *fields)) if ids else []


def _speaker(ref, names: _Names) -> dict | None:
    if isinstance(ref, attribution.Unreadable):
        return attribution.DESTROYED if ref.destroyed else attribution.UNREADABLE
    if ref.user_id:
        institution, pillar = names.institutions.get(ref.institution_id, ("", ""))
        return {
            "type": "representative",
            "name": names.users.get(ref.user_id, ""),
            "institution": institution,
            "pillar": pillar or "",
        }
    if ref.guest_id:
        name, organisation = names.guests.get(ref.guest_id, ("", ""))
        return {"type": "guest", "name": name, "institution": organisation or "", "pillar": ""}
    return None


def _attendance_summary(minutes: Minutes) -> dict:
    rows = (
        Attendance.objects.filter(meeting=minutes.meeting)
        .values("institution__pillar", "institution__participation")
        .annotate(people=Count("id"), institutions=Count("institution", distinct=True))
        .order_by()
    )
    by_pillar = {p.value: {"pillar": p.value, "institutions": 0, "people": 0} for p in Pillar}
    observers = {"institutions": 0, "people": 0}
    for row in rows:
        target = (
            by_pillar.get(row["institution__pillar"]) if row["institution__pillar"] else observers
        )
        target["institutions"] += row["institutions"]
        target["people"] += row["people"]
    result = {"by_pillar": list(by_pillar.values()), "observers": observers}
    if minutes.working_group.minutes_list_institutions:
        # Alphabetical, and apart from the statements: presence, never authorship.
        result["institutions"] = sorted(
            set(
                Institution.objects.filter(attendance__meeting=minutes.meeting).values_list(
                    "name", flat=True
                )
            )
        )
    return result


def members(minutes: Minutes) -> dict:
    """What members read: no speaker is loaded, only the texts."""
    sections = _sections(minutes)
    ids = [s["pk"] for s in sections]
    texts: dict[int, list[dict]] = defaultdict(list)
    for pk, section_id, text in (
        Contribution.objects.filter(section_id__in=ids)
        .order_by("position", "id")
        .values_list("pk", "section_id", "text")
    ):
        texts[section_id].append({"key": contribution_key(pk), "text": text})
    decisions, actions = _decisions(ids), _actions(ids)
    return {
        "schema": SCHEMA,
        "rendering": "members",
        "meeting": _meeting(minutes),
        "summary": minutes.summary,
        "sections": [
            {
                "key": section_key(s["pk"]),
                "title": s["title"],
                "main_points": s["main_points"],
                "contributions": texts[s["pk"]],
                "decisions": decisions[s["pk"]],
                "action_items": actions[s["pk"]],
            }
            for s in sections
        ],
        "next": _next(minutes),
        "attendance": _attendance_summary(minutes),
    }


def dissemination(minutes: Minutes) -> dict:
    """Topics, main points and decisions: what members may share outside the group."""
    sections = _sections(minutes)
    decisions = _decisions([s["pk"] for s in sections])
    meeting = _meeting(minutes)
    return {
        "schema": SCHEMA,
        "rendering": "dissemination",
        "meeting": {"title": meeting["title"], "start": meeting["start"]},
        "sections": [
            {"title": s["title"], "main_points": s["main_points"], "decisions": decisions[s["pk"]]}
            for s in sections
        ],
    }


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON of a version as stored (its speakers sealed): it shows
    that the version has not changed, and, unlike a hash of the clear text, offers no way to
    test a guess of who said what."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
