"""The working record the Secretariat writes: sections, contributions (their speakers sealed:
``meetings.services.attribution``), decisions and action items. Edits are optimistic: each
text carries a revision, and a save from an older one is refused with the current text
(``EditConflict``); an edit after submission makes the minutes a draft again."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    Guest,
    Meeting,
    Minutes,
    MinutesSection,
    MinutesVersion,
)
from meetings.services import attribution
from meetings.services.attribution import AttributionUnavailable, SpeakerRef
from meetings.services.minutes.common import (
    EDITABLE,
    EditConflict,
    MinutesError,
    RevisionMissing,
    Status,
)
from members.models import Institution, Representative
from vpswg import search
from vpswg.forms import posted_id
from vpswg.models import User
from vpswg.services.audit import record
from vpswg.services.transitions import transition


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
    search.refresh("minutes", minutes.pk)  # its sections, made in bulk (no signal)
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
    if minutes.status in {Status.SUBMITTED, Status.APPROVED} and minutes.current_version_id:
        # Approved but not yet circulated (the circulation task still to run) is withdrawn
        # as well: members never received it, and must not open it as a version later.
        MinutesVersion.objects.filter(pk=minutes.current_version_id).update(
            status=MinutesVersion.Status.SUPERSEDED
        )
    transition(minutes, to=Status.DRAFT, verb="minutes.reopened", actor=actor)


def _as_stored(model, obj, same=None, **fields):
    """The row as stored when it already holds these values, else None. A save that changes
    nothing must not reopen submitted minutes: the editor's autosave on leaving a field (after
    a click on "Submit", say) sends the text once more, and reopening would withdraw the
    version just submitted."""
    fresh = model.objects.get(pk=obj.pk)
    check = same or (lambda row: all(getattr(row, k) == v for k, v in fields.items()))
    return fresh if check(fresh) else None


def _update(model, obj, revision: int | None, actor: User, *, unchanged=None, **fields):
    """Save ``fields`` only if nobody saved since ``revision``; return the fresh row.

    Without a revision there is nothing to compare: taking the stored one would let a form
    (or a crafted request) that lost it overwrite whatever was saved meanwhile. A save from
    an older revision that stores what is there already is no conflict (the same text sent
    twice: an autosave and a click on Save); ``unchanged(fresh)`` says so where the stored
    form is not the posted one (a sealed speaker)."""
    if revision is None:
        raise RevisionMissing
    extra = {"updated_by": actor} if hasattr(model, "updated_by") else {}
    changed = model.objects.filter(pk=obj.pk, revision=revision).update(
        revision=F("revision") + 1, **fields, **extra
    )
    fresh = model.objects.get(pk=obj.pk)
    if changed:
        _reindex(fresh)
    if not changed:
        same = unchanged or (lambda row: all(getattr(row, k) == v for k, v in fields.items()))
        if same(fresh):
            return fresh
        raise EditConflict(fresh, by=getattr(fresh, "updated_by", None), actor=actor)
    return fresh


def _reindex(row) -> None:
    """The search index of the working record, after a save by ``update`` (which sends no
    signal: ``meetings.search``)."""
    if isinstance(row, Minutes):
        search.refresh("minutes", row.pk)
    elif isinstance(row, MinutesSection):
        search.refresh("minutes", row.minutes_id)
    elif hasattr(row, "section_id"):
        search.refresh(
            "minutes",
            MinutesSection.objects.filter(pk=row.section_id)
            .values_list("minutes_id", flat=True)
            .first(),
        )


@transaction.atomic
def save_summary(*, minutes: Minutes, actor: User, summary: str, revision: int | None) -> Minutes:
    if revision is not None and (same := _as_stored(Minutes, minutes, summary=summary.strip())):
        return same
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
    fields = {"title": title.strip()[:300], "main_points": main_points.strip()}
    if revision is not None and (same := _as_stored(MinutesSection, section, **fields)):
        return same
    _reopen(section.minutes, actor)
    return _update(MinutesSection, section, revision, actor, **fields)


def parse_speaker(value: str) -> SpeakerRef:
    """``user:<id>`` (a representative: with the institution they represent), ``guest:<id>``,
    or empty (unattributed). Only this group's people are found (the scope)."""
    if value.startswith("user:"):
        rep = (
            Representative.objects.filter(user_id=posted_id(value[5:]) or 0)
            .order_by("end_date")
            .values("user_id", "institution_id")
            .first()
        )
        if rep is None:
            raise MinutesError(_("Choose a speaker from the group's representatives."))
        return SpeakerRef(user_id=rep["user_id"], institution_id=rep["institution_id"])
    if value.startswith("guest:"):
        guest = Guest.objects.filter(pk=posted_id(value[6:]) or 0).first()
        if guest is None:
            raise MinutesError(_("Choose a guest from the register."))
        return SpeakerRef(guest_id=guest.pk)
    if value == KEEP:
        return KEEP_SPEAKER
    if value:
        raise MinutesError(_("Choose a speaker from the group's representatives."))
    return attribution.NOBODY


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
    speaker: str | SpeakerRef = "",
    contribution: Contribution | None = None,
    revision: int | None = None,
) -> Contribution:
    """``speaker`` as the editor posts it (see ``parse_speaker``), or already parsed by the
    editor's form."""
    if not text.strip():
        raise MinutesError(_("Write what was said."))
    ref = speaker if isinstance(speaker, SpeakerRef) else parse_speaker(speaker)
    minutes = section.minutes
    key = _writable_key(minutes)
    if contribution is not None and revision is not None:
        same = _as_stored(
            Contribution,
            contribution,
            lambda row: (
                row.text == text.strip()
                and (
                    ref is KEEP_SPEAKER
                    or attribution.open_speaker(
                        attribution.data_key(minutes), row.pk, row.speaker_sealed
                    )
                    == ref
                )
            ),
        )
        if same is not None:
            return same
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

    def unchanged(fresh: Contribution) -> bool:
        # Sealed afresh, the same speaker never reads the same: compare who it opens to.
        if fresh.text != fields["text"]:
            return False
        if ref is KEEP_SPEAKER:
            return True
        opened = attribution.data_key(minutes)
        return attribution.open_speaker(opened, fresh.pk, fresh.speaker_sealed) == ref

    return _update(Contribution, contribution, revision, actor, unchanged=unchanged, **fields)


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
    if (
        decision is not None
        and revision is not None
        and (same := _as_stored(Decision, decision, text=text.strip()))
    ):
        return same
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
    fields = {"what": what.strip(), "institution": institution, "due_date": due_date}
    if (
        item is not None
        and revision is not None
        and (same := _as_stored(ActionItem, item, **fields))
    ):
        return same
    _reopen(section.minutes, actor)
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
