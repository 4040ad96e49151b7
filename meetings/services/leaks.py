"""Leak detection: names of participants and institutions in the free text of the minutes.

Under the Chatham House Rule a statement must not reveal who made it. Before minutes can be
submitted, every text is scanned against the group's roster:

* people (every representative the group has had, and its guest speakers): full name, and the
  surname alone when it is distinctive (four letters or more and not an ordinary word);
* institutions: name, short name and other names; an acronym of up to four capitals is matched
  in capitals only ("SER" the institution, not "ser" the verb);
* e-mail addresses and telephone numbers, whoever they belong to.

Matching ignores case and accents ("Quispe Huaman" finds "Quispe Huamán"). Each hit must be
resolved: by rewriting the text, by replacing the words with a neutral term, or by recording
that they refer to the subject under discussion, not to a participant (kept with who decided).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    Guest,
    LeakResolution,
    Minutes,
    MinutesSection,
)
from members.models import Institution, Representative

# The local part is bounded (64 characters, as in RFC 5321): unbounded, every position of a
# long run of word characters without an "@" was tried to its end, and a text of 100,000 such
# characters took seconds to scan, on every autosave. A longer local part is still found, by
# its last 64 characters.
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{6,}\d(?!\w)")

#: Surnames that are also ordinary Spanish or English words ("Flores", flowers; "Paz", peace):
#: alone they would flag half the minutes, so they are matched only with the first name, or
#: paired with the other surname.
ORDINARY_WORDS = frozenset(
    [
        "flores",
        "torres",
        "rojas",
        "paz",
        "leon",
        "campos",
        "rios",
        "castro",
        "soto",
        "vera",
        "cruz",
        "reyes",
        "santos",
        "ramos",
        "mercado",
        "prado",
        "delgado",
        "cueva",
        "salinas",
        "morales",
        "medina",
        "rosales",
        "luna",
        "sierra",
        "vega",
        "montes",
        "peña",
        "pena",
        "guerra",
        "calderon",
        "valle",
        "fuentes",
        "bravo",
        "blanco",
        "moreno",
        "rubio",
        "nieto",
        "king",
        "smith",
        "brown",
        "green",
        "white",
        "young",
        "black",
    ]
)


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
class Term:
    pattern: re.Pattern
    label: str  # what it is, for the Secretariat: a person's or an institution's name
    kind: str  # "person", "institution"
    exact_case: bool = False  # matched against the text as written, not its folded form
    first: str = ""  # its first word as matched (folded unless exact_case): the index key


@dataclass(frozen=True)
class Hit:
    target: str  # "<kind>:<id>:<field>"
    start: int
    end: int
    matched: str
    label: str
    kind: str

    @property
    def term(self) -> str:
        return fold(self.matched)[:200]


def _term(words: str, label: str, kind: str, *, exact_case: bool = False) -> Term | None:
    """A term for ``words`` (any whitespace between them), or None when too short to mean much."""
    words = " ".join(words.split())
    if len(words) < (2 if exact_case else 3):
        return None
    parts = [w if exact_case else fold(w) for w in words.split(" ")]
    body = r"\s+".join(re.escape(w) for w in parts)
    return Term(_compiled(rf"(?<!\w){body}(?!\w)"), label, kind, exact_case, parts[0])


@functools.lru_cache(maxsize=8192)
def _compiled(pattern: str) -> re.Pattern:
    """Rosters change rarely: their patterns are compiled once per process."""
    return re.compile(pattern)


def roster_terms() -> list[Term]:
    """Everything that could identify a participant, in the active group's scope."""
    people: dict[str, None] = {}
    for full_name, email in Representative.objects.values_list("user__full_name", "user__email"):
        people[full_name or email] = None
    for name in Guest.objects.values_list("name", flat=True):
        people[name] = None
    institutions = tuple(
        (name, short_name, tuple(aliases))
        for name, short_name, aliases in Institution.objects.values_list(
            "name", "short_name", "aliases"
        )
    )
    return list(_terms(tuple(people), institutions))


