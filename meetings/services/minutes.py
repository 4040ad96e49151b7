"""Minutes: the attributed record, its versions, and the approval workflow (seed step 5).

    draft ──submit──▶ submitted ──every seat's review──▶ approved ──(task)──▶ circulated ──▶ adopted
      ▲                   │ a seat returns it, with its comment
      └───────────────────┘
    Any edit after submission puts the minutes back in draft: the next submission is a new
    version, which needs approval again. An approved version is frozen with its content hash;
    adoption at a later plenary refers to that version.

Edits are optimistic: each text carries a revision number, and a save made from an older
revision is refused with the current text (``EditConflict``), so two Secretariat users editing
at once never overwrite each other silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.access import circulation_recipients
from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    Guest,
    LeakResolution,
    Meeting,
    Minutes,
    MinutesAccess,
    MinutesReview,
    MinutesSection,
    MinutesVersion,
)
from meetings.services import attribution, leaks, redaction
from meetings.services.attribution import AttributionUnavailable, SpeakerRef
from members.models import Institution, Representative
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.services import notifications
from vpswg.services.audit import record

Status = Minutes.Status
EDITABLE = {Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.CIRCULATED}


class MinutesError(ValidationError):
    """A step on the minutes that is not possible now; the message says why."""


class EditConflict(Exception):
    """Someone saved this text since it was loaded. Carries what is there now."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


class RevisionMissing(MinutesError):
    """An edit of an existing text that does not say which revision it was made on: it cannot
    be told apart from one made on a text someone has changed since, so it is refused."""

    def __init__(self):
        super().__init__(
            _(
                "This change does not say which version of the text it was made on, so it could "
                "overwrite someone else's: reload the page and make it again."
            )
        )


class LeaksRemain(MinutesError):
    def __init__(self, findings):
        super().__init__(
            _(
                "The minutes still name participants in %(count)s places: resolve each before submitting."
            )
            % {"count": len(findings)}
        )
        self.findings = findings


def minutes_path(minutes: Minutes) -> str:
    return reverse(
        "meetings:minutes", kwargs={"wg": minutes.working_group.slug, "pk": minutes.meeting_id}
    )


# --- The working record ---------------------------------------------------------------------------


@transaction.atomic
def start_minutes(*, meeting: Meeting, actor: User) -> Minutes:
    """The minutes of a meeting, created with one section per agenda item the first time."""
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if (
        meeting.status not in {Meeting.Status.CONVENED, Meeting.Status.HELD}
        or meeting.start > timezone.now()
    ):
        raise MinutesError(_("Minutes are written for a meeting that has taken place."))
    minutes = Minutes.objects.create(working_group=meeting.working_group, meeting=meeting)
    attribution.create_key(minutes)
    MinutesSection.objects.bulk_create(
        [
            MinutesSection(
                working_group=meeting.working_group,
                minutes=minutes,
                agenda_item=item,
                position=index,
                title=item.topic,
            )
            for index, item in enumerate(meeting.agenda_items.order_by("position", "id"), start=1)
        ]
    )
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="minutes.started",
        obj=minutes,
        to_state=Status.DRAFT,
    )
    return minutes


