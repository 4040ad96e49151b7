"""The project's translation catalogues as the tests read them: a small .po reader.

No .po library is among the dependencies, and the checks need what a compiled catalogue
drops (the untranslated and fuzzy entries, the English of every entry). The reader is held to
GNU msgfmt by ``tests/vpswg/test_catalogues.py``: the translations it finds are exactly those
msgfmt compiles.
"""

from __future__ import annotations

import gettext
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def other_languages() -> list[str]:
    """Every language of the site but the one the msgids are written in."""
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    #: ``msgstr``, or ``msgstr[0]``, ``msgstr[1]``... of a plural entry.
    msgstrs: tuple[str, ...] = ("",)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstrs)

    @property
    def english(self) -> tuple[str, ...]:
        return (self.msgid,) if self.msgid_plural is None else (self.msgid, self.msgid_plural)

    @property
    def key(self) -> str:
        """The key a compiled catalogue files the entry under."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


@dataclass
class Catalogue:
    header: dict[str, str]
    entries: list[Entry]

    @property
    def nplurals(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.header.get("Plural-Forms", ""))
        return int(match.group(1)) if match else 2

    def live(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]


def read_po(path: Path) -> Catalogue:
    """Parse a .po file: entries are separated by blank lines; ``#~`` marks obsolete ones."""
    entries: list[Entry] = []
    header: dict[str, str] = {}
    fields: dict[str, str] = {}
    plurals: dict[int, str] = {}
    flags: set[str] = set()
    obsolete = False
    current: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal fields, plurals, flags, obsolete, current
        if "msgid" in fields:
            if fields["msgid"] == "" and "msgctxt" not in fields:
                for line in fields.get("msgstr", "").splitlines():
                    name, _, value = line.partition(":")
                    header[name.strip()] = value.strip()
            else:
                strs = (
                    tuple(plurals[i] for i in sorted(plurals))
                    if "msgid_plural" in fields
                    else (fields.get("msgstr", ""),)
                )
                entries.append(
                    Entry(
                        msgid=fields["msgid"],
                        msgctxt=fields.get("msgctxt"),
                        msgid_plural=fields.get("msgid_plural"),
                        msgstrs=strs,
                        fuzzy="fuzzy" in flags,
                        obsolete=obsolete,
                    )
                )
        fields, plurals, flags, obsolete, current = {}, {}, set(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            if not obsolete and "msgid" in fields:
                finish()
            obsolete = True
            line = line[2:].strip()
            if line.startswith("|"):  # a previous msgid of an obsolete entry
                continue
        elif line.startswith("#,"):
            if "msgid" in fields:
                finish()
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif line.startswith("#"):
            if "msgid" in fields and current is not None and current[0].startswith("msgstr"):
                finish()
            continue
        if not line:
            finish()
            continue
        if match := _KEYWORD.match(line):
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and (
                "msgstr" in fields or plurals or (keyword == "msgctxt" and "msgid" in fields)
            ):
                finish()
            if index is not None:
                current = ("msgstr", int(index))
                plurals[int(index)] = _unquote(text)
            else:
                current = (keyword, None)
                fields[keyword] = _unquote(text)
        elif line.startswith('"') and line.endswith('"') and current is not None:
            keyword, index = current
            if index is not None:
                plurals[index] += _unquote(line[1:-1])
            else:
                fields[keyword] += _unquote(line[1:-1])
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
    finish()
    return Catalogue(header, entries)


def compiled_messages(mo: Path) -> dict:
    """The messages of a compiled catalogue, keyed as gettext keys them, without the header."""
    with mo.open("rb") as f:
        catalog = dict(gettext.GNUTranslations(f)._catalog)
    catalog.pop("", None)
    return catalog


def compile_po(po: Path, mo: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt with its format checks (a translation that drops or renames a placeholder
    fails here, not in a page)."""
    return subprocess.run(
        ["msgfmt", "--check-format", "-o", str(mo), str(po)], capture_output=True, text=True
    )


def expected_messages(catalogue: Catalogue) -> dict:
    """What msgfmt compiles: every entry neither fuzzy nor wholly untranslated (a plural entry
    with one form missing is compiled, the form empty)."""
    messages: dict = {}
    for entry in catalogue.live():
        if entry.fuzzy or not any(entry.msgstrs):
            continue
        if entry.msgid_plural is None:
            messages[entry.key] = entry.msgstrs[0]
        else:
            for i, text in enumerate(entry.msgstrs):
                messages[(entry.key, i)] = text
    return messages
