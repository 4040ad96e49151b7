"""Uploaded documents: application letters, annual reports, activity evidence, and every upload
field to come. One module decides for all of them, so that a new field cannot forget a check.

Two parties read an upload and neither may be hurt by it. This server reads it first, from an
anonymous public form: a hostile file must cost it a small, fixed amount of time and memory and
then be refused. The Secretariat reads it next, on their own machines: an accepted file must not
run code, fetch anything from the network when opened, or turn out to be something other than
the PDF or Word document it claims to be.

Decisions, and why:

- The type is decided by the content, never by the name or the browser's Content-Type: a PDF
  starts with ``%PDF-``; a DOCX is a ZIP holding ``[Content_Types].xml`` and
  ``word/document.xml``. The name must still be an ordinary ``.pdf`` or ``.docx`` name that
  agrees with the content.
- The browser's Content-Type is not consulted at all. A clean PDF or DOCX that arrives with a
  Content-Type contradicting it (``text/html``, ``application/octet-stream``: operating systems
  get these wrong for ``.docx``) is accepted, and ``upload.content_type`` is replaced by the type
  the content proved, so that the browser's claim never reaches storage (S3 keeps an object's
  Content-Type from the upload and would serve it back).
- The file is read into memory once, at most ``MAX_DOCUMENT_BYTES``; every other read is
  bounded by a named constant below, so that no input can make validation read more.
- DOCX: the ZIP's central directory is parsed here (not by ``zipfile``, which builds an object
  per entry before anything can be checked and cuts names at NUL) and every entry is judged from
  it before a byte is decompressed: count, sizes, ratio, names, encryption, method, overlaps.
  Only then is each entry inflated, in bounded chunks and never past its declared size, to check
  its CRC and its first bytes (an archive inside the archive); the XML parts that are judged
  (``[Content_Types].xml`` and the ``.rels`` files) are kept, each under ``MAX_XML_PART_BYTES``.
  Macros, embedded objects and ActiveX controls, and relationships that fetch from elsewhere when
  the document is opened (an attached template, a frame or a picture on another machine) are
  refused. An attached template on the author's own disk (``file:///C:/...Normal.dotm``, which
  Word records in most documents made from a template) is allowed: opening it elsewhere reaches
  no network.
- PDF: a name token that runs code or opens other content (JavaScript, launch, embedded files,
  multimedia, XFA, automatic actions, submit/import, remote go-to) is refused wherever it
  appears, after ``#xx`` escapes are decoded (``/J#61vaScript``). Object streams (where modern
  writers compress dictionaries) are inflated, capped at ``MAX_PDF_OBJECT_STREAM_BYTES`` each and
  ``MAX_PDF_INFLATED_BYTES`` in all, refused when a cap is hit, and scanned too; an object stream
  in an encoding other than FlateDecode is refused, since it could not be scanned. Other streams
  (page content, fonts, images) are not inflated: a viewer does not read actions from them, and
  an object hidden inside a stream's data (where a viewer reaching it through the cross-reference
  table would read it) is refused instead. ``/OpenAction`` is allowed when it only goes to a page;
  an action on opening of any other kind is refused. Encrypted PDFs are refused: they cannot be
  checked.
- Polyglots: markup in the first KB (browsers sniff it there), a ZIP inside a PDF, ``%PDF``
  within the first KB of a ZIP (PDF readers look for it there), data after a PDF's ``%%EOF`` or
  after a ZIP's end record.

- Spreadsheets of records to import (XLSX, CSV: ``validate_spreadsheet``) pass the same checks
  as a DOCX (an XLSX is a ZIP judged from its central directory before anything is inflated) and
  more: no macros (nor an ``.xlsm`` name), embedded objects, links to other workbooks or data
  connections, or XML entities; at most ``MAX_SPREADSHEET_BYTES``. They are read, with bounds,
  by ``read_table`` (``vpswg.uploads.spreadsheet``) and never stored.

Files are stored through Django storage under random names (the name the person gave is kept
only as text, for display) and are served only by views that check permission, as attachments.
"""

from __future__ import annotations

import struct
import unicodedata
import uuid
import zlib
from typing import NoReturn

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from vpswg.uploads.common import (
    CSV,
    DOCX,
    MAX_DOCUMENT_BYTES,
    MAX_SPREADSHEET_BYTES,
    MESSAGES,
    OLE_MAGIC,
    PDF,
    SPREADSHEET_TYPES,
    TYPES,
    XLSX,
    DocumentType,
    _limit_message,
    _ordinary_name,
    _refuse,
    logger,
)
from vpswg.uploads.docx import _check_docx
from vpswg.uploads.pdf import _check_pdf
from vpswg.uploads.spreadsheet import check_spreadsheet, read_table

__all__ = [
    "CSV",
    "DOCX",
    "MAX_DOCUMENT_BYTES",
    "MAX_SPREADSHEET_BYTES",
    "MESSAGES",
    "PDF",
    "SPREADSHEET_TYPES",
    "TYPES",
    "XLSX",
    "DocumentField",
    "DocumentType",
    "as_given",
    "attachment_response",
    "display_name",
    "random_name",
    "read_table",
    "validate_document",
    "validate_spreadsheet",
]

