"""Past activities entered from a spreadsheet: upload, preview with each row's errors, fix or
skip rows, then import the good rows in one transaction.

The Secretariats keep two or three years of activities in spreadsheets; entering them one form
at a time is what they will not do. So the file is read once (``vpswg.uploads``: the type by
content, zip and macro defences, at most ``MAX_ROWS`` rows), its cells kept as text in an
``ActivityImport`` row (not the file, not the session: see the model), and every check is run
again on each view of the preview and at the import, from the same function (``check``), so
what the preview shows is what the import does.

A row is imported as a confirmed activity of the Secretariat (past activities need no
confirmation). Organisers are named by name, short name or another known name, several in a
cell; an unknown one is named in the error with the closest institution of the group. An
activity already in the register (same title and date) or twice in the file is refused, so an
upload repeated by mistake does not double the figures. The import writes in bulk (through
``TenantQuerySet``, which retires the register's and the reports' kept renderings) and records
one audit entry.
"""

from activities.importing.checking import Checked, Preview, check, parse_date
from activities.importing.columns import (
    COLUMNS,
    KEEP_PREVIEW,
    KEYS,
    MAX_CELL,
    MAX_ROWS,
    fold,
    template_csv,
    template_rows,
    template_xlsx,
)
from activities.importing.reading import upload
from activities.importing.writing import commit, fix_row, skip_row

__all__ = [
    "COLUMNS",
    "KEEP_PREVIEW",
    "KEYS",
    "MAX_CELL",
    "MAX_ROWS",
    "Checked",
    "Preview",
    "check",
    "commit",
    "fix_row",
    "fold",
    "parse_date",
    "skip_row",
    "template_csv",
    "template_rows",
    "template_xlsx",
    "upload",
]
