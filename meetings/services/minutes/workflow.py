"""Submission, review by the Coordination Group's seats, circulation and adoption; the review
reminders; the access log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.access import circulation_recipients
from meetings.models import (
    Meeting,
    Minutes,
    MinutesAccess,
    MinutesReview,
    MinutesVersion,
)
from meetings.services import attribution, leaks, redaction
from meetings.services.minutes.common import LeaksRemain, MinutesError, Status, minutes_path
from meetings.services.minutes.drafting import _writable_key
from meetings.services.minutes.versions import save_comments
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Pillar
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.roles import seat_of, seats, secretariat_users
from vpswg.services.transitions import transition


@transaction.atomic
def submit(*, minutes: Minutes, actor: User) -> MinutesVersion:
    """Freeze the record as a new version and send it to the Coordination Group."""
    minutes = (
        Minutes.objects.select_for_update()
        .select_related("meeting", "working_group")
        .get(pk=minutes.pk)
    )
    if minutes.status != Status.DRAFT:
        raise MinutesError(_("Only draft minutes can be submitted."))
    if not minutes.sections.exists():
        raise MinutesError(_("The minutes are empty."))
    findings = leaks.scan(minutes)
    if findings:
        raise LeaksRemain(findings)
    if not seats():
        raise MinutesError(_("The group has no Coordination Group seat to review the minutes."))
    key = _writable_key(minutes)
    content = redaction.attributed(minutes)
    if any(
        c["speaker"] in (attribution.UNREADABLE, attribution.DESTROYED)
        for section in content["sections"]
        for c in section["contributions"]
    ):
        raise MinutesError(
            _(
                "Some speakers cannot be read (“attribution unreadable”): choose them again "
                "before submitting."
            )
        )
    number = (minutes.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    stored = attribution.seal_version(content, key=key, minutes_id=minutes.pk, number=number)
    version = MinutesVersion.objects.create(
        working_group=minutes.working_group,
        minutes=minutes,
        number=number,
        attributed=stored,
        members=redaction.members(minutes),
        dissemination=redaction.dissemination(minutes),
        took_part=attribution.took_part(
            content, attribution.speaker_constituencies(minutes.working_group, content)
        ),
        content_hash=redaction.content_hash(stored),
        created_by=actor,
    )
    transition(
        minutes,
        to=Status.SUBMITTED,
        verb="minutes.submitted",
        actor=actor,
        also={"current_version": version, "returned_comment": ""},
        data={"version": number, "hash": version.content_hash},
    )
    notifications.notify(
        working_group=minutes.working_group,
        recipients=[s.user for s in seats()],
        kind="minutes_submitted",
        key=f"{minutes.pk}:v{number}",
        context={
            "meeting": minutes.meeting,
            "version": number,
            "days": minutes.working_group.minutes_review_days,
        },
        link=minutes_path(minutes),
    )
    return version


def quorum_met(
    group: WorkingGroup, approvals: list[MinutesReview], seat_list: list[RoleAssignment]
) -> bool:
    approved_by = {r.reviewer_id for r in approvals}
    rule = group.minutes_quorum
    if rule == WorkingGroup.MinutesQuorum.ALL_SEATS:
        return bool(seat_list) and all(s.user_id in approved_by for s in seat_list)
    if rule == WorkingGroup.MinutesQuorum.MAJORITY:
        return len({s.user_id for s in seat_list} & approved_by) * 2 > len(
            {s.user_id for s in seat_list}
        )
    # Default: one approval from a seat of each pillar that has seats.
    pillars = {s.pillar for s in seat_list}
    return bool(pillars) and pillars <= {r.pillar for r in approvals}


@dataclass
class ReviewOutcome:
    review: MinutesReview
    approved: bool
    returned: bool


@transaction.atomic
def review(
    *,
    minutes: Minutes,
    actor: User,
    decision: str,
    comment: str = "",
    comments: Mapping[str, str] | None = None,
) -> ReviewOutcome:
    """A seat approves or returns the version under review, with a general comment and
    comments on its sections and statements (``{anchor key: text}``). Serialised on the
    minutes row, so two seats approving at the same moment record two reviews and circulate
    once."""
    minutes = (
        Minutes.objects.select_for_update()
        .select_related("working_group", "meeting")
        .get(pk=minutes.pk)
    )
    if minutes.status != Status.SUBMITTED or minutes.current_version_id is None:
        raise MinutesError(_("There is no version under review."))
    seat = seat_of(actor)
    if seat is None:
        raise MinutesError(_("Only a Coordination Group seat reviews minutes."))
    if decision not in MinutesReview.Decision.values:
        raise MinutesError(_("Approve or return."))
    anchored = {key: text for key, text in (comments or {}).items() if text and text.strip()}
    if decision == MinutesReview.Decision.RETURN and not comment.strip() and not anchored:
        raise MinutesError(_("Say what should change: the Secretariat receives your comment."))
    version = minutes.current_version
    try:
        with transaction.atomic():
            entry = MinutesReview.objects.create(
                working_group=minutes.working_group,
                version=version,
                reviewer=actor,
                pillar=seat.pillar,
                decision=decision,
                comment=comment.strip(),
            )
    except IntegrityError as exc:
        raise MinutesError(_("Your seat has already reviewed this version.")) from exc
    save_comments(minutes=minutes, review=entry, comments=anchored)
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb=f"minutes.review_{decision}",
        obj=minutes,
        data={"version": version.number, "seat": seat.pillar, "comments": len(anchored)},
    )
    group = minutes.working_group
    if decision == MinutesReview.Decision.RETURN:
        version.status = MinutesVersion.Status.RETURNED
        version.save(update_fields=["status"])
        transition(
            minutes,
            to=Status.DRAFT,
            verb="minutes.returned",
            actor=actor,
            also={"returned_comment": comment.strip()},
            data={"version": version.number},
        )
        notifications.notify(
            working_group=group,
            recipients=secretariat_users(),
            kind="minutes_returned",
            key=f"{minutes.pk}:v{version.number}:{actor.pk}",
            context={
                "meeting": minutes.meeting,
                "version": version.number,
                # The label itself, not get_pillar_display(): that is a string in the
                # language of the seat's request; each notice is in its reader's.
                "seat": Pillar(seat.pillar).label,
            },
            link=minutes_path(minutes),
        )
        return ReviewOutcome(entry, approved=False, returned=True)
    approvals = list(version.reviews.filter(decision=MinutesReview.Decision.APPROVE))
    if not quorum_met(group, approvals, seats()):
        return ReviewOutcome(entry, approved=False, returned=False)
    version.status = MinutesVersion.Status.APPROVED
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_at"])
    transition(
        minutes,
        to=Status.APPROVED,
        verb="minutes.approved",
        actor=actor,
        data={"version": version.number, "hash": version.content_hash},
    )
    from meetings.tasks import circulate_minutes
    from vpswg.celery import enqueue

    minutes_id, group_id = minutes.pk, group.pk
    # Circulating is a few outbox rows: with the broker down it is done in this process (the
    # rows then wait for the sweep), never left undone behind an approval that was saved.
    transaction.on_commit(
        lambda: enqueue(
            circulate_minutes,
            group_id,
            minutes_id,
            on_unreachable=lambda: circulate_minutes.apply((group_id, minutes_id)),
        )
    )
    return ReviewOutcome(entry, approved=True, returned=False)


@transaction.atomic
def circulate(*, minutes: Minutes) -> bool:
    """Send the approved version to the members and observers: a link, never the text."""
    minutes = (
        Minutes.objects.select_for_update()
        .select_related("meeting", "working_group")
        .get(pk=minutes.pk)
    )
    if minutes.status != Status.APPROVED:
        return False
    group = minutes.working_group
    transition(
        minutes,
        to=Status.CIRCULATED,
        verb="minutes.circulated",
        actor=None,
        also={"circulated_version": minutes.current_version},
        data={"version": minutes.current_version.number},
    )
    notifications.notify(
        working_group=group,
        # Members and observers; a Coordination Group meeting's minutes, the seats only.
        recipients=circulation_recipients(minutes),
        kind="minutes_circulated",
        key=f"{minutes.pk}:v{minutes.current_version.number}",
        context={"meeting": minutes.meeting},
        link=minutes_path(minutes),
    )
    return True


def may_adopt(minutes: Minutes, meeting: Meeting, now: datetime | None = None) -> bool:
    """Whether ``meeting`` can be the one that adopted these minutes: a later plenary of the
    group (the scope) that has begun, not one that is only planned, cancelled or to come."""
    now = now or timezone.now()
    return (
        meeting.kind == Meeting.Kind.PLENARY
        and minutes.meeting.start < meeting.start <= now
        and meeting.status in {Meeting.Status.CONVENED, Meeting.Status.HELD}
    )


def adopting_candidates(minutes: Minutes):
    """The later plenaries that are or will be able to adopt these minutes, soonest first (the
    ones that have not begun are filtered out by ``may_adopt`` when shown, so a list kept in
    the process stays right as time passes)."""
    return (
        Meeting.objects.filter(
            kind=Meeting.Kind.PLENARY,
            start__gt=minutes.meeting.start,
            status__in=[Meeting.Status.CONVENED, Meeting.Status.HELD],
        )
        .only("pk", "title", "start", "kind", "status")
        .order_by("start")
    )


@transaction.atomic
def adopt(*, minutes: Minutes, actor: User, meeting: Meeting) -> Minutes:
    """Record that a later plenary, which has taken place, adopted the circulated version."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status != Status.CIRCULATED:
        raise MinutesError(_("Only circulated minutes can be adopted."))
    if not may_adopt(minutes, meeting):
        raise MinutesError(
            _(
                "Minutes are adopted at a later plenary of the group, once it has begun: "
                "this one has not taken place."
            )
        )
    transition(
        minutes,
        to=Status.ADOPTED,
        verb="minutes.adopted",
        actor=actor,
        also={"adopted_at_meeting": meeting, "adopted_at": timezone.now()},
        data={
            "version": minutes.circulated_version.number,
            "hash": minutes.circulated_version.content_hash,
            "meeting": meeting.pk,
        },
    )
    if minutes.working_group.attribution_retention_days == 0:
        # The group keeps the attributed record until adoption only.
        attribution.destroy(minutes=minutes, actor=actor, reason="adoption")
    return minutes


