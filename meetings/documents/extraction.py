"""Reading a document's text for search, in the background, with well-kept libraries
(``pypdf``, ``python-docx``): no hand-written parsing.

The file has passed ``vpswg.uploads`` (size, archive limits, no active content) before it is
read here; reading is still bounded (``MAX_PAGES``, ``MAX_CHARS``) so that a long report costs
a fixed amount. A scanned PDF holds no text: it is marked so, and found by its title.
"""

from __future__ import annotations

import io
import logging

from meetings.models import DocumentVersion
from vpswg import search

logger = logging.getLogger(__name__)

MAX_PAGES = 500
MAX_CHARS = search.MAX_BODY


def pdf_text(data: bytes) -> tuple[str, int]:
    """The text of a PDF and its number of pages."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n".join(parts)[:MAX_CHARS], len(reader.pages)


def docx_text(data: bytes) -> str:
    """The paragraphs and table cells of a Word document, in order."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts, size = [], 0
    for paragraph in document.paragraphs:
        parts.append(paragraph.text)
        size += len(paragraph.text)
        if size >= MAX_CHARS:
            break
    for table in document.tables:
        for row in table.rows:
            parts.append(" · ".join(cell.text for cell in row.cells))
    return "\n".join(p for p in parts if p.strip())[:MAX_CHARS]


def extract(version: DocumentVersion) -> str:
    """Read ``version``'s text into it and refresh the document's search rows; returns the
    status. Never raises for a file it cannot read: the document stays, found by its title."""
    # A storage that does not answer (OSError) is raised: the task tries again later.
    with version.file.open("rb") as handle:
        data = handle.read()
    try:
        pages = None
        if version.is_pdf:
            text, pages = pdf_text(data)
        else:
            text = docx_text(data)
        status = DocumentVersion.Text.DONE if text.strip() else DocumentVersion.Text.EMPTY
    except Exception:
        logger.warning("document version %s: the text could not be read", version.pk, exc_info=True)
        text, pages, status = "", None, DocumentVersion.Text.FAILED
    DocumentVersion.objects.filter(pk=version.pk).update(
        text=search.clean(text).replace("\x00", ""), text_status=status, pages=pages
    )
    search.refresh("document", version.document_id)
    return status
