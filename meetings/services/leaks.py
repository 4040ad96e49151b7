"""Leak detection: names of participants and institutions in the free text of the minutes.

Under the Chatham House Rule a statement must not reveal who made it. Before minutes can be
submitted, every text is scanned against the group's roster:

* people (every representative the group has had, and its guest speakers): the full name, any
  two of its words in a row, and one word alone, first name or surname, when it is not an
  ordinary word (``meetings.services.names``);
* institutions: name, short name, other names and the parts and initials they are made of; an
  acronym of up to four capitals is matched in capitals only ("SER" the institution, not "ser"
  the verb); a guest's organisation likewise;
* an embassy member's country: its names and every demonym ("la embajada canadiense",
  "the British government", "le délégué suisse"; ``meetings.services.demonyms``);
* e-mail addresses and telephone numbers, whoever they belong to.

Matching ignores case and accents ("Quispe Huaman" finds "Quispe Huamán"). Each hit must be
resolved: by rewriting the text, by replacing the words with neutral ones (fitted into the
sentence by ``meetings.services.wording``), or by recording that they refer to the subject
under discussion, not to a participant (kept with who decided).
"""

from __future__ import annotations

import functools
import re
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
from meetings.services import demonyms, names, wording
from meetings.services.folding import fold, word_after, word_or_elision_before
from members.models import Institution, Representative

# The local part is bounded (64 characters, as in RFC 5321): unbounded, every position of a
# long run of word characters without an "@" was tried to its end, and a text of 100,000 such
# characters took seconds to scan, on every autosave. A longer local part is still found, by
# its last 64 characters.
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{6,}\d(?!\w)")


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern
    label: str  # what it is, for the Secretariat: a person's or an institution's name
    kind: str  # "person", "institution"
    exact_case: bool = False  # matched against the text as written, not its folded form
    first: str = ""  # its first word as matched (folded unless exact_case): the index key
    sector: str = ""  # an institution's kind (Institution.Kind), for the neutral words
    #: A country's word: its names and demonyms of that spelling, in every language (gender,
    #: number, where it counts).
    forms: tuple[demonyms.Form, ...] = ()

    def forms_of(self, matched: str) -> tuple[demonyms.Form, ...]:
        """ "Suiza" is the country, "suiza" its adjective: capitalised, the names come first;
        in lower case only the adjectives count, when there are any."""
        if matched[:1].isupper():
            return tuple(sorted(self.forms, key=lambda f: not f.name))
        return tuple(f for f in self.forms if not f.name) or self.forms


@dataclass(frozen=True)
class Hit:
    target: str  # "<kind>:<id>:<field>"
    start: int
    end: int
    matched: str
    label: str
    kind: str
    sector: str = ""
    forms: tuple[demonyms.Form, ...] = ()

    @property
    def term(self) -> str:
        return fold(self.matched)[:200]

    def form(self, language: str) -> demonyms.Form | None:
        """What the words are grammatically in the minutes' language, for a country's."""
        return demonyms.pick(self.forms, language)


def _term(
    words: str,
    label: str,
    kind: str,
    *,
    exact_case: bool = False,
    sector: str = "",
    forms: tuple[demonyms.Form, ...] = (),
) -> Term | None:
    """A term for ``words`` (any whitespace between them), or None when too short to mean much."""
    words = " ".join(words.split())
    if len(words) < (2 if exact_case else 3):
        return None
    parts = [w if exact_case else fold(w) for w in words.split(" ")]
    body = r"\s+".join(re.escape(w) for w in parts)
    # "US$ 2 millones" is an amount, not the United States.
    tail = r"(?![\w$])" if exact_case else r"(?!\w)"
    pattern = _compiled(rf"(?<!\w){body}{tail}")
    return Term(pattern, label, kind, exact_case, parts[0], sector, forms)


@functools.lru_cache(maxsize=8192)
def _compiled(pattern: str) -> re.Pattern:
    """Rosters change rarely: their patterns are compiled once per process."""
    return re.compile(pattern)


Roster = tuple[tuple[str, ...], tuple, tuple]


def _roster() -> Roster:
    """The roster of the active group, as the key its terms are cached by: three queries."""
    people: dict[str, None] = {}
    for full_name, email in Representative.objects.values_list("user__full_name", "user__email"):
        people[full_name or email] = None
    guests: dict[tuple[str, str], None] = {}
    for name, organisation in Guest.objects.values_list("name", "organisation"):
        people[name] = None
        if organisation:
            guests[(organisation, "")] = None
    institutions = tuple(
        (name, short_name, tuple(aliases), kind)
        for name, short_name, aliases, kind in Institution.objects.values_list(
            "name", "short_name", "aliases", "kind"
        )
    )
    return tuple(people), institutions, tuple(guests)


def roster_terms() -> list[Term]:
    """Everything that could identify a participant, in the active group's scope."""
    return list(_terms(*_roster()))


def roster_matcher() -> Matcher:
    """The active group's terms, indexed; built once per roster and process."""
    return _matcher(*_roster())