def review_reminders(group: WorkingGroup, now: datetime | None = None) -> int:
    """Remind seats that have not reviewed after the group's review days; tell the Secretariat
    when twice that time has passed (the minutes are overdue)."""
    now = now or timezone.now()
    days = timedelta(days=group.minutes_review_days)
    sent = 0
    for minutes in Minutes.objects.filter(status=Status.SUBMITTED).select_related(
        "current_version", "meeting"
    ):
        version = minutes.current_version
        age = now - version.created_at
        if age < days:
            continue
        reviewed = set(version.reviews.values_list("reviewer_id", flat=True))
        waiting = [s.user for s in seats() if s.user_id not in reviewed]
        sent += len(
            notifications.notify(
                working_group=group,
                recipients=waiting,
                kind="minutes_review_reminder",
                key=f"{minutes.pk}:v{version.number}",
                context={"meeting": minutes.meeting, "version": version.number},
                link=minutes_path(minutes),
            )
        )
        if age >= 2 * days and waiting:
            sent += len(
                notifications.notify(
                    working_group=group,
                    recipients=secretariat_users(),
                    kind="minutes_overdue",
                    key=f"{minutes.pk}:v{version.number}",
                    context={
                        "meeting": minutes.meeting,
                        "version": version.number,
                        "waiting": [s.get_full_name() for s in waiting],
                    },
                    link=minutes_path(minutes),
                )
            )
    return sent


