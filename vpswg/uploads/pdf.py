"""A PDF scanned for what runs code or opens other content, its object streams inflated under
caps (``vpswg.uploads``)."""

from __future__ import annotations

import re
import zlib

from django.utils.translation import gettext_lazy as _

from vpswg.uploads.common import (
    _MARKUP,
    INFLATE_CHUNK_BYTES,
    MAX_PDF_ACTION_BYTES,
    MAX_PDF_DICT_BYTES,
    MAX_PDF_ESCAPES,
    MAX_PDF_INFLATED_BYTES,
    MAX_PDF_OBJECT_STREAM_BYTES,
    MAX_PDF_OBJECTS,
    MAX_PDF_OPEN_ACTIONS,
    MAX_PDF_OPEN_TARGETS,
    MAX_PDF_STREAMS,
    MAX_PDF_TRAILING_BYTES,
    SNIFF_BYTES,
    _contains_zip,
    _embedded_signature,
    _limit_message,
    _refuse,
)

# --- PDF ----------------------------------------------------------------------------------------

_PDF_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_END = rb"(?!" + _PDF_REGULAR + rb")"
_SEP = rb"(?:[\x00\t\n\x0c\r ]|%[^\r\n]{0,256}){0,64}"
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJ_BEFORE = re.compile(
    rb"(?<![0-9])[0-9]{1,10}[\x00\t\n\x0c\r ]{1,16}[0-9]{1,5}[\x00\t\n\x0c\r ]{1,16}\Z"
)
_TRAILER = re.compile(rb"(?<![A-Za-z])trailer(?![A-Za-z])")
_FORBIDDEN = re.compile(
    # The lookahead rejects most names at their first letter (10 MB of "/" costs 0.1 s, not 0.7).
    rb"/(?=[JALEFRXISGOjalefrxisgo])"
    rb"(JavaScript|JS|AA|Launch|EmbeddedFiles?|FileAttachment|RichMedia|Rendition|XFA|ImportData"
    rb"|SubmitForm|GoToR|GoToE|OpenAction|Encrypt|ObjStm)" + _END,
    re.I,
)
_FORBIDDEN_LABELS = {
    b"javascript": _("JavaScript"),
    b"js": _("JavaScript"),
    b"aa": _("actions that run on opening or on events"),
    b"launch": _("a command that starts a program"),
    b"embeddedfile": _("an attached file"),
    b"embeddedfiles": _("an attached file"),
    b"fileattachment": _("an attached file"),
    b"richmedia": _("multimedia content"),
    b"rendition": _("multimedia content"),
    b"xfa": _("an XFA form"),
    b"importdata": _("an action that sends to or opens another file or address"),
    b"submitform": _("an action that sends to or opens another file or address"),
    b"gotor": _("an action that sends to or opens another file or address"),
    b"gotoe": _("an action that sends to or opens another file or address"),
}
_FILTERS = re.compile(
    rb"/(FlateDecode|Fl|LZWDecode|LZW|ASCIIHexDecode|AHx|ASCII85Decode|A85|RunLengthDecode|RL"
    rb"|CCITTFaxDecode|CCF|DCTDecode|DCT|JPXDecode|JBIG2Decode|Crypt)" + _END
)
_LENGTH = re.compile(
    rb"/Length" + _SEP + rb"([0-9]{1,10})" + _END + rb"(?!" + _SEP + rb"[0-9]{1,5}" + _SEP + rb"R)"
)
_FIRST = re.compile(rb"/First" + _SEP + rb"([0-9]{1,10})" + _END)
_N = re.compile(rb"/N" + _END)
_OBJECT_STREAM = re.compile(rb"/ObjStm" + _END)
_ODD_ENCODING = re.compile(rb"/(?:Predictor|DecodeParms|DP)" + _END)
_FILTER = re.compile(rb"/Filter" + _END)
_REFERENCE = re.compile(_SEP + rb"([0-9]{1,10})" + _SEP + rb"([0-9]{1,5})" + _SEP + rb"R" + _END)
_LEX = re.compile(
    rb"(?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|(?P<name>/" + _PDF_REGULAR + rb"*)|(?P<hex><[^>]*>)|(?P<string>\()"
    rb"|(?P<word>" + _PDF_REGULAR + rb"+)|(?P<other>.)",
    re.S,
)


