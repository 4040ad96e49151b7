"""The activity register and the outreach log: state changes, audit-logged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Evidence, OutreachEntry, ParticipantCount, Sector
from members.models import Institution
from vpswg.models import User, WorkingGroup
from vpswg.services.audit import record
from vpswg.services.transitions import transition
from vpswg.uploads import display_name, random_name

Status = Activity.Status


@dataclass(frozen=True)
class Count:
    sector: str
    total: int
    women: int | None = None
    men: int | None = None


ACTIVITY_FIELDS = (
    "title",
    "kind",
    "start_date",
    "end_date",
    "place",
    "region",
    "description",
    "partners",
    "funders",
    "planned_activity",
    "interviews_companies",
    "interviews_government",
    "interviews_civil_society",
    "findings",
    "publication_date",
)


@transaction.atomic
def save_activity(
    *,
    working_group: WorkingGroup,
    actor: User,
    data: dict,
    counts: Iterable[Count] = (),
    organisers: Iterable[Institution] = (),
    partner_institutions: Iterable[Institution] = (),
    funder_institutions: Iterable[Institution] = (),
    activity: Activity | None = None,
    confirmed: bool,
) -> Activity:
    """Record an activity. ``confirmed`` when the Secretariat enters it; a member's entry waits
    for the Secretariat's confirmation."""
    created = activity is None
    activity = activity or Activity(working_group=working_group, proposed_by=actor)
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    if activity.kind != Activity.Kind.STUDY:
        activity.interviews_companies = activity.interviews_government = (
            activity.interviews_civil_society
        ) = None
        activity.findings, activity.publication_date = "", None
    if created:
        activity.status = Status.CONFIRMED if confirmed else Status.PROPOSED
        if confirmed:
            activity.confirmed_by, activity.confirmed_at = actor, timezone.now()
    activity.full_clean()
    activity.save()
    activity.organisers.set(list(organisers))
    activity.partner_institutions.set(list(partner_institutions))
    activity.funder_institutions.set(list(funder_institutions))
    set_counts(activity, counts)
    record(
        working_group=working_group,
        actor=actor,
        verb="activity.saved" if not created else "activity.recorded",
        obj=activity,
        to_state=activity.status,
    )
    return activity


def set_counts(activity: Activity, counts: Iterable[Count]) -> None:
    counts = [c for c in counts if c.total]
    sectors = [c.sector for c in counts]
    if len(set(sectors)) != len(sectors) or any(s not in Sector.values for s in sectors):
        raise ValidationError(_("Give each sector once."))
    for c in counts:
        if c.women is not None and c.men is not None and c.women + c.men > c.total:
            raise ValidationError(
                _("%(sector)s: women and men add up to more than the participants.")
                % {"sector": Sector(c.sector).label}
            )
    ParticipantCount.objects.filter(activity=activity).delete()
    ParticipantCount.objects.bulk_create(
        [
            ParticipantCount(
                working_group=activity.working_group,
                activity=activity,
                sector=c.sector,
                total=c.total,
                women=c.women,
                men=c.men,
            )
            for c in counts
        ]
    )


@transaction.atomic
def confirm(*, activity: Activity, actor: User, confirmed: bool = True) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    transition(
        activity,
        to=Status.CONFIRMED if confirmed else Status.DECLINED,
        verb="activity.confirmed" if confirmed else "activity.declined",
        actor=actor,
        allowed_from={Status.PROPOSED},
        refusal=ValidationError(_("Only a proposed activity is confirmed or not.")),
        also={"confirmed_by": actor, "confirmed_at": timezone.now()},
    )
    return activity


@transaction.atomic
def add_evidence(*, activity: Activity, actor: User, upload) -> Evidence:
    evidence = Evidence(
        working_group=activity.working_group,
        activity=activity,
        uploaded_by=actor,
        file_name=display_name(upload.name),
        file_type=upload.document_type.content_type,
    )
    evidence.file.save(
        random_name(f"evidence/{activity.working_group_id}", upload.document_type),
        upload,
        save=False,
    )
    evidence.save()
    record(
        working_group=activity.working_group,
        actor=actor,
        verb="activity.evidence_added",
        obj=activity,
    )
    return evidence


@transaction.atomic
def log_outreach(*, working_group: WorkingGroup, actor: User, **fields) -> OutreachEntry:
    entry = OutreachEntry(working_group=working_group, created_by=actor, **fields)
    entry.full_clean()
    entry.save()
    record(working_group=working_group, actor=actor, verb="outreach.logged", obj=entry)
    return entry
