"""Neutral words for what the leak detection found, fitted into the sentence so that it stays
grammatical in the minutes' language.

Replacing "Embajada de Canadá" in "la Embajada de Canadá propuso" with "una embajada" gave
"la una embajada propuso"; at the start of a sentence the replacement began in lower case.
The rules here are those a careful editor applies:

* neutral words that begin with an article stand for the whole noun phrase, so they take the
  place of the article before the name ("la", "the"), of a title ("la señora", "Ms", "el Dr.")
  and, for a demonym, of the institution it qualifies ("la embajada canadiense", "the Canadian
  embassy" → "una embajada", "an embassy");
* Spanish contractions are undone and made: "del Ministerio" → "de una entidad pública",
  "de" + "el participante" → "del participante"; English "a"/"an" agrees with what follows;
* a replacement at the start of a sentence starts with a capital, one inside it with the
  article in lower case.

The neutral words are in the minutes' language (the group's), not the reader's: they are part
of the text of the minutes, like the demonyms they replace (``meetings.services.demonyms``),
and the grammar that fits them is written for Spanish and English, the languages the portal
has. They are data for these rules, not interface text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetings.services import demonyms
from meetings.services.folding import fold, word_after, word_before, wordset
from meetings.services.names import PARTICLES

if TYPE_CHECKING:
    from meetings.services.leaks import Hit

#: The neutral words, by what the hit is: singular and plural.
PHRASES: dict[str, dict[str, tuple[str, str]]] = {
    "es": {
        "person": ("un participante", "algunos participantes"),
        "company": ("una empresa", "algunas empresas"),
        "national_government": ("una entidad pública", "algunas entidades públicas"),
        "foreign_government": ("una embajada", "algunas embajadas"),
        "embassy": ("una embajada", "algunas embajadas"),
        "government": ("un gobierno extranjero", "algunos gobiernos extranjeros"),
        "ngo_academic": (
            "una organización de la sociedad civil",
            "algunas organizaciones de la sociedad civil",
        ),
        "international_organisation": (
            "un organismo internacional",
            "algunos organismos internacionales",
        ),
        "other": ("una institución", "algunas instituciones"),
    },
    "en": {
        "person": ("a participant", "some participants"),
        "company": ("a company", "some companies"),
        "national_government": ("a government body", "some government bodies"),
        "foreign_government": ("an embassy", "some embassies"),
        "embassy": ("an embassy", "some embassies"),
        "government": ("a foreign government", "some foreign governments"),
        "ngo_academic": ("a civil society organisation", "some civil society organisations"),
        "international_organisation": (
            "an international organisation",
            "some international organisations",
        ),
        "other": ("an institution", "some institutions"),
    },
}
#: A demonym that qualifies something other than an institution: "las empresas canadienses"
#: → "las empresas extranjeras", "Canadian companies" → "foreign companies".
FOREIGN = {
    ("m", "s"): "extranjero",
    ("f", "s"): "extranjera",
    ("m", "p"): "extranjeros",
    ("f", "p"): "extranjeras",
}
FOREIGN_EN = "foreign"
#: What e-mail addresses and telephone numbers are replaced with by default.
PLACEHOLDER = "[…]"

DETERMINERS = {
    "es": wordset("el la los las un una unos unas algunos algunas este esta estos estas"),
    "en": wordset("the a an some this these"),
}
FEMININE_ES = wordset("la las una unas esta estas")
MASCULINE_ES = wordset("el los un unos este estos del al")
#: Titles before a name, in either language (folded, without the full stop).
TITLES = wordset(
    "senor senora senorita sr sra srta don dona doctor doctora dr dra ingeniero ingeniera ing "
    "licenciado licenciada lic magister mg mag profesor profesora prof embajador embajadora "
    "ministro ministra viceministro viceministra coronel comandante general colega "
    "mr mrs ms miss sir dame professor ambassador minister colonel commander colleague"
)
#: Abbreviations after which a full stop does not end the sentence.
ABBREVIATIONS = TITLES | wordset("p ej etc av vs no nro approx")


def _language(language: str) -> str:
    return "es" if language.lower().startswith("es") else "en"


@dataclass(frozen=True)
class Replacement:
    """The span of the text to replace (it may reach past the hit) and the words to put there."""

    start: int
    end: int
    words: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.words + text[self.end :]


def suggest(text: str, hit: Hit, language: str) -> str:
    """The neutral words for a hit, before fitting: what the editor offers to type."""
    lang = _language(language)
    phrases = PHRASES[lang]
    if hit.kind == "person":
        return phrases["person"][0]
    if hit.kind != "institution":
        return PLACEHOLDER
    if hit.form is None:
        return phrases.get(hit.sector, phrases["other"])[0]
    folded = fold(text)
    head = _head(folded, hit.start, hit.end, lang, hit.form)
    if head is not None and head[1][0] != "other":
        kind, number = head[1]
        return phrases[kind][number == "p"]
    if hit.form.name:
        return phrases.get(hit.sector, phrases["other"])[0]
    before = word_before(folded, hit.start)
    after = word_after(folded, hit.end)
    plural = hit.form.number == "p"
    if lang == "es":
        if head is None and before is not None and before.word in DETERMINERS["es"]:
            return phrases["person"][plural]  # "los canadienses", people of the country
        return FOREIGN[(hit.form.gender or _gender_before(folded, hit.start), hit.form.number)]
    if hit.form.people or (
        before is not None
        and before.word == "the"
        and (after is None or after.word in demonyms.VERBS_EN)
        and head is None
    ):
        return phrases["person"][plural or not hit.form.people]
    return FOREIGN_EN


def _head(
    folded: str, start: int, end: int, lang: str, form: demonyms.Form
) -> tuple[tuple[int, int], tuple] | None:
    """The institution or person a demonym qualifies, with the span the pair covers."""
    if form.name:
        return _head_of(folded, start, end, lang)
    if lang == "es":
        before = word_before(folded, start)
        if before is not None and not before.dotted and before.word in demonyms.HEADS_ES:
            return (before.start, end), demonyms.HEADS_ES[before.word]
        return None
    after = word_after(folded, end)
    if after is None:
        return None
    second = word_after(folded, after.end)
    if second is not None and (after.word, second.word) in demonyms.HEADS_EN_PAIRS:
        return (start, second.end), demonyms.HEADS_EN_PAIRS[(after.word, second.word)]
    if after.word in demonyms.HEADS_EN:
        return (start, after.end), demonyms.HEADS_EN[after.word]
    return None


def _head_of(folded: str, start: int, end: int, lang: str) -> tuple[tuple[int, int], tuple] | None:
    """ "la Embajada de Canadá", "the Government of the Netherlands": the institution a
    country's name follows, with the span from it to the name."""
    link = word_before(folded, start)
    if link is not None and link.word in ("the", "el", "la", "los", "las"):
        link = word_before(folded, link.start)
    if link is None or link.dotted or link.word not in ("of", "de", "del"):
        return None
    head = word_before(folded, link.start)
    if head is None or head.dotted:
        return None
    heads = demonyms.HEADS_ES if lang == "es" else demonyms.HEADS_EN
    if head.word in heads:
        return (head.start, end), heads[head.word]
    if head.word == "commission":
        high = word_before(folded, head.start)
        return (high.start if high and high.word == "high" else head.start, end), ("embassy", "s")
    return None


