"""Minutes for every meeting held, frozen into the three renderings by the real projection
service, and the convening notices the plenaries sent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from demo.scale.common import (
    CONTRIBUTIONS_PER_MINUTES,
    INSTITUTIONS_PER_GROUP,
    SECTIONS_PER_MINUTES,
    TOPICS,
    Roster,
    _text,
)
from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    Meeting,
    Minutes,
    MinutesAccess,
    MinutesKey,
    MinutesSection,
    MinutesVersion,
)
from meetings.services import attribution, redaction
from vpswg.crypto import attribution_ring, new_key
from vpswg.models import Notification


def approved_version(minutes: Minutes, created_by_id: int, key: bytes, **fields) -> MinutesVersion:
    """An unsaved first version frozen through the real projections and sealing, so the scale
    data carries exactly what the product would have stored and the benchmark reads realistic
    rows."""
    content = redaction.attributed(minutes)
    stored = attribution.seal_version(content, key=key, minutes_id=minutes.pk, number=1)
    return MinutesVersion(
        working_group=minutes.working_group,
        minutes=minutes,
        number=1,
        status=MinutesVersion.Status.APPROVED,
        attributed=stored,
        members=redaction.members(minutes),
        dissemination=redaction.dissemination(minutes),
        took_part=attribution.took_part(content),
        content_hash=redaction.content_hash(stored),
        created_by_id=created_by_id,
        **fields,
    )


def _reserve_ids(model, count: int) -> list[int] | None:
    """Ids for ``count`` new rows, taken from the table's sequence (PostgreSQL), so that rows
    whose sealed values are bound to their id are written in one ``bulk_create``."""
    from django.db import connection

    if connection.vendor != "postgresql" or not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def build_minutes(roster: Roster, meetings: list[Meeting]) -> None:
    """Minutes of every meeting held, with 40 attributed contributions, frozen in the three
    renderings; all adopted but the last plenary's (circulated) and the last coordination
    meeting's (a draft the Secretariat is still writing)."""
    group, rng = roster.group, roster.rng
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    plenaries = [m for m in held if m.kind == Meeting.Kind.PLENARY]
    last_plenary, last_coordination = plenaries[-1], held[-2]
    next_plenary = {m.pk: plenaries[i + 1] for i, m in enumerate(plenaries[:-1])}
    minutes = Minutes.objects.bulk_create(
        [
            Minutes(
                working_group=group,
                meeting=meeting,
                summary=_text(rng, 2),
                status=(
                    Minutes.Status.DRAFT
                    if meeting is last_coordination
                    else Minutes.Status.CIRCULATED
                    if meeting is last_plenary
                    else Minutes.Status.ADOPTED
                ),
            )
            for meeting in held
        ]
    )
    # Each minutes' data key, wrapped by the master key as the product does (the seeding
    # keeps the clear keys in memory only, to seal the speakers below).
    ring = attribution_ring()
    keys = {m.pk: new_key() for m in minutes}
    MinutesKey.objects.bulk_create(
        [
            MinutesKey(
                working_group=group,
                minutes=m,
                wrapped=ring.encrypt(keys[m.pk], f"minutes-key:{m.pk}"),
            )
            for m in minutes
        ]
    )
    sections = MinutesSection.objects.bulk_create(
        [
            MinutesSection(
                working_group=group,
                minutes=m,
                position=position,
                title=TOPICS[(position + m.meeting.start.month) % len(TOPICS)],
                main_points=_text(rng, 2),
            )
            for m in minutes
            for position in range(SECTIONS_PER_MINUTES)
        ]
    )
    per_section = CONTRIBUTIONS_PER_MINUTES // SECTIONS_PER_MINUTES
    ids = iter(_reserve_ids(Contribution, len(sections) * per_section) or [])
    contributions, decisions, actions = [], [], []
    sealed_later = []
    for section in sections:
        for position in range(per_section):
            speaker = rng.randrange(len(roster.users))
            ref = attribution.SpeakerRef(
                user_id=roster.users[speaker].pk,
                institution_id=roster.institution_of(speaker).pk,
            )
            contribution = Contribution(
                working_group=group,
                section=section,
                position=position,
                text=_text(rng),
                pk=next(ids, None),
            )
            if contribution.pk is not None:
                contribution.speaker_sealed = attribution.seal_speaker(
                    keys[section.minutes_id], section.minutes_id, contribution.pk, ref
                )
            else:
                sealed_later.append((contribution, ref))
            contributions.append(contribution)
        decisions.append(Decision(working_group=group, section=section, text=_text(rng, 1)))
        actions.append(
            ActionItem(
                working_group=group,
                section=section,
                what=_text(rng, 1),
                institution=roster.institutions[rng.randrange(INSTITUTIONS_PER_GROUP)],
                due_date=section.minutes.meeting.start.date() + timedelta(days=60),
            )
        )
    Contribution.objects.bulk_create(contributions)
    for contribution, ref in sealed_later:  # without a sequence to reserve ids from
        contribution.speaker_sealed = attribution.seal_speaker(
            keys[contribution.section.minutes_id],
            contribution.section.minutes_id,
            contribution.pk,
            ref,
        )
    if sealed_later:
        Contribution.objects.bulk_update([c for c, _ref in sealed_later], ["speaker_sealed"])
    Decision.objects.bulk_create(decisions)
    ActionItem.objects.bulk_create(actions)

    versions = []
    frozen = [m for m in minutes if m.status != Minutes.Status.DRAFT]
    for m in frozen:
        m.working_group = group  # spares the projection a query per minutes
        versions.append(
            approved_version(
                m,
                roster.secretariat.pk,
                keys[m.pk],
                approved_at=m.meeting.start + timedelta(days=14),
            )
        )
    MinutesVersion.objects.bulk_create(versions)
    for m, version in zip(frozen, versions, strict=True):
        m.revision = 1
        m.current_version = version
        m.circulated_version = version
        if m.status == Minutes.Status.ADOPTED:
            m.adopted_at_meeting = next_plenary.get(m.meeting_id)
            m.adopted_at = m.adopted_at_meeting.start if m.adopted_at_meeting else None
    Minutes.objects.bulk_update(
        frozen,
        ["revision", "current_version", "circulated_version", "adopted_at_meeting", "adopted_at"],
    )
    # 500 days of readings, one row a day each (the log keeps one per reader, rendering,
    # version and day, with a count).
    now = timezone.now()
    MinutesAccess.objects.bulk_create(
        [
            MinutesAccess(
                working_group=group,
                minutes=frozen[rng.randrange(len(frozen))],
                user=roster.users[rng.randrange(len(roster.users))],
                kind=MinutesAccess.Kind.choices[rng.randrange(len(MinutesAccess.Kind.choices))][0],
                version_number=1,
                day=(now - timedelta(days=days_ago)).date(),
                last_at=now - timedelta(days=days_ago),
                count=1 + rng.randrange(5),
            )
            for days_ago in range(500)
        ]
    )


def build_notices(roster: Roster, meetings: list[Meeting]) -> None:
    """The convening notices the plenaries held sent, one per representative, all delivered."""
    group = roster.group
    Notification.objects.bulk_create(
        [
            Notification(
                working_group=group,
                recipient=user,
                email=user.email,
                kind="meeting.convened",
                key=f"scale:{group.pk}:convened:{meeting.pk}:{user.pk}",
                subject=f"{meeting.title}: you are invited",
                body=f"{meeting.title} on {meeting.start:%d %B %Y} at {meeting.venue}.",
                link=f"/{group.slug}/meetings/{meeting.pk}/",
                status=Notification.Status.SENT,
                attempts=1,
                sent_at=meeting.convened_at,
                read_at=meeting.convened_at,
            )
            for meeting in meetings
            if meeting.kind == Meeting.Kind.PLENARY and meeting.status == Meeting.Status.HELD
            for user in roster.users
        ],
        batch_size=2000,
    )
