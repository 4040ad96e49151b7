"""What every check of an upload shares: the limits, the types, the messages, ordinary names
and the signatures of other formats hiding in a file (``vpswg.uploads``)."""

from __future__ import annotations

import logging
import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("vpswg.uploads")

KiB = 1024
MiB = 1024 * KiB

MAX_DOCUMENT_BYTES = 10 * MiB
#: A spreadsheet of records to import: 2,000 rows of some 40 short cells are a few hundred KB,
#: as CSV or XLSX.
MAX_SPREADSHEET_BYTES = 2 * MiB
#: An XLSX's parts, decompressed, in all: the XML of 2,000 rows is a few MB.
MAX_XLSX_TOTAL_BYTES = 32 * MiB

#: Where other formats are looked for at the start of a file: PDF readers accept ``%PDF-``
#: anywhere in the first KB, browsers sniff markup there.
SNIFF_BYTES = 1 * KiB

# --- DOCX (a ZIP) limits ---------------------------------------------------------------------
# A real Word document has a few dozen parts (one per image, header, footer, chart), well under
# a hundred even for a long report. Images are stored about 1:1, XML compresses 5 to 30 times:
# a 10 MB document of text and images expands to some tens of MB. The limits leave room for that
# and refuse what only an attack builds (the zip bomb seen: one 1 GiB part in a 1 MB file).
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_NAME_BYTES = 255
MAX_ZIP_CENTRAL_DIRECTORY_BYTES = 1 * MiB
MAX_ZIP_ENTRY_BYTES = 64 * MiB
MAX_ZIP_TOTAL_BYTES = 128 * MiB
#: Above ``ZIP_RATIO_FLOOR_BYTES``, an entry may not expand more than this many times (deflate
#: reaches about 1000 on repeated bytes; the XML of real documents stays far below 100).
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 1 * MiB
#: The XML parts that are read whole to be judged ([Content_Types].xml, *.rels): a few KB each.
MAX_XML_PART_BYTES = 4 * MiB
MAX_XML_TOTAL_BYTES = 16 * MiB
#: Compressed bytes fed to the inflater at a time, and output taken from it at a time.
INFLATE_CHUNK_BYTES = 64 * KiB

# --- PDF limits ------------------------------------------------------------------------------
#: An object stream holds some hundred small objects (tens of KB inflated).
MAX_PDF_OBJECT_STREAM_BYTES = 8 * MiB
MAX_PDF_INFLATED_BYTES = 64 * MiB
#: Streams and objects: a 10 MB PDF of hundreds of pages has some thousands.
MAX_PDF_STREAMS = 50_000
MAX_PDF_OBJECTS = 250_000
#: ``#xx`` escapes in a PDF's syntax (outside stream data): rare in real files, costly to decode.
MAX_PDF_ESCAPES = 200_000
#: ``/OpenAction`` occurrences (one per catalog, a few with incremental updates), and objects
#: bearing the number one of them points to.
MAX_PDF_OPEN_ACTIONS = 8
MAX_PDF_OPEN_TARGETS = 8
#: What may follow the last ``%%EOF`` (some writers add a little padding).
MAX_PDF_TRAILING_BYTES = 1 * KiB
#: How far back from ``stream`` its dictionary is looked for, and how far an action on opening
#: is read (a page number and a zoom: some tens of bytes).
MAX_PDF_DICT_BYTES = 64 * KiB
MAX_PDF_ACTION_BYTES = 4 * KiB


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str
    label: str


PDF = DocumentType(".pdf", "application/pdf", "PDF")
DOCX = DocumentType(
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOCX",
)
TYPES = {t.extension: t for t in (PDF, DOCX)}
XLSX = DocumentType(
    ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
)
CSV = DocumentType(".csv", "text/csv", "CSV")
#: Spreadsheets of records to import (``validate_spreadsheet``): never stored, only read.
SPREADSHEET_TYPES = {t.extension: t for t in (XLSX, CSV)}

# After Django's own clean-up of upload names (no path, no control characters), a name must
# still look like an ordinary file name: no leading dot, no reserved characters.
SAFE_NAME = re.compile(r"^[^./\\:*?\"<>|][^/\\:*?\"<>|]{0,199}$")
# Names Windows reserves for devices, whatever the extension (``con.pdf`` cannot be saved).
RESERVED_NAME = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _limit_message(message, **limits):
    """A message whose numbers are formatted when it is shown, in the reader's language."""

    def render() -> str:
        return str(message) % {k: filesizeformat(v) for k, v in limits.items()}

    return lazy(render, str)()