def _escapable(word: bytes) -> bytes:
    """A pattern for a name as a viewer reads it: any letter may be written ``#xx``."""
    return b"".join(
        b"(?:%s|#%02x|#%02x)" % (re.escape(bytes([c])), ord(chr(c).upper()), ord(chr(c).lower()))
        for c in word
    )


_OPEN_ACTION = re.compile(b"/" + _escapable(b"OpenAction") + _END, re.I)


def _unescape(text: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), text)


def _skip_string(buffer: bytes, at: int, end: int) -> int:
    """Past the literal string that opens at ``at``: parentheses nest, a backslash escapes."""
    depth = 0
    while at < end:
        c = buffer[at]
        if c == 0x5C:
            at += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return end


def _summarise(buffer: bytes, at: int) -> tuple[str, bytes | None, bool]:
    """The kind of the PDF value at ``at`` ("dict", "array", "other" or "unclosed") and, for a
    dictionary, its ``/S`` and whether it has a ``/Next``. A small real tokenizer, on the bytes
    as the viewer reads them, so that neither strings nor ``#3E#3E`` can hide or fake a key."""
    end = min(len(buffer), at + MAX_PDF_ACTION_BYTES)
    depth = 0
    kind = "other"
    items: list[tuple[str, bytes]] = []
    while at < end:
        token = _LEX.match(buffer, at, end)
        if token is None:
            break
        group, value = token.lastgroup, token[0]
        at = _skip_string(buffer, token.start(), end) if group == "string" else token.end()
        if group == "ws":
            continue
        if depth == 0:
            if group != "open":
                return "other", None, False
            if value == b"[":
                return "array", None, False
            kind, depth = "dict", 1
            continue
        if depth == 1 and group != "close":
            items.append(("nested" if group == "open" else group, _unescape(value)))
        if group == "open":
            depth += 1
        elif group == "close":
            depth -= 1
            if depth == 0:
                break
    if depth:
        return "unclosed", None, False
    values: list[tuple[str, bytes]] = []
    for item in items:
        values.append(item)
        if (
            len(values) >= 3
            and values[-1] == ("word", b"R")
            and values[-2][0] == values[-3][0] == "word"
            and values[-2][1].isdigit()
            and values[-3][1].isdigit()
        ):
            del values[-3:]
            values.append(("ref", b""))  # ``5 0 R`` is one value
    pairs = dict(zip(values[0::2], values[1::2], strict=False))
    action = pairs.get(("name", b"/S"))
    return (
        kind,
        action[1][1:] if action and action[0] == "name" else None,
        ("name", b"/Next") in pairs,
    )


