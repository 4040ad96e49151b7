"""The template's columns: their keys, their headers in each language, and the template
files (CSV, XLSX) with an example row."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, Sector
from vpswg.exports import csv_bytes

#: Rows a file may have: two or three years of a busy group are some hundreds.
MAX_ROWS = 2000
#: A preview not imported within this long is deleted at the group's next upload.
KEEP_PREVIEW = timedelta(days=2)
#: The longest cell kept (a title is at most 300 characters; a list of organisers longer).
MAX_CELL = 1000
MAX_PARTICIPANTS = 1_000_000
#: What separates the organisers named in one cell (commas too, when each part is a name).
SEPARATORS = re.compile(r"[;\n|]+")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation
    required: bool = False


def _sector_columns() -> list[Column]:
    columns = []
    for sector in Sector:
        columns += [
            Column(f"{sector.value}_total", _SectorLabel(sector, "total")),
            Column(f"{sector.value}_women", _SectorLabel(sector, "women")),
            Column(f"{sector.value}_men", _SectorLabel(sector, "men")),
        ]
    return columns


@dataclass(frozen=True)
class _SectorLabel:
    sector: Sector
    part: str

    def __str__(self) -> str:
        label = {
            "total": gettext_lazy("%(sector)s: participants"),
            "women": gettext_lazy("%(sector)s: women"),
            "men": gettext_lazy("%(sector)s: men"),
        }[self.part]
        return str(label) % {"sector": self.sector.label}


COLUMNS: list[Column] = [
    Column("title", gettext_lazy("Title"), required=True),
    Column("kind", gettext_lazy("Kind"), required=True),
    Column("start_date", gettext_lazy("Date"), required=True),
    Column("end_date", gettext_lazy("Until")),
    Column("place", gettext_lazy("Place")),
    Column("region", gettext_lazy("Region")),
    Column("organisers", gettext_lazy("Organisers"), required=True),
    Column("description", gettext_lazy("Public description")),
    *_sector_columns(),
]
KEYS = [c.key for c in COLUMNS]


def fold(text: str) -> str:
    """A name as compared: no accents, case, punctuation or repeated spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


# --- The template -----------------------------------------------------------------------------


def template_rows() -> list[list[object]]:
    """The headers in the reader's language and one example row."""
    example = {
        "title": _("Workshop on the Voluntary Principles for the police"),
        "kind": str(Activity.Kind.WORKSHOP.label),
        "start_date": "2024-03-15",
        "end_date": "",
        "place": "Cusco",
        "region": "Cusco",
        "organisers": _("Institution name; another institution's short name"),
        "description": "",
        "police_military_total": 40,
        "police_military_women": 12,
        "police_military_men": 28,
        "community_total": 15,
    }
    return [[str(c.label) for c in COLUMNS], [example.get(c.key, "") for c in COLUMNS]]


def template_csv(language: str) -> bytes:
    header, example = template_rows()
    return csv_bytes(header, [example], language=language)


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Activities")[:31]
    header, example = template_rows()
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate([50, 16, 12, 12, 16, 14, 40, 30], start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def accepted_headers() -> dict[str, str]:
    """Every accepted header, folded: the column's key and its label in each language."""
    accepted: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                accepted[fold(str(column.label))] = column.key
    for column in COLUMNS:
        accepted[fold(column.key)] = column.key
    return accepted


def label(key: str) -> str:
    return next(str(c.label) for c in COLUMNS if c.key == key)
