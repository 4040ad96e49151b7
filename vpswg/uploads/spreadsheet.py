"""Spreadsheets (XLSX, CSV) of records to import: judged like a Word document before any
library opens them, then read with bounds (``vpswg.uploads``).

An XLSX is a ZIP like a DOCX: its central directory is judged by the same code
(``vpswg.uploads.docx._docx_entries``: count, sizes, ratio, names, encryption, overlaps) before a
byte is inflated, then every part is inflated in bounded chunks with its CRC checked. A workbook
with macros (``vbaProject.bin``, a macro-enabled content type, an ``.xlsm`` name), embedded
objects or controls, external links to other workbooks, data connections or query tables (which
fetch from elsewhere when the workbook is opened or refreshed), or an XML part with a document
type declaration (entities) is refused. Only then does openpyxl read it, read-only (rows
streamed, not a workbook in memory) and ``data_only`` (a formula's cached value, never the
formula), and at most ``max_rows`` rows of ``max_columns`` columns are taken: one row more and
the file is refused, rather than silently cut.

A CSV is text: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252 (Excel
in Spanish saves "CSV (delimitado por comas)" so, with semicolons); latin-1 decodes any byte, so
it is the last resort. The delimiter is the one of ``,`` and ``;`` that the header line has more
of. NUL bytes and the signatures of other formats are refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vpswg.uploads.common import (
    _ARCHIVE_MAGIC,
    _MARKUP,
    CSV,
    MAX_XLSX_TOTAL_BYTES,
    MESSAGES,
    OLE_MAGIC,
    SNIFF_BYTES,
    XLSX,
    DocumentType,
    _limit_message,
    _refuse,
)
from vpswg.uploads.docx import (
    _RELATIONSHIP,
    _check_part_names,
    _check_relationships,
    _docx_entries,
    _inflated_parts,
)

#: Parts whose presence means the workbook reaches elsewhere or runs something.
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
_EXTERNAL_PARTS = ("xl/externallinks/", "xl/connections.xml", "xl/querytables/")
_EMBEDDED_PARTS = ("xl/embeddings/", "xl/activex/", "xl/ctrlprops/")
_EXTERNAL_RELATIONSHIPS = {"externallink", "externallinkpath", "connections", "querytable"}
#: ``<!DOCTYPE`` or ``<!ENTITY`` in an XML part, looked for across chunk boundaries.
_DECLARATION = re.compile(rb"<!\s*(?:doctype|entity)", re.I)

#: The docx checks' refusals, said of a spreadsheet.
_AS_SPREADSHEET = {
    "docx_unusual": "xlsx_unusual",
    "docx_polyglot": "xlsx_polyglot",
    "docx_macros": "xlsx_macros",
    "docx_embedded": "xlsx_embedded",
    "docx_external": "xlsx_external",
    "bad_content": "bad_spreadsheet",
}


def _as_spreadsheet(error: ValidationError) -> ValidationError:
    code = _AS_SPREADSHEET.get(error.code, error.code)
    return ValidationError(MESSAGES.get(code, error.message), code=code, params=error.params)


def check_spreadsheet(data: bytes) -> DocumentType:
    """The type the content proves (XLSX or CSV), or a refusal a person can act on."""
    if data.startswith(b"PK\x03\x04"):
        try:
            _check_xlsx(data)
        except ValidationError as error:
            raise _as_spreadsheet(error) from None
        return XLSX
    if data.startswith(OLE_MAGIC):
        _refuse("old_excel")
    if data.startswith(b"%PDF") or data.startswith(_ARCHIVE_MAGIC) or b"\0" in data:
        _refuse("bad_spreadsheet")
    _csv_text(data)
    return CSV


def _check_xlsx(data: bytes) -> None:
    if b"%PDF" in data[:SNIFF_BYTES]:
        _refuse("xlsx_polyglot", what=_("the start of a PDF"))
    if _MARKUP.search(data[:SNIFF_BYTES]):
        _refuse("xlsx_polyglot", what=_("web page content (HTML, SVG or script)"))
    entries = _docx_entries(data)
    names = {e.name.casefold() for e in entries}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            _refuse("xlsx_binary")
        _refuse("bad_spreadsheet")
    if sum(e.size for e in entries) > MAX_XLSX_TOTAL_BYTES:
        _refuse(
            "xlsx_unusual",
            what=_limit_message(
                _("more than %(limit)s in all when decompressed"), limit=MAX_XLSX_TOTAL_BYTES
            ),
        )
    for entry in entries:
        folded = entry.name.casefold()
        if folded.endswith(_MACRO_PARTS) or folded.startswith("xl/macrosheets/"):
            _refuse("xlsx_macros")
        if folded.startswith(_EXTERNAL_PARTS):
            _refuse("xlsx_external", what=_("links to other workbooks or data connections"))
        if folded.startswith(_EMBEDDED_PARTS) or "oleobject" in folded:
            _refuse("xlsx_embedded", what=entry.name.rsplit("/", 1)[-1])
    _check_part_names(entries)
    tails: dict[str, bytes] = {}

    def scan(entry, chunk: bytes) -> None:
        """No entity declarations in any XML part (the parser reading the sheets later would
        expand them), nor XML in an encoding that would hide one from this scan."""
        if not entry.name.casefold().endswith((".xml", ".rels", ".vml")):
            return
        if entry.name not in tails and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
            _refuse("xlsx_unusual", what=_("an XML part in an unusual encoding"))
        window = tails.get(entry.name, b"") + chunk
        if _DECLARATION.search(window):
            _refuse("xlsx_unusual", what=_("an XML part with a document type declaration"))
        tails[entry.name] = window[-16:]

    for entry, text in _inflated_parts(data, entries, scan):
        if text is None:
            continue
        if entry.name.casefold() == "[content_types].xml":
            lowered = text.casefold()
            if "macroenabled" in lowered or "vbaproject" in lowered:
                _refuse("xlsx_macros")
            continue
        for match in _RELATIONSHIP.finditer(text):
            kind = re.search(r"Type\s*=\s*[\"']([^\"']*)[\"']", match[1])
            if kind and kind[1].rsplit("/", 1)[-1].casefold() in _EXTERNAL_RELATIONSHIPS:
                _refuse("xlsx_external", what=_("links to other workbooks or data connections"))
        _check_relationships(text)


# --- Reading ----------------------------------------------------------------------------------

Cell = str | int | float | date | None


def _csv_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_table(
    data: bytes, document_type: DocumentType, *, max_rows: int, max_columns: int
) -> list[list[Cell]]:
    """The first sheet's rows (the header row included), at most ``max_rows`` data rows of
    ``max_columns`` cells; empty rows left out. Dates come as ``date``; everything else as
    text or numbers as the file has them. A file with more rows is refused."""
    rows = _xlsx_rows(data, max_columns) if document_type == XLSX else _csv_rows(data, max_columns)
    table: list[list[Cell]] = []
    for row in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        table.append(row)
        if len(table) > max_rows + 1:  # the header row, and one row too many
            raise ValidationError(
                _("The file has more than %(limit)s rows. Split it into several files."),
                code="too_many_rows",
                params={"limit": max_rows},
            )
    return table


def _csv_rows(data: bytes, max_columns: int) -> Iterator[list[Cell]]:
    text = _csv_text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield [cell or None for cell in row[:max_columns]]
    except csv.Error:
        raise ValidationError(
            _("The CSV file could not be read (%(what)s). Save it again from the spreadsheet."),
            code="bad_csv",
            params={"what": _("a quoted cell that does not end")},
        ) from None


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[list[Cell]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ValidationError(_MESSAGE_BAD_XLSX, code="bad_spreadsheet") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_col=max_columns, values_only=True):
            yield [_xlsx_cell(value) for value in row]
    except Exception:  # noqa: BLE001 - a damaged sheet found while streaming it
        raise ValidationError(_MESSAGE_BAD_XLSX, code="bad_spreadsheet") from None
    finally:
        workbook.close()


_MESSAGE_BAD_XLSX = _(
    "The workbook could not be read. Open it in the spreadsheet and save it again as Excel Workbook (.xlsx) or CSV."
)


def _xlsx_cell(value) -> Cell:
    if isinstance(value, datetime):
        return value.date()  # a date cell; a time of day on it is not part of an activity's date
    if isinstance(value, (date, str, int, float)) or value is None:
        return value
    return str(value)