def _reopen(minutes: Minutes, actor: User) -> None:
    """An edit after submission: the version under review lapses, a new one will be needed."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status not in EDITABLE:
        raise MinutesError(_("Adopted minutes are the group's record: they cannot be changed."))
    if minutes.status == Status.DRAFT:
        return
    previous = minutes.status
    if minutes.status == Status.SUBMITTED and minutes.current_version_id:
        MinutesVersion.objects.filter(pk=minutes.current_version_id).update(
            status=MinutesVersion.Status.SUPERSEDED
        )
    minutes.status = Status.DRAFT
    minutes.save(update_fields=["status", "updated_at"])
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.reopened",
        obj=minutes,
        from_state=previous,
        to_state=Status.DRAFT,
    )


def _update(model, obj, revision: int | None, actor: User, **fields):
    """Save ``fields`` only if nobody saved since ``revision``; return the fresh row.

    Without a revision there is nothing to compare: taking the stored one would let a form
    (or a crafted request) that lost it overwrite whatever was saved meanwhile."""
    if revision is None:
        raise RevisionMissing
    extra = {"updated_by": actor} if hasattr(model, "updated_by") else {}
    changed = model.objects.filter(pk=obj.pk, revision=revision).update(
        revision=F("revision") + 1, **fields, **extra
    )
    fresh = model.objects.get(pk=obj.pk)
    if not changed:
        raise EditConflict(fresh)
    return fresh


@transaction.atomic
def save_summary(*, minutes: Minutes, actor: User, summary: str, revision: int | None) -> Minutes:
    _reopen(minutes, actor)
    return _update(Minutes, minutes, revision, actor, summary=summary.strip())


@transaction.atomic
def add_section(*, minutes: Minutes, actor: User, title: str) -> MinutesSection:
    _reopen(minutes, actor)
    last = minutes.sections.aggregate(m=Max("position"))["m"] or 0
    return MinutesSection.objects.create(
        working_group=minutes.working_group,
        minutes=minutes,
        position=last + 1,
        title=title.strip()[:300] or _("Other business"),
    )


@transaction.atomic
def save_section(
    *, section: MinutesSection, actor: User, title: str, main_points: str, revision: int | None
) -> MinutesSection:
    _reopen(section.minutes, actor)
    return _update(
        MinutesSection,
        section,
        revision,
        actor,
        title=title.strip()[:300],
        main_points=main_points.strip(),
    )


def parse_speaker(value: str) -> SpeakerRef:
    """``user:<id>`` (a representative: with the institution they represent), ``guest:<id>``,
    or empty (unattributed). Only this group's people are found (the scope)."""
    if value.startswith("user:"):
        rep = (
            Representative.objects.filter(user_id=value[5:] if _digits(value[5:]) else 0)
            .order_by("end_date")
            .values("user_id", "institution_id")
            .first()
        )
        if rep is None:
            raise MinutesError(_("Choose a speaker from the group's representatives."))
        return SpeakerRef(user_id=rep["user_id"], institution_id=rep["institution_id"])
    if value.startswith("guest:"):
        guest = Guest.objects.filter(pk=value[6:] if _digits(value[6:]) else 0).first()
        if guest is None:
            raise MinutesError(_("Choose a guest from the register."))
        return SpeakerRef(guest_id=guest.pk)
    if value == KEEP:
        return KEEP_SPEAKER
    if value:
        raise MinutesError(_("Choose a speaker from the group's representatives."))
    return attribution.NOBODY


def _digits(value: str) -> bool:
    """An id as typed: at most the 19 ASCII digits of a bigint (``"²".isdigit()`` is true,
    but "²" is no number to int() or the database)."""
    return value.isascii() and value.isdigit() and len(value) <= 19


#: The editor's value for "leave the stored speaker as it is" (one that cannot be read: an
#: edit of the text must not silently turn it into "unattributed").
KEEP = "keep"
KEEP_SPEAKER = SpeakerRef(user_id=-1)


def _writable_key(minutes: Minutes) -> bytes:
    try:
        return attribution.writable_key(minutes)
    except AttributionUnavailable as exc:
        raise MinutesError(str(exc)) from exc


@transaction.atomic
def save_contribution(
    *,
    section: MinutesSection,
    actor: User,
    text: str,
    speaker: str = "",
    contribution: Contribution | None = None,
    revision: int | None = None,
) -> Contribution:
    if not text.strip():
        raise MinutesError(_("Write what was said."))
    ref = parse_speaker(speaker)
    minutes = section.minutes
    key = _writable_key(minutes)
    _reopen(minutes, actor)
    if contribution is None:
        last = section.contributions.aggregate(m=Max("position"))["m"] or 0
        created = Contribution.objects.create(
            working_group=section.working_group,
            section=section,
            position=last + 1,
            updated_by=actor,
            text=text.strip(),
        )
        # Sealed once the row has its id, which the ciphertext is bound to.
        attribution.set_speaker(
            contribution=created,
            minutes=minutes,
            ref=attribution.NOBODY if ref is KEEP_SPEAKER else ref,
        )
        return created
    fields = {"text": text.strip()}
    if ref is not KEEP_SPEAKER:
        fields["speaker_sealed"] = attribution.seal_speaker(key, minutes.pk, contribution.pk, ref)
    return _update(Contribution, contribution, revision, actor, **fields)


@transaction.atomic
def save_decision(
    *,
    section: MinutesSection,
    actor: User,
    text: str,
    decision: Decision | None = None,
    revision: int | None = None,
) -> Decision:
    if not text.strip():
        raise MinutesError(_("Write the decision."))
    _reopen(section.minutes, actor)
    if decision is None:
        last = section.decisions.aggregate(m=Max("position"))["m"] or 0
        return Decision.objects.create(
            working_group=section.working_group,
            section=section,
            position=last + 1,
            text=text.strip(),
        )
    return _update(Decision, decision, revision, actor, text=text.strip())


