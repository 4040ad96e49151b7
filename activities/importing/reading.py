"""A spreadsheet read into a preview: the file judged and read by ``vpswg.uploads``, the
header row matched to the template's columns, the cells kept as text."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.importing.columns import (
    COLUMNS,
    KEEP_PREVIEW,
    MAX_CELL,
    MAX_ROWS,
    accepted_headers,
    fold,
)
from activities.models import ActivityImport
from vpswg.models import User, WorkingGroup
from vpswg.uploads import read_table, validate_spreadsheet

# --- Upload ------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:MAX_CELL]


@transaction.atomic
def upload(*, working_group: WorkingGroup, actor: User, file) -> ActivityImport:
    """Read an uploaded spreadsheet into a preview, or raise ValidationError (the file's
    problem, said so that a person can act on it)."""
    document_type, data = validate_spreadsheet(file)
    table = read_table(data, document_type, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 20)
    if not table:
        raise ValidationError(_("The file has no rows."), code="empty_table")
    accepted = accepted_headers()
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(table[0]):
        key = accepted.get(fold(_text(cell)))
        if key and key not in positions:
            positions[key] = index
        elif _text(cell):
            ignored.append(_text(cell)[:100])
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise ValidationError(
            _(
                "The first row must hold the column headers of the template; these are missing: %(missing)s."
            ),
            code="missing_columns",
            params={"missing": ", ".join(missing)},
        )
    if len(table) == 1:
        raise ValidationError(_("The file has headers but no activities."), code="empty_table")
    rows = []
    for line, row in enumerate(table[1:], start=2):
        cells = {
            key: _text(row[index]) if index < len(row) else "" for key, index in positions.items()
        }
        rows.append({"line": line, "cells": cells, "skip": False})
    ActivityImport.objects.filter(
        status=ActivityImport.Status.PREVIEW, created_at__lt=timezone.now() - KEEP_PREVIEW
    ).delete()
    return ActivityImport.objects.create(
        working_group=working_group,
        created_by=actor,
        file_name=unicodedata.normalize("NFC", file.name or "")[:200],
        rows=rows,
        ignored_columns=ignored[:20],
    )