def _gender_before(folded: str, pos: int) -> str:
    """The gender of the noun before an adjective with one form for both ("la empresa
    canadiense"): from that noun's article, else from its ending."""
    noun = word_before(folded, pos)
    if noun is None:
        return "m"
    article = word_before(folded, noun.start)
    if article is not None and article.word in FEMININE_ES:
        return "f"
    if article is not None and article.word in MASCULINE_ES:
        return "m"
    return "f" if noun.word.endswith(("a", "as", "ion", "iones", "dad", "dades")) else "m"


def fit(text: str, hit: Hit, words: str, language: str, *, start: int | None = None) -> Replacement:
    """Where and how ``words`` replace the hit so that the sentence stays grammatical."""
    lang = _language(language)
    folded = fold(text)
    words = " ".join(words.split())
    start = hit.start if start is None else start
    end = start + (hit.end - hit.start)
    lead = fold(words.split(" ", 1)[0]) if words else ""
    if lead in DETERMINERS[lang]:
        # The words are a noun phrase: they take the place of the whole one around the hit.
        if hit.kind == "person":
            start = _over_titles(text, folded, start)
        if hit.form is not None:
            head = _head(folded, start, end, lang, hit.form)
            if head is not None:
                start, end = head[0]
        start, words = _over_article(folded, start, words, lang)
    if lang == "es":
        start, words = _contract(folded, start, words)
    else:
        start, words = _a_or_an(text, folded, start, words)
    if _sentence_starts(text, folded, start):
        words = words[:1].upper() + words[1:]
    elif fold(words.split(" ", 1)[0]) in DETERMINERS[lang] and words[:1].isupper():
        words = words[:1].lower() + words[1:]
    return Replacement(start, end, words)


