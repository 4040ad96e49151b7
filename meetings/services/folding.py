"""Text compared without case or accents, position for position."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """Lower case without accents, one character for one character (positions are kept)."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(char) for char in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0] if decomposed else char
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    word: str  # as in the text searched (folded when it was)
    dotted: bool = False  # followed by a full stop: an abbreviation, or a sentence's end
    elided: bool = False  # joined to the next word by an apostrophe: French "l'", "d'", "qu'"


_BEFORE = re.compile(r"(\w+)(\.?)\s+$")
_AFTER = re.compile(r"\s+(\w+)")
_ELIDED = re.compile(r"(?<!\w)(\w{1,6})['’]$")


def word_before(text: str, pos: int) -> Word | None:
    """The word just before ``pos``, across spaces only (a comma or a full stop between them
    means they are not one phrase). Reads at most 40 characters back: scanning stays linear."""
    match = _BEFORE.search(text, max(0, pos - 40), pos)
    if match is None:
        return None
    return Word(match.start(1), match.end(1), match.group(1), bool(match.group(2)))


def word_or_elision_before(text: str, pos: int) -> Word | None:
    """The word before ``pos``, or the one elided onto it ("l'ambassade", "d'Italie",
    "qu'une"): French writes its articles and "de" without a space, and they belong to the
    phrase as much as a spaced "la" or "de" does."""
    match = _ELIDED.search(text, max(0, pos - 7), pos)
    if match is not None:
        return Word(match.start(1), match.end(1), match.group(1), elided=True)
    return word_before(text, pos)


def word_after(text: str, pos: int) -> Word | None:
    """The word just after ``pos``, across spaces only."""
    match = _AFTER.match(text, pos)
    if match is None:
        return None
    return Word(match.start(1), match.end(1), match.group(1))


def wordset(text: str) -> frozenset[str]:
    """The words of a list written as prose: the word lists are long, one a line reads worse."""
    return frozenset(text.split())
