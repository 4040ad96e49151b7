"""Uploaded documents (application letters, annual reports, later activity evidence).

The type is decided by the content, never by the name or the browser's Content-Type: a PDF
starts with ``%PDF-``; a DOCX is a ZIP holding ``[Content_Types].xml`` and
``word/document.xml`` and no macros. The name must still be an ordinary ``.pdf`` or ``.docx``
name that agrees with the content. Files are stored through Django storage under random names
(the name the person gave is kept only as text, for display) and are served only by views
that check permission, as attachments.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


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

# After Django's own clean-up of upload names (no path, no control characters), a name must
# still look like an ordinary file name: no leading dot, no reserved characters.
SAFE_NAME = re.compile(r"^[^./\\:*?\"<>|][^/\\:*?\"<>|]{0,199}$")


def sniff(head: bytes, upload: UploadedFile) -> DocumentType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                    return None
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types or "word/vbaProject.bin" in names:
                    return None
                return DOCX
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        finally:
            upload.seek(0)
    return None


def validate_document(upload: UploadedFile) -> DocumentType:
    """Return the document's type, or raise ValidationError with a message a person can act on."""
    name = unicodedata.normalize("NFC", upload.name or "")
    if upload.size == 0:
        raise ValidationError(_("The file is empty. Choose the letter again."), code="empty")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _(
                "The file is %(size)s; the limit is %(limit)s. Save it smaller (e.g. as PDF) and try again."
            ),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_DOCUMENT_BYTES),
            },
        )
    if not SAFE_NAME.match(name) or any(unicodedata.category(c).startswith("C") for c in name):
        raise ValidationError(
            _("The file name is not an ordinary file name. Rename the file (e.g. letter.pdf)."),
            code="bad_name",
        )
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    upload.seek(0)
    found = sniff(upload.read(8), upload)
    upload.seek(0)
    if found is None:
        raise ValidationError(
            _(
                "This file is neither a PDF nor a Word (DOCX) document. Only those two are accepted."
            ),
            code="bad_content",
        )
    if extension not in TYPES:
        raise ValidationError(_("The file name must end in .pdf or .docx."), code="bad_extension")
    if TYPES[extension] != found:
        raise ValidationError(
            _(
                "The file is named %(name)s but its content is a %(actual)s document. Rename it or choose the right file."
            ),
            code="mismatch",
            params={"name": name, "actual": found.label},
        )
    return found


class DocumentField(forms.FileField):
    """A form field for one PDF or DOCX document, checked by content."""

    default_error_messages = {
        "required": _("Attach the document (PDF or DOCX)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("PDF or Word (DOCX), at most %(limit)s.")
            % {"limit": filesizeformat(MAX_DOCUMENT_BYTES)},
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))
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
