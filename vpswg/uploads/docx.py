"""A Word document (DOCX, a ZIP) judged from its central directory before anything is
decompressed, then inflated in bounded chunks (``vpswg.uploads``)."""

from __future__ import annotations

import html
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from vpswg.uploads.common import (
    _ARCHIVE_MAGIC,
    _MARKUP,
    _PROGRAM_MAGIC,
    INFLATE_CHUNK_BYTES,
    MAX_XML_PART_BYTES,
    MAX_XML_TOTAL_BYTES,
    MAX_ZIP_CENTRAL_DIRECTORY_BYTES,
    MAX_ZIP_ENTRIES,
    MAX_ZIP_ENTRY_BYTES,
    MAX_ZIP_NAME_BYTES,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL_BYTES,
    OLE_MAGIC,
    SNIFF_BYTES,
    ZIP_RATIO_FLOOR_BYTES,
    _limit_message,
    _refuse,
)

# --- DOCX ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    raw_name: bytes
    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int


_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")

_NESTED_EXTENSIONS = {
    ".zip", ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".tar", ".cab", ".iso", ".jar",
    ".apk", ".msi", ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xlsb", ".pptx",
    ".pptm", ".odt", ".ods", ".odp",
}  # fmt: skip
_PROGRAM_EXTENSIONS = {
    ".exe", ".dll", ".scr", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".hta", ".lnk", ".sh", ".elf", ".so", ".dylib",
}  # fmt: skip
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
_MACRO_RELATIONSHIPS = {"vbaproject", "wordvbadata", "keymapcustomizations"}
_EMBEDDING_RELATIONSHIPS = {
    "oleobject", "package", "control", "activexcontrol", "activexcontrolbinary", "afchunk",
}  # fmt: skip
_RELATIONSHIP = re.compile(r"<(?:[A-Za-z_][\w.-]{0,64}:)?Relationship(?![\w.:-])([^>]{0,8192})>")
_ATTRIBUTE = re.compile(r"([A-Za-z_][\w.:-]{0,64})\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# A path on the reader's own disk: ``file:///`` with no host, a drive, or a relative path. Not
# ``\\host\share`` nor ``file://host/``: Windows would connect there, and send credentials.
_LOCAL_TARGET = re.compile(
    r"^file:///(?![\\/])|^[A-Za-z]:[\\/]|^(?![A-Za-z][A-Za-z0-9+.-]*:)(?![\\/]{2})"
)


def _docx_entries(data: bytes) -> list[_Entry]:
    """The central directory, checked against every limit before anything is decompressed."""
    size = len(data)
    end = size - _EOCD.size
    if not (end >= 0 and data[end : end + 4] == b"PK\x05\x06" and data[-2:] == b"\0\0"):
        end = data.rfind(b"PK\x05\x06", max(0, size - _EOCD.size - 65535))
    if end < 0 or end + _EOCD.size > size:
        _refuse("docx_unusual", what=_("a damaged archive"))
    _sig, disk, cd_disk, disk_entries, count, cd_size, cd_offset, comment = _EOCD.unpack_from(
        data, end
    )
    if end + _EOCD.size + comment != size:
        _refuse("docx_polyglot", what=_("data after the end of the document"))
    if disk or cd_disk or disk_entries != count:
        _refuse("docx_unusual", what=_("an archive split into several parts"))
    directory_end = end
    if 0xFFFF in (count, disk_entries) or 0xFFFFFFFF in (cd_size, cd_offset):
        locator = end - _EOCD64_LOCATOR.size
        if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
            _refuse("docx_unusual", what=_("a damaged archive"))
        _sig, _disk, record, disks = _EOCD64_LOCATOR.unpack_from(data, locator)
        if (
            disks > 1
            or record + _EOCD64.size > locator
            or data[record : record + 4] != b"PK\x06\x06"
        ):
            _refuse("docx_unusual", what=_("a damaged archive"))
        (_sig, record_size, _made, _needed, disk, cd_disk, disk_entries, count, cd_size,
         cd_offset) = _EOCD64.unpack_from(data, record)  # fmt: skip
        if disk or cd_disk or disk_entries != count or record + 12 + record_size != locator:
            _refuse("docx_unusual", what=_("a damaged archive"))
        directory_end = record
    if count > MAX_ZIP_ENTRIES:
        _refuse("docx_unusual", what=_("more than %(count)s parts") % {"count": MAX_ZIP_ENTRIES})
    if cd_size > MAX_ZIP_CENTRAL_DIRECTORY_BYTES:
        _refuse("docx_unusual", what=_("an oversized table of contents"))
    if count == 0 or cd_offset + cd_size != directory_end:
        # Data before the entries, or between them and their directory: another file is there.
        _refuse("docx_polyglot", what=_("data outside the document's parts"))

    entries: list[_Entry] = []
    seen: set[str] = set()
    total = 0
    at = cd_offset
    for _index in range(count):
        if at + _CENTRAL.size > directory_end or data[at : at + 4] != b"PK\x01\x02":
            _refuse("docx_unusual", what=_("a damaged archive"))
        (_sig, _made, _needed, flags, method, _time, _date, crc, compressed, uncompressed,
         name_length, extra_length, comment_length, _disk, _internal, _external,
         offset) = _CENTRAL.unpack_from(data, at)  # fmt: skip
        raw_name = data[at + _CENTRAL.size : at + _CENTRAL.size + name_length]
        extra = data[
            at + _CENTRAL.size + name_length : at + _CENTRAL.size + name_length + extra_length
        ]
        at += _CENTRAL.size + name_length + extra_length + comment_length
        if at > directory_end:
            _refuse("docx_unusual", what=_("a damaged archive"))
        if 0xFFFFFFFF in (compressed, uncompressed, offset):
            uncompressed, compressed, offset = _zip64_sizes(extra, uncompressed, compressed, offset)
        name = _entry_name(raw_name, flags, extra)
        if name.casefold() in seen:
            _refuse("docx_unusual", what=_("two parts with the same name"))
        seen.add(name.casefold())
        if flags & 0x41 or flags & 0x2000:
            _refuse("docx_unusual", what=_("an encrypted part"))
        if method not in (0, 8):
            _refuse("docx_unusual", what=_("an unusual compression method"))
        if method == 0 and compressed != uncompressed:
            _refuse("docx_unusual", what=_("sizes that do not match the content"))
        if uncompressed > MAX_ZIP_ENTRY_BYTES:
            _refuse(
                "docx_unusual",
                what=_limit_message(
                    _("a part larger than %(limit)s when decompressed"), limit=MAX_ZIP_ENTRY_BYTES
                ),
            )
        if uncompressed > ZIP_RATIO_FLOOR_BYTES and uncompressed > MAX_ZIP_RATIO * compressed:
            _refuse(
                "docx_unusual",
                what=_("a part compressed more than %(ratio)s times") % {"ratio": MAX_ZIP_RATIO},
            )
        total += uncompressed
        if total > MAX_ZIP_TOTAL_BYTES:
            _refuse(
                "docx_unusual",
                what=_limit_message(
                    _("more than %(limit)s in all when decompressed"), limit=MAX_ZIP_TOTAL_BYTES
                ),
            )
        entries.append(_Entry(raw_name, name, flags, method, crc, compressed, uncompressed, offset))
    if at != directory_end:
        _refuse("docx_unusual", what=_("a damaged archive"))

    # Each entry's data lies between its header and the next entry: overlapping entries are how
    # the most compact zip bombs reuse one compressed block many times.
    # Nothing may sit between them either (a data descriptor aside): another file could.
    boundary = cd_offset
    for entry in sorted(entries, key=lambda e: e.header_offset, reverse=True):
        gap = boundary - (_data_start(data, entry) + entry.compressed_size)
        if gap < 0:
            _refuse("docx_unusual", what=_("parts that overlap"))
        if gap > (24 if entry.flags & 0x08 else 0):
            _refuse("docx_polyglot", what=_("data outside the document's parts"))
        boundary = entry.header_offset
    if boundary != 0:
        _refuse("docx_polyglot", what=_("data outside the document's parts"))
    return entries


def _zip64_sizes(extra: bytes, uncompressed: int, compressed: int, offset: int):
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, at)
        if tag == 0x0001:
            field = extra[at + 4 : at + 4 + length]
            values = iter(struct.unpack(f"<{len(field) // 8}Q", field[: len(field) // 8 * 8]))
            try:
                if uncompressed == 0xFFFFFFFF:
                    uncompressed = next(values)
                if compressed == 0xFFFFFFFF:
                    compressed = next(values)
                if offset == 0xFFFFFFFF:
                    offset = next(values)
            except StopIteration:
                break
            return uncompressed, compressed, offset
        at += 4 + length
    _refuse("docx_unusual", what=_("a damaged archive"))


def _entry_name(raw: bytes, flags: int, extra: bytes) -> str:
    """Names are judged as the bytes stored, before any reader cuts them at a NUL."""
    if not raw or len(raw) > MAX_ZIP_NAME_BYTES or b"\0" in raw or b"\\" in raw:
        _refuse("docx_unusual", what=_("a part with an unusual name"))
    try:
        name = raw.decode("utf-8") if flags & 0x800 else raw.decode("cp437")
    except UnicodeDecodeError:
        _refuse("docx_unusual", what=_("a part with an unusual name"))
    parts = name.split("/")
    if (
        name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or any(p in {".", ".."} for p in parts)
        or "" in parts[:-1]
        or any(unicodedata.category(c)[0] == "C" for c in name)
    ):
        _refuse("docx_unusual", what=_("a part named with a path outside the document"))
    # Info-ZIP's Unicode path field: some tools extract under that name instead.
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, at)
        if tag == 0x7075:
            _refuse("docx_unusual", what=_("a part with an unusual name"))
        at += 4 + length
    return name


def _data_start(data: bytes, entry: _Entry) -> int:
    at = entry.header_offset
    if at + _LOCAL.size > len(data) or data[at : at + 4] != b"PK\x03\x04":
        _refuse("docx_unusual", what=_("a damaged archive"))
    fields = _LOCAL.unpack_from(data, at)
    flags, name_length, extra_length = fields[2], fields[9], fields[10]
    if (flags ^ entry.flags) & 0x41:
        _refuse("docx_unusual", what=_("an encrypted part"))
    if data[at + _LOCAL.size : at + _LOCAL.size + name_length] != entry.raw_name:
        # A reader that trusts local headers would see another name than the directory's.
        _refuse("docx_unusual", what=_("a part with an unusual name"))
    return at + _LOCAL.size + name_length + extra_length


def _inflate(data: bytes, entry: _Entry) -> Iterator[bytes]:
    """The entry's bytes, a chunk at a time, never more than its declared size (a lying header
    is refused as soon as it lies), with its CRC checked at the end."""
    start = _data_start(data, entry)
    view = memoryview(data)[start : start + entry.compressed_size]
    produced = 0
    crc = 0

    def take(chunk: bytes) -> bytes:
        nonlocal produced, crc
        produced += len(chunk)
        if produced > entry.size:
            _refuse("docx_unusual", what=_("sizes that do not match the content"))
        crc = zlib.crc32(chunk, crc)
        return chunk

    if entry.method == 0:
        for at in range(0, len(view), INFLATE_CHUNK_BYTES):
            yield take(bytes(view[at : at + INFLATE_CHUNK_BYTES]))
    else:
        inflater = zlib.decompressobj(-15)
        try:
            for at in range(0, len(view), INFLATE_CHUNK_BYTES):
                pending = view[at : at + INFLATE_CHUNK_BYTES]
                while pending and not inflater.eof:
                    chunk = inflater.decompress(pending, INFLATE_CHUNK_BYTES)
                    pending = inflater.unconsumed_tail
                    yield take(chunk)
                if inflater.eof:
                    break
            # Output zlib still holds once the input is all in (a long match at the very end).
            while not inflater.eof and (chunk := inflater.decompress(b"", INFLATE_CHUNK_BYTES)):
                yield take(chunk)
        except zlib.error:
            _refuse("docx_unusual", what=_("a damaged archive"))
    if produced != entry.size or crc != entry.crc:
        _refuse("docx_unusual", what=_("sizes that do not match the content"))


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return ("." + base.rsplit(".", 1)[-1].casefold()) if "." in base else ""


def _xml_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:2] in (b"<\0", b"\0<"):
        encoding = (
            "utf-16"
            if raw.startswith((b"\xff\xfe", b"\xfe\xff"))
            else ("utf-16-le" if raw[:2] == b"<\0" else "utf-16-be")
        )
        text = raw.decode(encoding, errors="replace")
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    if re.search(r"<!(?:DOCTYPE|ENTITY)", text, re.I):
        # Entities could spell a word this module looks for; Word refuses DTDs in a package.
        _refuse("docx_unusual", what=_("an XML part with a document type declaration"))
    return text


def _check_relationships(text: str) -> None:
    for match in _RELATIONSHIP.finditer(text):
        # Values are read as Word reads them: ``&#69;xternal`` is "External".
        attributes = {
            m[1].rsplit(":", 1)[-1]: html.unescape(m[2] if m[2] is not None else m[3])
            for m in _ATTRIBUTE.finditer(match[1])
        }
        kind = attributes.get("Type", "").strip().rsplit("/", 1)[-1].casefold()
        if kind in _MACRO_RELATIONSHIPS:
            _refuse("docx_macros")
        if kind in _EMBEDDING_RELATIONSHIPS:
            _refuse("docx_embedded", what=_("an embedded object or control"))
        external = attributes.get("TargetMode", "").strip().casefold() == "external"
        if external and kind != "hyperlink":
            target = attributes.get("Target", "").strip()
            if (
                not _LOCAL_TARGET.match(target)
                or any(ord(c) < 32 for c in target)
                or re.search(r"%(?:5c|2f)", target, re.I)
            ):
                what = {
                    "attachedtemplate": _("a template on another machine"),
                    "frame": _("a frame from another address"),
                    "image": _("a picture from another address"),
                }.get(kind, _("content from another address"))
                _refuse("docx_external", what=what)


def _judged_xml(name: str) -> bool:
    folded = name.casefold()
    return folded == "[content_types].xml" or folded.endswith(".rels")


def _check_part_names(entries: list[_Entry]) -> None:
    """What every OOXML package's part names tell, before anything is inflated: no archive or
    program inside, and the parts read whole (types, relationships) of a bounded size."""
    for entry in entries:
        folded = entry.name.casefold()
        if _extension(folded) in _NESTED_EXTENSIONS:
            _refuse("docx_unusual", what=_("an archive inside it"))
        if _extension(folded) in _PROGRAM_EXTENSIONS:
            _refuse("docx_embedded", what=entry.name.rsplit("/", 1)[-1])
        if _judged_xml(entry.name) and entry.size > MAX_XML_PART_BYTES:
            _refuse(
                "docx_unusual",
                what=_limit_message(
                    _("a table of parts larger than %(limit)s"), limit=MAX_XML_PART_BYTES
                ),
            )
    if sum(e.size for e in entries if _judged_xml(e.name)) > MAX_XML_TOTAL_BYTES:
        _refuse(
            "docx_unusual",
            what=_limit_message(
                _("tables of parts larger than %(limit)s"), limit=MAX_XML_TOTAL_BYTES
            ),
        )


def _inflated_parts(
    data: bytes, entries: list[_Entry], scan: Callable[[_Entry, bytes], None] | None = None
) -> Iterator[tuple[_Entry, str | None]]:
    """Every entry inflated once (bounded, CRC checked), each chunk shown to ``scan``; its
    first bytes tell what it really is (an archive, an OLE object or a program is refused);
    the parts that list types and relationships are yielded with their text, to be read."""
    for entry in entries:
        folded = entry.name.casefold()
        keep = _judged_xml(entry.name)
        kept: list[bytes] = []
        head = b""
        for chunk in _inflate(data, entry):
            if len(head) < 8:
                head += chunk[: 8 - len(head)]
            if scan is not None:
                scan(entry, chunk)
            if keep:
                kept.append(chunk)
        if head.startswith(_ARCHIVE_MAGIC):
            _refuse("docx_unusual", what=_("an archive inside it"))
        # An embedded font's first bytes are scrambled (obfuscated): two of them can be "MZ".
        if head.startswith(OLE_MAGIC) or (
            head.startswith(_PROGRAM_MAGIC) and not folded.endswith(".odttf")
        ):
            _refuse("docx_embedded", what=entry.name.rsplit("/", 1)[-1])
        yield entry, (_xml_text(b"".join(kept)) if keep else None)


def _check_docx(data: bytes) -> None:
    if b"%PDF" in data[:SNIFF_BYTES]:
        _refuse("docx_polyglot", what=_("the start of a PDF"))
    if _MARKUP.search(data[:SNIFF_BYTES]):
        _refuse("docx_polyglot", what=_("web page content (HTML, SVG or script)"))
    entries = _docx_entries(data)
    names = {e.name for e in entries}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        _refuse("bad_content")
    # What the names tell, before anything is inflated.
    for entry in entries:
        folded = entry.name.casefold()
        if folded.endswith(_MACRO_PARTS):
            _refuse("docx_macros")
        if folded.startswith("word/embeddings/") or "activex" in folded or "oleobject" in folded:
            _refuse("docx_embedded", what=entry.name.rsplit("/", 1)[-1])
    _check_part_names(entries)
    for entry, text in _inflated_parts(data, entries):
        if text is None:
            continue
        if entry.name.casefold() == "[content_types].xml":
            # Embedded objects are found by their parts and relationships: a type listed
            # here for a part that is gone would refuse a clean document.
            lowered = text.casefold()
            if "macroenabled" in lowered or "vbaproject" in lowered:
                _refuse("docx_macros")
        else:
            _check_relationships(text)