def log_access(
    *, minutes: Minutes, user: User, kind: str, version_number: int | None = None
) -> None:
    """Count one reading in the day's row for this reader, rendering and version: one
    statement whether the row exists or not (an upsert on ``access_one_row_a_day``), so a
    page costs the same on its first reading of the day as on its fortieth."""
    now = timezone.now()
    table = connection.ops.quote_name(MinutesAccess._meta.db_table)
    with connections[router.db_for_write(MinutesAccess)].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (working_group_id, minutes_id, user_id, kind,"
            ' version_number, "day", "at", last_at, "count")'
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 1)"
            ' ON CONFLICT (minutes_id, user_id, kind, COALESCE(version_number, 0), "day")'
            f' DO UPDATE SET "count" = {table}."count" + 1, last_at = excluded.last_at',
            [
                minutes.working_group_id,
                minutes.pk,
                user.pk,
                kind,
                version_number,
                timezone.localdate(now),  # the group's time zone (the request's)
                now,
                now,
            ],
        )


def readers(minutes: Minutes) -> int:
    """How many people have read these minutes, in any rendering (the editing not counted)."""
    return (
        MinutesAccess.objects.filter(minutes=minutes, kind__in=MinutesAccess.READING)
        .values("user")
        .distinct()
        .count()
    )
