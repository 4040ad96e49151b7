"""Rows fixed or skipped in the preview, and the import itself: the good rows, in one
transaction, in bulk, audit-logged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.importing.checking import check
from activities.importing.columns import KEYS, MAX_CELL
from activities.models import Activity, ActivityImport, ParticipantCount
from vpswg import search
from vpswg.models import User
from vpswg.services.audit import record

# --- Fixing and skipping -----------------------------------------------------------------------


def _open(imported: ActivityImport) -> ActivityImport:
    imported = ActivityImport.objects.select_for_update().get(pk=imported.pk)
    if imported.status != ActivityImport.Status.PREVIEW:
        raise ValidationError(_("This spreadsheet has already been imported."))
    return imported


@transaction.atomic
def fix_row(*, imported: ActivityImport, index: int, cells: dict[str, str]) -> ActivityImport:
    """Replace a row's cells with what the Secretariat typed (kept even if still wrong)."""
    imported = _open(imported)
    row = imported.rows[index]
    row["cells"] = {key: str(cells.get(key, "") or "").strip()[:MAX_CELL] for key in KEYS}
    row["skip"] = False
    imported.save(update_fields=["rows"])
    return imported


@transaction.atomic
def skip_row(*, imported: ActivityImport, index: int, skip: bool = True) -> ActivityImport:
    imported = _open(imported)
    imported.rows[index]["skip"] = skip
    imported.save(update_fields=["rows"])
    return imported


# --- The import --------------------------------------------------------------------------------


@transaction.atomic
def commit(*, imported: ActivityImport, actor: User) -> int:
    """Import the good rows (checked again now), all or none; rows with errors and skipped
    rows are left out. Returns how many activities were registered."""
    imported = _open(imported)
    preview = check(imported)
    good = preview.good
    if not good:
        raise ValidationError(_("No row can be imported: fix or skip the rows with errors."))
    group = imported.working_group
    now = timezone.now()
    activities = []
    for row in good:
        activity = Activity(
            working_group=group,
            status=Activity.Status.CONFIRMED,
            proposed_by=actor,
            confirmed_by=actor,
            confirmed_at=now,
            **row.activity,
        )
        # Checked already (``check``: lengths, kind, dates); ``clean_fields()`` would also look
        # up each row's three foreign keys, three queries a row for what is known.
        activities.append(activity)
    Activity.objects.bulk_create(activities)
    through = Activity.organisers.through
    through.objects.bulk_create(
        [
            through(activity_id=activity.pk, institution_id=institution.pk)
            for activity, row in zip(activities, good, strict=True)
            for institution in row.organisers
        ]
    )
    # Made in bulk, so no signal: the search index is told here (``activities.search``).
    search.refresh_many("activity", [activity.pk for activity in activities])
    ParticipantCount.objects.bulk_create(
        [
            ParticipantCount(
                working_group=group,
                activity=activity,
                sector=sector,
                total=total,
                women=women,
                men=men,
            )
            for activity, row in zip(activities, good, strict=True)
            for sector, total, women, men in row.counts
        ]
    )
    imported.status = ActivityImport.Status.IMPORTED
    imported.imported = len(activities)
    imported.imported_at = now
    imported.save(update_fields=["status", "imported", "imported_at"])
    record(
        working_group=group,
        actor=actor,
        verb="activity.imported",
        obj=imported,
        to_state=ActivityImport.Status.IMPORTED,
        data={
            "file": imported.file_name,
            "imported": len(activities),
            "left_out": len(preview.rows) - len(activities),
        },
    )
    return len(activities)
