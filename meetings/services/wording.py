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
  French contractions are undone and elisions made: "du Canada", "de l'ambassade canadienne"
  → "d'une ambassade", "que la France" → "qu'une ambassade", "des Canadiens" → "de certains
  participants" (and "de" + "des participants" → "de participants");
* a replacement at the start of a sentence starts with a capital, one inside it with the
  article in lower case.

The neutral words are in the minutes' language (the group's), not the reader's: they are part
of the text of the minutes, like the demonyms they replace (``meetings.services.demonyms``),
and the grammar that fits them is written for Spanish, English and French, the languages the
portal has. They are data for these rules, not interface text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetings.services import demonyms
from meetings.services.folding import (
    Word,
    fold,
    word_after,
    word_before,
    word_or_elision_before,
    wordset,
)
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
    # "certains", as "algunos" and "some": "de certains participants" needs no rule, where
    # "des participants" after "de" becomes "de participants" (``_join``).
    "fr": {
        "person": ("un participant", "certains participants"),
        "company": ("une entreprise", "certaines entreprises"),
        "national_government": ("un organisme public", "certains organismes publics"),
        "foreign_government": ("une ambassade", "certaines ambassades"),
        "embassy": ("une ambassade", "certaines ambassades"),
        "government": ("un gouvernement étranger", "certains gouvernements étrangers"),
        "ngo_academic": (
            "une organisation de la société civile",
            "certaines organisations de la société civile",
        ),
        "international_organisation": (
            "une organisation internationale",
            "certaines organisations internationales",
        ),
        "other": ("une institution", "certaines institutions"),
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
FOREIGN_FR = {
    ("m", "s"): "étranger",
    ("f", "s"): "étrangère",
    ("m", "p"): "étrangers",
    ("f", "p"): "étrangères",
}
#: What e-mail addresses and telephone numbers are replaced with by default.
PLACEHOLDER = "[…]"

DETERMINERS = {
    "es": wordset("el la los las un una unos unas algunos algunas este esta estos estas"),
    "en": wordset("the a an some this these"),
    "fr": wordset("le la les un une des ce cet cette ces certains certaines quelques plusieurs"),
}
FEMININE_ES = wordset("la las una unas esta estas")
MASCULINE_ES = wordset("el los un unos este estos del al")
FEMININE_FR = wordset("la une cette certaines sa ma ta")
MASCULINE_FR = wordset("le un ce cet du au certains son mon ton")
PLURAL_FR = wordset("les des ces aux certains certaines quelques plusieurs leurs nos vos ses mes")
SINGULAR_FR = wordset("le la l un une ce cet cette du au son sa mon ma notre votre leur")
#: Feminine nouns an elided "l'" hides the gender of, and the endings of most others.
FEMININE_NOUNS_FR = wordset("aide ong equipe ecole approche entente enquete idee")
FEMININE_ENDINGS_FR = (
    *("tion", "tions", "sion", "sions", "ure", "ures", "ence", "ences", "ance", "ances"),
    *("ie", "ies", "ee", "ees", "ade", "ades", "ise", "ises", "elle", "elles", "ette", "ettes"),
    *("ite", "ites", "ete", "etes", "aute", "autes", "iere", "ieres", "ique", "iques"),
)
#: Words after which "des" is the article ("avec des délégués"), not "de" + "les" ("l'avis
#: des Canadiens"): the prepositions without "de", conjunctions, the commonest verbs.
INDEFINITE_AFTER_FR = wordset(
    "avec par pour sans selon entre chez contre envers parmi vers sur sous dans et ou mais que "
    "qu si comme a ont avait avaient aura auront sont est etait etaient sera seront"
)
#: Words that lose their vowel before one: "de une" → "d'une", "que une" → "qu'une".
ELIDING_FR = wordset("de que jusque lorsque puisque")
ELIDED_FR = wordset("d qu jusqu lorsqu puisqu")
#: Titles before a name, in any of the languages (folded, without the full stop).
TITLES = wordset(
    "senor senora senorita sr sra srta don dona doctor doctora dr dra ingeniero ingeniera ing "
    "licenciado licenciada lic magister mg mag profesor profesora prof embajador embajadora "
    "ministro ministra viceministro viceministra coronel comandante general colega "
    "mr mrs ms miss sir dame professor ambassador minister colonel commander colleague "
    "monsieur madame mademoiselle mme mlle maitre docteur docteure professeur "
    "professeure ingenieur ambassadeur ambassadrice ministre commandant capitaine commissaire "
    "collegue"
)
#: Titles matched as written: "Me" (maître, a lawyer) before a name, "me" is a pronoun; "M.",
#: "MM." and "Pr" (monsieur, messieurs, professeur), never the "m." of "20 m." or "5 p.m.".
CASED_TITLES = frozenset({"Me", "M", "MM", "Pr"})
#: Abbreviations after which a full stop does not end the sentence.
ABBREVIATIONS = TITLES | wordset("m mm pr p ej etc av vs no nro approx cf ex art env")
#: Where a demonym's institution stands: before it in Spanish and French ("la embajada
#: canadiense", "l'ambassade canadienne"). French minutes may quote Spanish: its words count.
HEADS_BEFORE = {"es": demonyms.HEADS_ES, "fr": {**demonyms.HEADS_ES, **demonyms.HEADS_FR}}


def _language(language: str) -> str:
    code = language.lower()[:2]
    return code if code in ("es", "fr") else "en"


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
    form = hit.form(lang)
    if form is None:
        return phrases.get(hit.sector, phrases["other"])[0]
    folded = fold(text)
    head = _head(folded, hit.start, hit.end, lang, form)
    if head is not None and head[1][0] != "other":
        kind, number = head[1]
        return phrases[kind][number == "p"]
    before = _word_before(folded, hit.start, lang)
    if form.name:
        if lang == "fr" and before is not None and before.word in ("un", "une"):
            return phrases["person"][0]  # "un Suisse": one of its people, not the country
        return phrases.get(hit.sector, phrases["other"])[0]
    after = word_after(folded, hit.end)
    plural = form.number == "p"
    if lang == "es":
        if head is None and before is not None and before.word in DETERMINERS["es"]:
            return phrases["person"][plural]  # "los canadienses", people of the country
        # A French form in Spanish minutes ("irlandais") may carry no number: singular.
        return FOREIGN[(form.gender or _gender_before(folded, hit.start), form.number or "s")]
    if lang == "fr":
        number = form.number or _number_fr(folded, hit.start)
        if form.people or (
            head is None
            and before is not None
            and not before.dotted
            and before.word in demonyms.PEOPLE_AFTER_FR
        ):
            return phrases["person"][number == "p"]  # "les Canadiens", "un Néerlandais"
        return FOREIGN_FR[(form.gender or _gender_fr(folded, hit.start), number)]
    if form.people or (
        before is not None
        and before.word == "the"
        and (after is None or after.word in demonyms.VERBS_EN)
        and head is None
    ):
        return phrases["person"][plural or not form.people]
    return FOREIGN_EN


def _word_before(folded: str, pos: int, lang: str) -> Word | None:
    """French elides its articles and "de" onto the next word: "l'ambassade", "d'Italie"."""
    return word_or_elision_before(folded, pos) if lang == "fr" else word_before(folded, pos)


def _head(
    folded: str, start: int, end: int, lang: str, form: demonyms.Form
) -> tuple[tuple[int, int], tuple] | None:
    """The institution or person a demonym qualifies, with the span the pair covers."""
    if form.name:
        return _head_of(folded, start, end, lang)
    if lang in HEADS_BEFORE:
        heads = HEADS_BEFORE[lang]
        before = _word_before(folded, start, lang)
        if before is not None and not before.dotted and not before.elided and before.word in heads:
            return (_haut(folded, before), end), heads[before.word]
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


#: The article between an institution and its country's name ("the Government of the
#: Netherlands", "la Embajada de los Países Bajos", "l'ambassade de la Suisse") and the word
#: that links them ("of", "de", "du", "d'").
_ARTICLES = {
    "fr": wordset("le la les l el los las"),
    "": wordset("the el la los las"),
}
_LINKS = {"fr": wordset("de du des d del"), "": wordset("of de del")}


def _head_of(folded: str, start: int, end: int, lang: str) -> tuple[tuple[int, int], tuple] | None:
    """ "la Embajada de Canadá", "the Government of the Netherlands", "l'ambassade du
    Canada": the institution a country's name follows, with the span from it to the name."""
    key = "fr" if lang == "fr" else ""
    link = _word_before(folded, start, lang)
    if link is not None and link.word in _ARTICLES[key]:
        link = _word_before(folded, link.start, lang)
    if link is None or link.dotted or link.word not in _LINKS[key]:
        return None
    head = _word_before(folded, link.start, lang)
    if head is None or head.dotted:
        return None
    heads = HEADS_BEFORE.get(lang, demonyms.HEADS_EN)
    if head.word in heads:
        return (_haut(folded, head), end), heads[head.word]
    if head.word == "commission":
        high = word_before(folded, head.start)
        return (high.start if high and high.word == "high" else head.start, end), ("embassy", "s")
    return None


def _haut(folded: str, head: Word) -> int:
    """Where a head begins: "le Haut-Commissariat" from "haut"."""
    if head.word == "commissariat" and folded[max(0, head.start - 5) : head.start] == "haut-":
        return head.start - 5
    return head.start


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


def _gender_fr(folded: str, pos: int) -> str:
    """The gender of the noun before a French adjective with one form for both ("la
    coopération suisse", "l'entreprise belge"): from its article, else from the noun."""
    noun = word_or_elision_before(folded, pos)
    if noun is None:
        return "m"
    article = word_or_elision_before(folded, noun.start)
    if article is not None and article.word in FEMININE_FR:
        return "f"
    if article is not None and article.word in MASCULINE_FR:
        return "m"
    word = noun.word
    return "f" if word in FEMININE_NOUNS_FR or word.endswith(FEMININE_ENDINGS_FR) else "m"


def _number_fr(folded: str, pos: int) -> str:
    """The number of a French demonym with one form for both ("les Français", "le droit
    français"): from the article before it or before its noun, else from the noun."""
    before = word_or_elision_before(folded, pos)
    if before is None:
        return "s"
    word: Word | None = before
    for _unused in range(2):
        if word is None:
            break
        if word.word in PLURAL_FR:
            return "p"
        if word.word in SINGULAR_FR:
            return "s"
        word = word_or_elision_before(folded, word.start)
    return "p" if before.word.endswith(("s", "x")) else "s"


def fit(text: str, hit: Hit, words: str, language: str, *, start: int | None = None) -> Replacement:
    """Where and how ``words`` replace the hit so that the sentence stays grammatical."""
    lang = _language(language)
    folded = fold(text)
    words = " ".join(words.split())
    start = hit.start if start is None else start
    end = start + (hit.end - hit.start)
    lead = fold(words.split(" ", 1)[0]) if words else ""
    form = hit.form(lang)
    if lead in DETERMINERS[lang]:
        # The words are a noun phrase: they take the place of the whole one around the hit.
        if hit.kind == "person":
            start = _over_titles(text, folded, start)
        if form is not None:
            head = _head(folded, start, end, lang, form)
            if head is not None:
                start, end = head[0]
        if lang == "fr":
            start, words = _over_article_fr(folded, start, words)
        else:
            start, words = _over_article(folded, start, words, lang)
    if lang == "es":
        start, words = _contract(folded, start, words)
    elif lang == "fr":
        if lead in DETERMINERS["fr"] and words[:1].isupper():
            words = words[:1].lower() + words[1:]
        start, words = _elide(text, folded, start, words)
    else:
        start, words = _a_or_an(text, folded, start, words)
    if _sentence_starts(text, folded, start):
        words = words[:1].upper() + words[1:]
    elif fold(words.split(" ", 1)[0]) in DETERMINERS[lang] and words[:1].isupper():
        words = words[:1].lower() + words[1:]
    return Replacement(start, end, words)


def _after_a_figure(folded: str, word) -> bool:
    """ "20 M." or "5 P.M.": a unit or the end of an hour, not a title (the character before
    is a figure, or the full stop of an abbreviation's first part)."""
    before = folded[: word.start].rstrip()
    return bool(before) and (before[-1].isdigit() or before[-1] == ".")


def _is_title(text: str, folded: str, word) -> bool:
    return word.word in TITLES or (
        text[word.start : word.end] in CASED_TITLES and not _after_a_figure(folded, word)
    )


def _over_titles(text: str, folded: str, start: int) -> int:
    """Back over "la señora", "el Dr.", "Ms", "Mme la ministre", "Me" (and a name's own "de"
    after a title)."""
    while (before := word_before(folded, start)) is not None:
        if _is_title(text, folded, before):
            start = before.start
        elif before.word in PARTICLES and not before.dotted:
            title = word_before(folded, before.start)
            if title is None or not _is_title(text, folded, title):
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


def _over_article_fr(folded: str, start: int, words: str) -> tuple[int, str]:
    """Back over the article, elided or not, and undo a contraction: "du Canada" → "de" +
    the words, "aux Canadiens" → "à" + the words."""
    before = word_or_elision_before(folded, start)
    if before is None or before.dotted:
        return start, words
    if before.elided:
        return (before.start, words) if before.word == "l" else (start, words)
    if before.word == "du" or (before.word == "des" and _contracted(folded, before)):
        return before.start, f"de {words}"
    if before.word in ("au", "aux"):
        return before.start, f"à {words}"
    if before.word in DETERMINERS["fr"]:
        return before.start, words
    return start, words


def _contracted(folded: str, des: Word) -> bool:
    """Whether "des" is "de" + "les" ("la position des États-Unis"), not the plural of "un"
    ("Des Canadiens ont insisté", "avec des délégués")."""
    before = word_before(folded, des.start)
    return before is not None and not before.dotted and before.word not in INDEFINITE_AFTER_FR


def _elide(text: str, folded: str, start: int, words: str) -> tuple[int, str]:
    """ "de une" → "d'une", "que une" → "qu'une", "de des" → "de"; an elided "d'" or "qu'"
    before words that begin with a consonant is written out again."""
    apostrophe = "’" if "’" in text and "'" not in text else "'"
    first, _space, rest = words.partition(" ")
    if rest and (joined := _join(first, rest, apostrophe)) is not None:
        words = joined
    before = word_or_elision_before(folded, start)
    if before is None or before.dotted or not words:
        return start, words
    written = text[before.start : before.end]
    if before.elided:
        if before.word in ELIDED_FR and not _vowel_fr(fold(words)):
            return before.start, f"{written}e {words}"
        return start, words
    joined = _join(written, words, apostrophe)
    return (before.start, joined) if joined is not None else (start, words)


def _join(first: str, rest: str, apostrophe: str) -> str | None:
    """A French word and the phrase after it, elided or contracted; None when they stay."""
    folded_first, folded_rest = fold(first), fold(rest)
    if folded_first in ELIDING_FR and _vowel_fr(folded_rest):
        return f"{first[:-1]}{apostrophe}{rest}"
    if folded_first == "de" and folded_rest.startswith("des "):
        return f"{first} {rest[4:]}"
    if first.lower() in ("de", "à") and folded_rest.startswith(("le ", "les ")):
        article, _space, noun = rest.partition(" ")
        if not _vowel_fr(fold(noun)):
            contracted = {
                ("de", "le"): "du",
                ("de", "les"): "des",
                ("à", "le"): "au",
                ("à", "les"): "aux",
            }[(first.lower(), article.lower())]
            if first[:1].isupper():
                contracted = contracted.capitalize()
            return f"{contracted} {noun}"
    return None


def _vowel_fr(words: str) -> bool:
    """Whether folded French words begin with a vowel (an "h" is taken as aspirated)."""
    return words[:1] in ("a", "e", "i", "o", "u", "y")


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
    while index > 0 and (text[index - 1] in " \t\u00a0\u202f\"'“‘«(¿¡-–—•*"):
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