@functools.lru_cache(maxsize=64)
def _terms(people: tuple[str, ...], institutions: tuple, guests: tuple = ()) -> tuple[Term, ...]:
    """The terms of a roster; cached, since the same roster is scanned on every editor load.

    Words that several people or institutions share make one term labelled with all of them:
    "Patricia" alone, when two participants are called Patricia, still narrows the speaker
    down to two people of the room, which is what the Chatham House Rule forbids; the
    Secretariat sees both names and judges.
    """
    found: dict[tuple[bool, str], dict] = {}

    def add(
        words: str,
        label: str,
        kind: str,
        exact: bool = False,
        sector: str = "",
        form: demonyms.Form | None = None,
    ) -> None:
        words = " ".join(words.split())
        key = (exact, words if exact else fold(words))
        entry = found.setdefault(
            key,
            {"words": words, "labels": {}, "kind": kind, "exact": exact, "forms": {}},
        )
        entry["labels"][label] = None
        entry["sector"] = entry.get("sector") or sector
        # "Canadá", the embassy's short name, is also the country's: it gets its grammar.
        # "Suiza" is the country and "suiza" its adjective; "Argentine" the country in French
        # and the adjective in English: every form is kept, the capital and the minutes'
        # language tell them apart.
        if form is not None:
            entry["forms"][form] = None

    for name in people:
        for words in names.person_terms(name):
            add(words, names.without_titles(name), "person")
    for name, short_name, aliases, kind in institutions:
        for alias in names.institution_terms(name, short_name, aliases):
            add(alias, name, "institution", names.is_acronym(alias), sector=kind)
        if kind == "foreign_government":
            country = demonyms.country_of([name, short_name, *aliases])
            if country is not None:
                for country_name in demonyms.country_names(country):
                    add(
                        country_name.text,
                        name,
                        "institution",
                        names.is_acronym(country_name.text),
                        sector=kind,
                        form=country_name,
                    )
                for form in demonyms.forms(country):
                    add(form.text, name, "institution", form.text.isupper(), sector=kind, form=form)
    for organisation, _unused in guests:
        for alias in names.institution_terms(organisation, "", ()):
            add(
                alias,
                organisation,
                "institution",
                names.is_acronym(alias),
                sector=names.guest_sector(organisation),
            )
    terms = (
        _term(
            e["words"],
            ", ".join(e["labels"]),
            e["kind"],
            exact_case=e["exact"],
            sector=e["sector"],
            forms=tuple(e["forms"]),
        )
        for e in found.values()
    )
    return tuple(t for t in terms if t is not None)


@functools.lru_cache(maxsize=64)
def _matcher(people: tuple[str, ...], institutions: tuple, guests: tuple) -> Matcher:
    return Matcher(list(_terms(people, institutions, guests)))


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
                    if match is None:
                        continue
                    written = text[match.start() : match.end()]
                    found = term.forms_of(written)
                    if not found or _stands(folded, match, found, written):
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
            term.sector,
            term.forms_of(text[match.start() : match.end()]),
        )


def _stands(folded: str, match: re.Match, found: tuple[demonyms.Form, ...], written: str) -> bool:
    """Whether a country's word here names its embassy: in any of its forms."""
    before = word_or_elision_before(folded, match.start())
    after = word_after(folded, match.end())
    word_before_ = before.word if before is not None and not before.dotted else ""
    word_after_ = after.word if after is not None else ""
    if word_before_ in demonyms.NOT_A_MEMBER_BEFORE or word_after_ in demonyms.NOT_A_MEMBER_AFTER:
        return False
    prefix = _prefix(folded, match.start())
    compound = f"{prefix}-{folded[match.start() : match.end()]}"
    if prefix in demonyms.NOT_A_MEMBER_PREFIX and compound not in demonyms.MEMBER_COMPOUNDS:
        return False
    return any(_form_stands(f, word_before_, word_after_, written) for f in found)


def _form_stands(form: demonyms.Form, before: str, after: str, written: str) -> bool:
    """Not in "el dólar canadiense" or "Latin American" (``_stands``); a language's name
    ("español", "Dutch", "français") only beside an institution or person it qualifies, or
    as people ("the Dutch said", "les Français"); "la version française" is the language."""
    if form.name:
        return True
    if form.tongue and before in demonyms.LANGUAGE_NOUNS:
        return False
    if not form.beside_head:
        return True
    if before in demonyms.HEADS_ES or before in demonyms.HEADS_FR or after in demonyms.HEADS_EN:
        return True
    if after == "high":
        return True
    if form.language == "fr" and written[:1].isupper() and before in demonyms.PEOPLE_AFTER_FR:
        return True
    return before == "the" and after in demonyms.VERBS_EN


def _prefix(folded: str, pos: int) -> str:
    """The word a hyphen joins before ``pos`` ("latino" in "latino-américain"), or ""."""
    if pos == 0 or folded[pos - 1] != "-":
        return ""
    start = pos - 1
    while start > 0 and folded[start - 1].isalpha():
        start -= 1
    return folded[start : pos - 1]


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
    language: str = "en"  # the minutes' language, for the neutral words

    @property
    def before(self) -> str:
        return self.text[max(0, self.hit.start - 60) : self.hit.start]

    @property
    def after(self) -> str:
        return self.text[self.hit.end : self.hit.end + 60]

    @functools.cached_property
    def words(self) -> str:
        """The neutral words the editor offers for this hit."""
        return wording.suggest(self.text, self.hit, self.language)

    @functools.cached_property
    def replacement(self) -> wording.Replacement:
        """Where the words go and how they read there, for the preview."""
        return wording.fit(self.text, self.hit, self.words, self.language)

    @property
    def replaced_before(self) -> str:
        return self.text[max(0, self.replacement.start - 60) : self.replacement.start]

    @property
    def replaced_after(self) -> str:
        return self.text[self.replacement.end : self.replacement.end + 60]


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
    terms = roster_matcher()
    language = minutes.working_group.default_language
    resolved = set(LeakResolution.objects.filter(minutes=minutes).values_list("target", "term"))
    findings = []
    for target, text in texts(minutes):
        for hit in scan_text(text, target, terms):
            if (target, hit.term) not in resolved:
                findings.append(Finding(hit, text, language))
    return findings