class _PdfScan:
    """One pass over a PDF: stream data skipped (objects hidden in it refused), the syntax
    between streams and inside object streams scanned for forbidden names."""

    def __init__(self, data: bytes):
        self.data = data
        self.escapes = 0
        self.inflated = 0
        self.open_actions = 0
        self.open_targets: set[tuple[int, int]] = set()
        self.object_streams: list[tuple[int, int, int, bool]] = []

    def run(self) -> None:
        data = self.data
        if re.search(rb"/Encrypt" + _END, data):
            _refuse("pdf_encrypted")
        if (
            data.count(b"endstream") > MAX_PDF_STREAMS
            or data.count(b"stream") > 4 * MAX_PDF_STREAMS
            or data.count(b"obj") > 2 * MAX_PDF_OBJECTS
        ):
            _refuse("pdf_unusual", what=_("too many objects"))
        at = 0
        while (keyword := self._next_stream(at)) >= 0:
            header = self._header_end(at, keyword)
            if header is None or keyword - header > MAX_PDF_DICT_BYTES:
                _refuse("pdf_unusual", what=_("a stream outside an object"))
            self._scan(data[at:header])
            dictionary = self._scan(data[header:keyword], dictionary=True)
            start = keyword + 6
            if data[start : start + 2] == b"\r\n":
                start += 2
            elif data[start : start + 1] in (b"\r", b"\n"):
                start += 1
            length = _LENGTH.search(dictionary)
            end = data.find(b"endstream", start + (int(length[1]) if length else 0))
            end = len(data) if end < 0 else end
            if _OBJECT_STREAM.search(dictionary) or (
                _FIRST.search(dictionary) and _N.search(dictionary)
            ):
                end = self._object_stream(dictionary, start, end)
            self._no_hidden_objects(start, end)
            at = min(len(data), end + len(b"endstream"))
        self._scan(data[at:])
        self._check_open_targets()

    def _next_stream(self, at: int) -> int:
        """The next ``stream`` keyword that follows a dictionary (``>>``, then perhaps white
        space and comments)."""
        data = self.data
        while (found := data.find(b"stream", at)) >= 0:
            at = found + 6
            if data[found + 6 : found + 7].isalnum():
                continue
            # Looked for in a bounded window, so that no input makes this quadratic.
            low = max(0, found - 1024)
            before = found
            for _line in range(16):
                before = low + len(data[low:before].rstrip(b"\x00\t\n\x0c\r "))
                if data[max(0, before - 2) : before] == b">>":
                    return found
                line = max(data.rfind(b"\n", low, before), data.rfind(b"\r", low, before)) + 1
                comment = data.find(b"%", max(line, low), before)
                if comment < 0 or line <= low:
                    break
                before = comment
        return -1

    def _header_end(self, low: int, high: int) -> int | None:
        data = self.data
        low = max(low, high - MAX_PDF_DICT_BYTES)
        while (found := data.rfind(b"obj", low, high)) >= 0:
            if not data[found + 3 : found + 4].isalnum() and _OBJ_BEFORE.search(
                data, max(low, found - 40), found
            ):
                return found + 3
            high = found
        return None

    def _no_hidden_objects(self, start: int, end: int) -> None:
        """An object inside a stream's data is read by a viewer that reaches it through the
        cross-reference table, and skipped by a scan that skips stream data: refuse it."""
        data = self.data
        at = start
        while (found := data.find(b"obj", at, end)) >= 0:
            if not data[found + 3 : found + 4].isalnum() and _OBJ_BEFORE.search(
                data, max(start, found - 40), found
            ):
                _refuse("pdf_unusual", what=_("objects hidden inside stream data"))
            at = found + 3
        if _TRAILER.search(data, start, end):
            _refuse("pdf_unusual", what=_("objects hidden inside stream data"))

    def _object_stream(self, dictionary: bytes, start: int, end: int) -> int:
        """Scan an object stream's objects; return where its data really ends."""
        filters = _FILTERS.findall(dictionary)
        flate = bool(_FILTER.search(dictionary))
        first = _FIRST.search(dictionary)
        if (
            (flate and filters not in ([b"FlateDecode"], [b"Fl"]))
            or _ODD_ENCODING.search(dictionary)
            or first is None
        ):
            _refuse("pdf_unusual", what=_("an object stream in an unusual encoding"))
        if flate:
            content, consumed = self._inflate(start)
            if consumed > end:
                end = self.data.find(b"endstream", consumed)
                end = len(self.data) if end < 0 else end
        else:
            content = self.data[start:end]
        self.object_streams.append((start, end, int(first[1]), flate))
        self._scan(content)
        return end

    def _inflate(self, start: int) -> tuple[bytes, int]:
        """A FlateDecode stream's content, capped; and where its compressed data ends. A deflate
        stream ends itself: the input is not cut at a ``/Length`` or ``endstream`` that could lie."""
        budget = min(MAX_PDF_OBJECT_STREAM_BYTES, MAX_PDF_INFLATED_BYTES - self.inflated)
        inflater = zlib.decompressobj()
        view = memoryview(self.data)
        parts: list[bytes] = []
        produced = 0
        at = start
        try:
            while at < len(view) and not inflater.eof:
                chunk = view[at : at + INFLATE_CHUNK_BYTES]
                at += len(chunk)
                part = inflater.decompress(chunk, budget - produced + 1)
                produced += len(part)
                if produced > budget or inflater.unconsumed_tail:
                    _refuse(
                        "pdf_unusual",
                        what=_limit_message(
                            _("an object stream larger than %(limit)s when decompressed"),
                            limit=MAX_PDF_OBJECT_STREAM_BYTES,
                        ),
                    )
                parts.append(part)
        except zlib.error:
            _refuse("pdf_unusual", what=_("a damaged object stream"))
        self.inflated += produced
        return b"".join(parts), at - len(inflater.unused_data)

    def _scan(self, raw: bytes, dictionary: bool = False) -> bytes:
        """Refuse a forbidden name in PDF syntax; return the syntax with escapes decoded."""
        text = raw
        if b"#" in raw:
            self.escapes += raw.count(b"#")
            if self.escapes > MAX_PDF_ESCAPES:
                _refuse("pdf_unusual", what=_("too many escaped characters"))
            text = _unescape(raw)
        opens = False
        for match in _FORBIDDEN.finditer(text):
            key = match[1].lower()
            if key == b"encrypt":
                _refuse("pdf_encrypted")
            if key == b"objstm":
                # An object stream whose stream was not found cannot be inflated and scanned.
                if not dictionary:
                    _refuse("pdf_unusual", what=_("an object stream that cannot be read"))
            elif key == b"openaction":
                opens = True
            else:
                _refuse("pdf_active", what=_FORBIDDEN_LABELS[key])
        if opens:
            # Judged on the bytes as written: decoding ``#3E#3E`` first would close a dictionary
            # that the viewer reads on.
            for match in _OPEN_ACTION.finditer(raw):
                self.open_actions += 1
                if self.open_actions > MAX_PDF_OPEN_ACTIONS:
                    _refuse("pdf_unusual", what=_("too many actions on opening"))
                if reference := _REFERENCE.match(raw, match.end()):
                    self.open_targets.add((int(reference[1]), int(reference[2])))
                else:
                    self._check_on_opening(raw, match.end())
        return text

    def _check_on_opening(self, buffer: bytes, at: int) -> None:
        """Going to a page is what an action on opening is for; anything else is refused."""
        kind, action, has_next = _summarise(buffer, at)
        if kind == "unclosed" or (kind == "dict" and (action not in (None, b"GoTo") or has_next)):
            _refuse("pdf_active", what=_("an action that runs on opening"))

    def _check_open_targets(self) -> None:
        """``/OpenAction 5 0 R`` is judged by object 5 wherever it is: every object so numbered
        at the top level (a fake one can only make the answer stricter), then in object streams."""
        unresolved = set()
        for number, generation in self.open_targets:
            header = re.compile(
                rb"(?<![0-9])%d[\x00\t\n\x0c\r ]{1,16}%d[\x00\t\n\x0c\r ]{1,16}obj(?![A-Za-z0-9])"
                % (number, generation)
            )
            found = 0
            for match in header.finditer(self.data):
                found += 1
                if found > MAX_PDF_OPEN_TARGETS:
                    _refuse("pdf_unusual", what=_("too many actions on opening"))
                self._check_on_opening(self.data, match.end())
            if not found:
                unresolved.add(number)
        if not unresolved:
            return
        self.inflated = 0  # a second pass, bounded as the first
        for start, end, first, flate in self.object_streams:
            content = self._inflate(start)[0] if flate else self.data[start:end]
            numbers = re.findall(rb"[0-9]{1,10}", content[:first])
            for number, offset in zip(numbers[0::2], numbers[1::2], strict=False):
                if int(number) in unresolved:
                    at = first + int(offset)
                    self._check_on_opening(content[at : at + MAX_PDF_ACTION_BYTES], 0)


def _check_pdf(data: bytes) -> None:
    if _MARKUP.search(data[:SNIFF_BYTES]):
        _refuse("pdf_polyglot", what=_("web page content (HTML, SVG or script)"))
    if _contains_zip(data):
        _refuse("pdf_polyglot", what=_("a ZIP archive"))
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        _refuse("pdf_unusual", what=_("no end-of-file marker"))
    trailing = data[eof + 5 :].strip(b"\x00\t\n\x0c\r ")
    if trailing and _embedded_signature(trailing):
        _refuse("pdf_polyglot", what=_("another file after its end"))
    if len(trailing) > MAX_PDF_TRAILING_BYTES:
        _refuse("pdf_unusual", what=_("data after the end of the document"))
    _PdfScan(data).run()