# --- The entry point ---------------------------------------------------------------------------


def validate_document(upload: UploadedFile) -> DocumentType:
    """Return the document's type, or raise ValidationError with a message a person can act on.

    Also sets ``upload.content_type`` to the type the content proved: the browser's claim is
    never trusted, and never stored.
    """
    name, data = _read(upload, MAX_DOCUMENT_BYTES)
    found = _check_content(data)
    return _agreed(upload, name, found, TYPES, "bad_extension")


def validate_spreadsheet(upload: UploadedFile) -> tuple[DocumentType, bytes]:
    """A spreadsheet of records to import (XLSX or CSV): its type and its bytes, read once, or
    ValidationError. The same rules as ``validate_document``: the type by content, an ordinary
    name that agrees with it, a size cap; an ``.xlsm`` name is refused for what it says."""
    name, data = _read(upload, MAX_SPREADSHEET_BYTES, "too_large_spreadsheet")
    if _extension_of(name) in {".xlsm", ".xltm", ".xlam"}:
        _refuse("xlsm")
    try:
        found = check_spreadsheet(data)
    except (struct.error, IndexError, ValueError, OverflowError, zlib.error, UnicodeError):
        logger.warning("upload refused: the spreadsheet could not be parsed", exc_info=True)
        _refuse("bad_spreadsheet")
    return _agreed(upload, name, found, SPREADSHEET_TYPES, "bad_spreadsheet_extension"), data


def _read(upload: UploadedFile, limit: int, too_large: str = "too_large") -> tuple[str, bytes]:
    """The upload's name and bytes, read once and never more than ``limit``; refused when empty,
    too large, or oddly named."""
    name = unicodedata.normalize("NFC", upload.name or "")
    size = upload.size or 0
    if size == 0:
        _refuse("empty")
    if size > limit:
        _too_large(size, limit, too_large)
    if not _ordinary_name(name):
        _refuse("bad_name")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if not data:
        _refuse("empty")
    if len(data) > limit:
        _too_large(len(data), limit, too_large)
    return name, data


def _extension_of(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def _agreed(
    upload: UploadedFile, name: str, found: DocumentType, types: dict, refusal: str
) -> DocumentType:
    """The name's extension is one of ``types`` and agrees with the content; the type the
    content proved replaces the browser's claim."""
    extension = _extension_of(name)
    if extension not in types:
        _refuse(refusal)
    if types[extension] != found:
        _refuse("mismatch", name=name, actual=found.label)
    upload.content_type = found.content_type
    upload.charset = None
    return found


def _check_content(data: bytes) -> DocumentType:
    try:
        if data.startswith(b"%PDF-"):
            _check_pdf(data)
            return PDF
        if data.startswith(b"PK\x03\x04"):
            _check_docx(data)
            return DOCX
    except (struct.error, IndexError, ValueError, OverflowError, zlib.error, UnicodeError):
        # A malformed file that a check did not foresee: refused, not a server error; logged,
        # since the check should have named what is wrong.
        logger.warning("upload refused: the content could not be parsed", exc_info=True)
        _refuse("bad_content")
    if data.startswith(OLE_MAGIC):
        _refuse("old_word")
    _refuse("bad_content")


def _too_large(size: int, limit: int = MAX_DOCUMENT_BYTES, code: str = "too_large") -> NoReturn:
    _refuse(code, size=filesizeformat(size), limit=filesizeformat(limit))


def _too_large_template() -> str:
    """The server's message for the browser's own check, with the size left for it to fill."""
    return str(MESSAGES["too_large"]) % {
        "size": "%(size)s",
        "limit": filesizeformat(MAX_DOCUMENT_BYTES),
    }


class DocumentField(forms.FileField):
    """A form field for one PDF or DOCX document, checked by content.

    The input carries the limit and the server's message (translated, rendered here), so that
    ``static/js/uploads.js`` refuses an over-size file before it is sent.
    """

    default_error_messages = {
        "required": _("Attach the document (PDF or DOCX)."),
        # Django's own check comes first for an empty file: it says the same as ours.
        "empty": MESSAGES["empty"],
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _limit_message(_("PDF or Word (DOCX), at most %(limit)s."), limit=MAX_DOCUMENT_BYTES),
        )
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={
                    "accept": ",".join([*TYPES, *(t.content_type for t in TYPES.values())]),
                    "data-max-bytes": str(MAX_DOCUMENT_BYTES),
                    "data-max-message": lazy(_too_large_template, str)(),
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and isinstance(upload, UploadedFile):
            upload.document_type = validate_document(upload)
        return upload


def random_name(prefix: str, document_type: DocumentType) -> str:
    """Storage name for a document: nothing of the uploader's name reaches the file system."""
    return f"{prefix}/{uuid.uuid4().hex}{document_type.extension}"


def display_name(name: str) -> str:
    return unicodedata.normalize("NFC", name)[:200]


def attachment_response(fieldfile, filename: str, content_type: str) -> FileResponse:
    """Serve a stored document as a download, never inline, never sniffed, never cached."""
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def as_given(instance, filename: str) -> str:
    """``upload_to`` for documents: the service already chose a random name (``random_name``)."""
    return filename