MESSAGES = {
    "empty": _("The file is empty. Choose the document again."),
    "too_large": _(
        "The file is %(size)s; the limit is %(limit)s. Save it smaller (e.g. as PDF) and try again."
    ),
    "bad_name": _("The file name is not an ordinary file name. Rename the file (e.g. letter.pdf)."),
    "bad_extension": _("The file name must end in .pdf or .docx."),
    "mismatch": _(
        "The file is named %(name)s but its content is a %(actual)s document. Rename it or choose the right file."
    ),
    "bad_content": _(
        "This file is neither a PDF nor a Word (DOCX) document. Only those two are accepted: save or export it as PDF, then upload that."
    ),
    "old_word": _(
        "This is an old Word document (.doc) or a password-protected one. Save it as a Word Document (.docx) without a password, or as PDF, then upload that."
    ),
    "pdf_active": _(
        "The PDF contains %(what)s, which could run on the reader's computer. Print it or save it again as PDF/A, then upload that."
    ),
    "pdf_encrypted": _(
        "The PDF is encrypted or password-protected, so it cannot be checked. Print it or save it again as PDF/A without a password, then upload that."
    ),
    "pdf_unusual": _(
        "The PDF is built in an unusual way (%(what)s) and cannot be checked safely. Print it or save it again as PDF/A, then upload that."
    ),
    "pdf_polyglot": _(
        "The PDF also contains %(what)s, so it could be opened as something other than a PDF. Print it or save it again as PDF/A, then upload that."
    ),
    "docx_unusual": _(
        "The Word document is built in an unusual way (%(what)s) and cannot be checked safely. Open it in Word and save it again, or save it as PDF, then upload that."
    ),
    "docx_macros": _(
        "The Word document contains macros. Save it as a Word Document (.docx), which has none, or as PDF, then upload that."
    ),
    "docx_embedded": _(
        "The Word document contains embedded objects or controls (%(what)s). Remove them, or save the document as PDF, then upload that."
    ),
    "docx_external": _(
        "The Word document fetches content from elsewhere when it is opened (%(what)s). Save it as PDF, then upload that."
    ),
    "docx_polyglot": _(
        "The Word document also contains %(what)s, so it could be opened as something other than a Word document. Open it in Word and save it again, or save it as PDF, then upload that."
    ),
    "too_large_spreadsheet": _(
        "The file is %(size)s; the limit is %(limit)s. Split it into several files and import them one after the other."
    ),
    "bad_spreadsheet_extension": _("The file name must end in .xlsx or .csv."),
    "xlsm": _(
        "The workbook is macro-enabled (.xlsm). Save it as Excel Workbook (.xlsx) or CSV, then upload that."
    ),
    "bad_spreadsheet": _(
        "This file is neither an Excel workbook (.xlsx) nor a CSV file. Save the sheet as Excel Workbook (.xlsx) or CSV, then upload that."
    ),
    "old_excel": _(
        "This is an old Excel workbook (.xls) or a password-protected one. Save it as Excel Workbook (.xlsx) without a password, or as CSV, then upload that."
    ),
    "xlsx_binary": _(
        "This is an Excel binary workbook (.xlsb). Save it as Excel Workbook (.xlsx) or CSV, then upload that."
    ),
    "xlsx_unusual": _(
        "The workbook is built in an unusual way (%(what)s) and cannot be checked safely. Save the sheet as CSV, then upload that."
    ),
    "xlsx_macros": _(
        "The workbook contains macros. Save it as Excel Workbook (.xlsx), which has none, or as CSV, then upload that."
    ),
    "xlsx_embedded": _(
        "The workbook contains embedded objects or controls (%(what)s). Save the sheet as CSV, then upload that."
    ),
    "xlsx_external": _(
        "The workbook fetches content from elsewhere when it is opened (%(what)s). Save the sheet as CSV, then upload that."
    ),
    "xlsx_polyglot": _(
        "The workbook also contains %(what)s, so it could be opened as something other than a workbook. Save the sheet as CSV, then upload that."
    ),
}


def _refuse(code: str, **params) -> NoReturn:
    raise ValidationError(MESSAGES[code], code=code, params=params or None)


# --- Names -------------------------------------------------------------------------------------


def _ordinary_name(name: str) -> bool:
    """Django already keeps only the last path component and drops unprintable characters of
    names that come through a form; this is the second line, for every other caller too."""
    if not name or name != name.strip() or name.endswith("."):
        return False
    # NFKC too: a fullwidth solidus or dot turns into the real one on some systems.
    if not all(SAFE_NAME.match(form) for form in (name, unicodedata.normalize("NFKC", name))):
        return False
    # Controls, bidirectional overrides (U+202E), zero-width and line separators.
    if any(
        unicodedata.category(c)[0] == "C" or unicodedata.category(c) in {"Zl", "Zp"} for c in name
    ):
        return False
    return not RESERVED_NAME.match(name.split(".", 1)[0].rstrip(" "))


# --- Polyglot signatures -----------------------------------------------------------------------

_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed)(?![a-z0-9])", re.I
)
_ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x1f\x8b\x08",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MSCF\x00\x00\x00\x00",
    b"\x28\xb5\x2f\xfd",
)
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
# Compression methods a ZIP local header can name: a random ``PK\x03\x04`` inside a PDF's
# compressed data almost never also has a plausible version, method and name length.
_ZIP_METHODS = {0, 1, 6, 8, 9, 12, 14, 18, 19, 93, 95, 96, 97, 98, 99}
_MAX_EMBEDDED_ZIP_SIGNATURES = 1000


def _contains_zip(data: bytes) -> bool:
    if data.count(b"PK\x03\x04") > _MAX_EMBEDDED_ZIP_SIGNATURES:
        return True
    at = data.find(b"PK\x03\x04")
    while at >= 0:
        if at + 30 <= len(data):
            version, _flags, method = struct.unpack_from("<3H", data, at + 4)
            name_length = struct.unpack_from("<H", data, at + 26)[0]
            if version <= 63 and method in _ZIP_METHODS and 0 < name_length <= 1024:
                return True
        at = data.find(b"PK\x03\x04", at + 1)
    # A ZIP reader starts from the end record, in the last 64 KB.
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end >= 0 and end + 22 <= len(data):
        cd_size, cd_offset = struct.unpack_from("<2L", data, end + 12)
        if cd_size + cd_offset <= end:
            return True
    return False


def _embedded_signature(tail: bytes) -> bool:
    return bool(_MARKUP.search(tail)) or any(m in tail for m in _ARCHIVE_MAGIC)
