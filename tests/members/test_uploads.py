"""Uploaded letters: checked by content, limited in size, odd names refused, nothing stored on
refusal, stored under random names when accepted."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Application
from tests.factories import APPLICATION_DATA, MINIMAL_PDF, docx_bytes
from vpswg.scoping import group_scope
from vpswg.uploads import MAX_DOCUMENT_BYTES

pytestmark = pytest.mark.django_db


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post(client, group, name, content):
    return client.post(
        reverse("apply:form", kwargs={"wg": group.slug}),
        {**APPLICATION_DATA, "letter": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", MINIMAL_PDF + b"0" * (MAX_DOCUMENT_BYTES), "the limit is 10"),
        ("letter.pdf", b"<html><script>alert(1)</script></html>", "neither a PDF nor a Word"),
        ("letter.pdf", b"MZ\x90\x00 an executable", "neither a PDF nor a Word"),
        ("letter.pdf", b"", "empty"),
        ("../../etc/passwd", MINIMAL_PDF, "must end in .pdf or .docx"),
        ("..\x07\x1b.pdf", MINIMAL_PDF, "not an ordinary file name"),
        ("letter.docx", MINIMAL_PDF, "content is a PDF"),
        ("letter.docm", docx_bytes(macro=True), "The Word document contains macros"),
        ("letter.pdf.exe", MINIMAL_PDF, "must end in .pdf or .docx"),
    ],
    ids=[
        "oversized",
        "html-as-pdf",
        "exe-as-pdf",
        "empty",
        "path",
        "control-chars",
        "mismatch",
        "macro",
        "double-extension",
    ],
)
def test_refused_uploads_say_why_and_store_nothing(
    client, group, _private_media, name, content, message
):
    response = post(client, group, name, content)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("letter", []))
    assert message in errors, errors
    assert response.context["form"]["name"].value() == APPLICATION_DATA["name"]  # kept
    with group_scope(group):
        assert not Application.objects.exists()
    assert stored_files(_private_media) == []


@pytest.mark.parametrize(
    ("name", "content"), [("Carta firmada.PDF", MINIMAL_PDF), ("carta.docx", docx_bytes())]
)
def test_pdf_and_docx_are_accepted_under_a_random_name(
    client, group, _private_media, name, content
):
    response = post(client, group, name, content)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    with group_scope(group):
        application = Application.objects.get()
    (stored,) = stored_files(_private_media)
    assert stored.read_bytes() == content
    assert name.split(".")[0] not in stored.name
    assert application.letter_name == name
    assert stored.suffix == (".pdf" if content.startswith(b"%PDF") else ".docx")