@transaction.atomic
def save_action_item(
    *,
    section: MinutesSection,
    actor: User,
    what: str,
    institution: Institution | None = None,
    due_date=None,
    item: ActionItem | None = None,
    revision: int | None = None,
) -> ActionItem:
    if not what.strip():
        raise MinutesError(_("Say what is to be done."))
    _reopen(section.minutes, actor)
    fields = {"what": what.strip(), "institution": institution, "due_date": due_date}
    if item is None:
        last = section.action_items.aggregate(m=Max("position"))["m"] or 0
        return ActionItem.objects.create(
            working_group=section.working_group, section=section, position=last + 1, **fields
        )
    return _update(ActionItem, item, revision, actor, **fields)


@transaction.atomic
def delete_part(*, obj, actor: User) -> None:
    """Remove a contribution, decision or action item (or an empty section)."""
    minutes = obj.minutes if isinstance(obj, MinutesSection) else obj.section.minutes
    _reopen(minutes, actor)
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.part_removed",
        obj=minutes,
        data={"kind": obj._meta.model_name},
    )
    obj.delete()


# --- Leaks --------------------------------------------------------------------------------------

TARGETS = {
    "minutes": (Minutes, "summary"),
    "section": (MinutesSection, None),
    "contribution": (Contribution, "text"),
    "decision": (Decision, "text"),
    "action": (ActionItem, "what"),
}


def _target(minutes: Minutes, target: str):
    kind, pk, field = ([*target.split(":"), "", "", ""])[:3]
    model, _default = TARGETS.get(kind, (None, None))
    if model is None or not _digits(pk):
        raise MinutesError(_("Unknown text."))
    obj = model.objects.filter(pk=pk).first()
    if obj is None or _minutes_id(obj) != minutes.pk:
        raise MinutesError(_("Unknown text."))
    if field not in {"summary", "title", "main_points", "text", "what"}:
        raise MinutesError(_("Unknown text."))
    return model, obj, field


def _minutes_id(obj) -> int:
    if isinstance(obj, Minutes):
        return obj.pk
    if isinstance(obj, MinutesSection):
        return obj.minutes_id
    return obj.section.minutes_id


@transaction.atomic
def mark_subject(*, minutes: Minutes, actor: User, target: str, term: str) -> LeakResolution:
    """Record that the words refer to the subject under discussion, not to a participant."""
    _target(minutes, target)
    resolution, _created = LeakResolution.objects.get_or_create(
        working_group=minutes.working_group,
        minutes=minutes,
        target=target,
        term=leaks.fold(term)[:200],
        defaults={"decided_by": actor},
    )
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.leak_marked_subject",
        obj=minutes,
        data={"target": target},
    )
    return resolution


@transaction.atomic
def replace_words(
    *, minutes: Minutes, actor: User, target: str, term: str, replacement: str
) -> None:
    """Replace every occurrence of the words (any case, any accents) with a neutral term."""
    if not replacement.strip():
        raise MinutesError(_("Give the neutral words to use instead, e.g. “a participant”."))
    if not term.strip():
        # Empty words are found everywhere: the loop below would never end.
        raise MinutesError(_("Choose the words to replace."))
    model, obj, field = _target(minutes, target)
    # Read under lock: an autosave of the same text landing between this read and the write
    # would otherwise make the replacement fail as an edit conflict (the autosave then
    # waits, and meets the conflict itself, which its page knows how to show).
    obj = model.objects.select_for_update().get(pk=obj.pk)
    text = getattr(obj, field)
    folded, needle = leaks.fold(text), leaks.fold(term)
    pieces, index = [], 0
    while (found := folded.find(needle, index)) >= 0:
        pieces.append(text[index:found])
        pieces.append(replacement.strip())
        index = found + len(needle)
    pieces.append(text[index:])
    _reopen(minutes, actor)
    _update(model, obj, obj.revision, actor, **{field: "".join(pieces)})
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.leak_replaced",
        obj=minutes,
        data={"target": target},
    )


# --- Workflow -----------------------------------------------------------------------------------