def _over_titles(text: str, folded: str, start: int) -> int:
    """Back over "la señora", "el Dr.", "Ms" (and a name's own "de" after a title)."""
    while (before := word_before(folded, start)) is not None:
        if before.word in TITLES:
            start = before.start
        elif before.word in PARTICLES and not before.dotted:
            title = word_before(folded, before.start)
            if title is None or title.word not in TITLES:
                return start
            start = title.start
        else:
            return start
    return start


def _over_article(folded: str, start: int, words: str, lang: str) -> tuple[int, str]:
    before = word_before(folded, start)
    if before is None or before.dotted:
        return start, words
    if before.word in DETERMINERS[lang]:
        return before.start, words
    if lang == "es" and before.word in ("del", "al"):
        return before.start, f"{'de' if before.word == 'del' else 'a'} {words}"
    return start, words


def _contract(folded: str, start: int, words: str) -> tuple[int, str]:
    """ "de el" → "del", "a el" → "al"."""
    before = word_before(folded, start)
    if before is None or before.dotted or before.word not in ("de", "a"):
        return start, words
    if fold(words).startswith("el "):
        return before.start, f"{'del' if before.word == 'de' else 'al'} {words[3:]}"
    return start, words


def _a_or_an(text: str, folded: str, start: int, words: str) -> tuple[int, str]:
    """An "a" or "an" left before the words agrees with them."""
    before = word_before(folded, start)
    if before is None or before.dotted or before.word not in ("a", "an") or not words:
        return start, words
    wanted = "an" if _vowel_sound(fold(words)) else "a"
    if wanted == before.word:
        return start, words
    written = text[before.start : before.end]
    article = wanted.capitalize() if written[:1].isupper() else wanted
    return before.start, article + text[before.end : start] + words


def _vowel_sound(words: str) -> bool:
    if words.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return False
    return words[:1] in "aeiou" or words.startswith(("hour", "honest", "honour"))


def _sentence_starts(text: str, folded: str, pos: int) -> bool:
    """Whether ``pos`` begins a sentence: the text's start, a new line or list item, or after
    a full stop, question or exclamation mark that is not an abbreviation's."""
    index = pos
    while index > 0 and (text[index - 1] in " \t\"'“‘«(¿¡-–—•*"):
        index -= 1
    if index == 0 or text[index - 1] == "\n":
        return True
    if text[index - 1] in "!?…":
        return True
    if text[index - 1] != ".":
        return False
    word = _word_ending_at(folded, index - 1)
    return word not in ABBREVIATIONS and not (len(word) == 1 and word.isalpha())


def _word_ending_at(folded: str, pos: int) -> str:
    start = pos
    while start > 0 and folded[start - 1].isalnum():
        start -= 1
    return folded[start:pos]
