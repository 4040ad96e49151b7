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

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0] if decomposed else char
        lowered = base.lower()
        out.append(lowered if len(lowered) == 1 else base)
    return "".join(out)


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern
    label: str  # what it is, for the Secretariat: a person's or an institution's name
    kind: str  # "person", "institution"
    exact_case: bool = False  # matched against the text as written, not its folded form


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


def _word_pattern(words: str, *, exact_case: bool = False) -> re.Pattern | None:
    words = " ".join(words.split())
    if len(words) < (2 if exact_case else 3):
        return None
    body = r"\s+".join(re.escape(w if exact_case else fold(w)) for w in words.split(" "))
    return re.compile(rf"(?<!\w){body}(?!\w)")


def roster_terms() -> list[Term]:
    """Everything that could identify a participant, in the active group's scope."""
    terms: list[Term] = []
    people: dict[str, str] = {}
    for rep in Representative.objects.select_related("user"):
        people[rep.user.get_full_name()] = rep.user.get_full_name()
    for guest in Guest.objects.all():
        people[guest.name] = guest.name
    for name in people:
        pattern = _word_pattern(name)
        if pattern:
            terms.append(Term(pattern, name, "person"))
        tokens = [t for t in re.split(r"\s+", name) if t]
        if len(tokens) >= 3:
            # Latin American names: both surnames together, and the first name with the first.
            for pair in (f"{tokens[-2]} {tokens[-1]}", f"{tokens[0]} {tokens[-2]}"):
                pattern = _word_pattern(pair)
                if pattern:
                    terms.append(Term(pattern, name, "person"))
        for surname in tokens[1:]:
            folded = fold(surname).strip(".")
            if len(folded) >= 4 and folded not in ORDINARY_WORDS:
                pattern = _word_pattern(surname)
                if pattern:
                    terms.append(Term(pattern, name, "person"))
    for institution in Institution.objects.all():
        names = [institution.name, institution.short_name, *institution.aliases]
        for alias in {n for n in names if n}:
            acronym = alias.isupper() and len(alias.replace(" ", "")) <= 4
            pattern = _word_pattern(alias, exact_case=acronym)
            if pattern:
                terms.append(Term(pattern, institution.name, "institution", exact_case=acronym))
    return terms


def scan_text(text: str, target: str, terms: list[Term]) -> list[Hit]:
    hits: list[Hit] = []
    folded = fold(text)
    for term in terms:
        source = text if term.exact_case else folded
        for match in term.pattern.finditer(source):
            hits.append(
                Hit(
                    target,
                    match.start(),
                    match.end(),
                    text[match.start() : match.end()],
                    term.label,
                    term.kind,
                )
            )
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
    terms = roster_terms()
    resolved = set(LeakResolution.objects.filter(minutes=minutes).values_list("target", "term"))
    findings = []
    for target, text in texts(minutes):
        for hit in scan_text(text, target, terms):
            if (target, hit.term) not in resolved:
                findings.append(Finding(hit, text))
    return findings