def seats() -> list[RoleAssignment]:
    return list(RoleAssignment.objects.filter(role=Role.COORDINATION).select_related("user"))


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
        took_part=attribution.took_part(content),
        content_hash=redaction.content_hash(stored),
        created_by=actor,
    )
    minutes.status = Status.SUBMITTED
    minutes.current_version = version
    minutes.returned_comment = ""
    minutes.save(update_fields=["status", "current_version", "returned_comment", "updated_at"])
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.submitted",
        obj=minutes,
        from_state=Status.DRAFT,
        to_state=Status.SUBMITTED,
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
def review(*, minutes: Minutes, actor: User, decision: str, comment: str = "") -> ReviewOutcome:
    """A seat approves or returns the version under review. Serialised on the minutes row, so
    two seats approving at the same moment record two reviews and circulate once."""
    minutes = (
        Minutes.objects.select_for_update()
        .select_related("working_group", "meeting")
        .get(pk=minutes.pk)
    )
    if minutes.status != Status.SUBMITTED or minutes.current_version_id is None:
        raise MinutesError(_("There is no version under review."))
    seat = RoleAssignment.objects.filter(user=actor, role=Role.COORDINATION).first()
    if seat is None:
        raise MinutesError(_("Only a Coordination Group seat reviews minutes."))
    if decision not in MinutesReview.Decision.values:
        raise MinutesError(_("Approve or return."))
    if decision == MinutesReview.Decision.RETURN and not comment.strip():
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
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb=f"minutes.review_{decision}",
        obj=minutes,
        data={"version": version.number, "seat": seat.pillar},
    )
    group = minutes.working_group
    secretariat = [
        r.user for r in RoleAssignment.objects.filter(role=Role.SECRETARIAT).select_related("user")
    ]
    if decision == MinutesReview.Decision.RETURN:
        version.status = MinutesVersion.Status.RETURNED
        version.save(update_fields=["status"])
        minutes.status = Status.DRAFT
        minutes.returned_comment = comment.strip()
        minutes.save(update_fields=["status", "returned_comment", "updated_at"])
        record(
            working_group=group,
            actor=actor,
            verb="minutes.returned",
            obj=minutes,
            from_state=Status.SUBMITTED,
            to_state=Status.DRAFT,
            data={"version": version.number},
        )
        notifications.notify(
            working_group=group,
            recipients=secretariat,
            kind="minutes_returned",
            key=f"{minutes.pk}:v{version.number}:{actor.pk}",
            context={
                "meeting": minutes.meeting,
                "version": version.number,
                "seat": seat.get_pillar_display(),
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
    minutes.status = Status.APPROVED
    minutes.save(update_fields=["status", "updated_at"])
    record(
        working_group=group,
        actor=actor,
        verb="minutes.approved",
        obj=minutes,
        from_state=Status.SUBMITTED,
        to_state=Status.APPROVED,
        data={"version": version.number, "hash": version.content_hash},
    )
    from meetings.tasks import circulate_minutes

    minutes_id, group_id = minutes.pk, group.pk
    transaction.on_commit(lambda: circulate_minutes.delay(group_id, minutes_id))
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
    minutes.status = Status.CIRCULATED
    minutes.circulated_version = minutes.current_version
    minutes.save(update_fields=["status", "circulated_version", "updated_at"])
    group = minutes.working_group
    record(
        working_group=group,
        actor=None,
        verb="minutes.circulated",
        obj=minutes,
        from_state=Status.APPROVED,
        to_state=Status.CIRCULATED,
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


@transaction.atomic
def adopt(*, minutes: Minutes, actor: User, meeting: Meeting) -> Minutes:
    """Record that a later plenary adopted the circulated version."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status != Status.CIRCULATED:
        raise MinutesError(_("Only circulated minutes can be adopted."))
    if (
        meeting.kind != Meeting.Kind.PLENARY
        or meeting.start <= minutes.meeting.start
        or meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.PLANNED}
    ):
        raise MinutesError(
            _("Minutes are adopted at a later plenary that has been convened or held.")
        )
    minutes.status = Status.ADOPTED
    minutes.adopted_at_meeting = meeting
    minutes.adopted_at = timezone.now()
    minutes.save(update_fields=["status", "adopted_at_meeting", "adopted_at", "updated_at"])
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.adopted",
        obj=minutes,
        from_state=Status.CIRCULATED,
        to_state=Status.ADOPTED,
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
            secretariat = [
                r.user
                for r in RoleAssignment.objects.filter(role=Role.SECRETARIAT).select_related("user")
            ]
            sent += len(
                notifications.notify(
                    working_group=group,
                    recipients=secretariat,
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
    MinutesAccess.objects.create(
        working_group_id=minutes.working_group_id,  # the id: no query for the group itself
        minutes=minutes,
        user=user,
        kind=kind,
        version_number=version_number,
    )