@functools.lru_cache(maxsize=64)
def _terms(people: tuple[str, ...], institutions: tuple) -> tuple[Term, ...]:
    """The terms of a roster; cached, since the same roster is scanned on every editor load."""
    candidates: list[Term | None] = []
    for name in people:
        candidates.append(_term(name, name, "person"))
        tokens = [t for t in re.split(r"\s+", name) if t]
        if len(tokens) >= 3:
            # Latin American names: both surnames together, and the first name with the first.
            for pair in (f"{tokens[-2]} {tokens[-1]}", f"{tokens[0]} {tokens[-2]}"):
                candidates.append(_term(pair, name, "person"))
        for surname in tokens[1:]:
            folded = fold(surname).strip(".")
            if len(folded) >= 4 and folded not in ORDINARY_WORDS:
                candidates.append(_term(surname, name, "person"))
    for name, short_name, aliases in institutions:
        for alias in {n for n in [name, short_name, *aliases] if n}:
            acronym = alias.isupper() and len(alias.replace(" ", "")) <= 4
            candidates.append(_term(alias, name, "institution", exact_case=acronym))
    return tuple(t for t in candidates if t is not None)


WORD = re.compile(r"(?<!\w)\w+")


class Matcher:
    """The roster's terms indexed by their first word.

    Trying every term's expression on every text costs one Python loop turn per pair: 380
    terms and sixty texts made the editor take a quarter of a second. Here each word start of a
    text looks up the few terms that begin with that word and tries only those there; terms
    that do not begin with a word character (rare) are still searched the slow way.
    """

    def __init__(self, terms: list[Term]) -> None:
        self.index: dict[tuple[bool, str], list[Term]] = {}
        self.other: list[Term] = []
        for term in terms:
            lead = WORD.match(term.first)
            if lead is None:
                self.other.append(term)
            else:
                self.index.setdefault((term.exact_case, lead.group()), []).append(term)

    def hits(self, text: str, target: str) -> list[Hit]:
        hits: list[Hit] = []
        folded = fold(text)
        for exact, source in ((False, folded), (True, text)):
            for word in WORD.finditer(source):
                for term in self.index.get((exact, word.group()), ()):
                    match = term.pattern.match(source, word.start())
                    if match:
                        hits.append(self._hit(text, target, term, match))
        for term in self.other:
            for match in term.pattern.finditer(text if term.exact_case else folded):
                hits.append(self._hit(text, target, term, match))
        return hits

    @staticmethod
    def _hit(text: str, target: str, term: Term, match: re.Match) -> Hit:
        return Hit(
            target,
            match.start(),
            match.end(),
            text[match.start() : match.end()],
            term.label,
            term.kind,
        )


def scan_text(text: str, target: str, terms: list[Term] | Matcher) -> list[Hit]:
    matcher = terms if isinstance(terms, Matcher) else Matcher(terms)
    hits = matcher.hits(text, target)
    for match in EMAIL.finditer(text):
        hits.append(Hit(target, match.start(), match.end(), match.group(), "", "email"))
    for match in PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 7:
            hits.append(Hit(target, match.start(), match.end(), match.group(), "", "phone"))
    # Overlapping hits (a full name and its surname) count once: keep the longest.
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


@dataclass
class Finding:
    hit: Hit
    text: str  # the whole text the hit is in, for highlighting

    @property
    def before(self) -> str:
        return self.text[max(0, self.hit.start - 60) : self.hit.start]

    @property
    def after(self) -> str:
        return self.text[self.hit.end : self.hit.end + 60]


def texts(minutes: Minutes) -> list[tuple[str, str]]:
    """Every free text of the working record, as (target, text): four queries."""
    items: list[tuple[str, str]] = []
    if minutes.summary:
        items.append((f"minutes:{minutes.pk}:summary", minutes.summary))
    for section in MinutesSection.objects.filter(minutes=minutes).only(
        "pk", "title", "main_points"
    ):
        items.append((f"section:{section.pk}:title", section.title))
        if section.main_points:
            items.append((f"section:{section.pk}:main_points", section.main_points))
    for pk, text in Contribution.objects.filter(section__minutes=minutes).values_list("pk", "text"):
        items.append((f"contribution:{pk}:text", text))
    for pk, text in Decision.objects.filter(section__minutes=minutes).values_list("pk", "text"):
        items.append((f"decision:{pk}:text", text))
    for pk, text in ActionItem.objects.filter(section__minutes=minutes).values_list("pk", "what"):
        items.append((f"action:{pk}:what", text))
    return items


def scan(minutes: Minutes) -> list[Finding]:
    """Unresolved hits in the working record."""
    terms = Matcher(roster_terms())
    resolved = set(LeakResolution.objects.filter(minutes=minutes).values_list("target", "term"))
    findings = []
    for target, text in texts(minutes):
        for hit in scan_text(text, target, terms):
            if (target, hit.term) not in resolved:
                findings.append(Finding(hit, text))
    return findings
