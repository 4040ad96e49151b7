"""Is this institution already in the group? Names are compared as people write them: without
accents, case, punctuation or legal suffixes ("Compañía Minera Antamina S.A." is "compania
minera antamina"), and an acronym given as the short name, or written as the name, matches an
institution's short name or the initials of its name ("SUCAMEC").

It was caught only at the Coordination Group's decision, by exact name, and the application
stayed stuck; now the applicant is warned at submission and the Secretariat at screening."""

from __future__ import annotations

import re
import unicodedata

from members.models import Institution

#: Legal forms dropped before comparing (Peru, Colombia, Ghana, Europe, North America).
LEGAL_SUFFIXES = frozenset(
    [
        "sa",
        "saa",
        "sac",
        "srl",
        "eirl",
        "sas",
        "ltda",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "corp",
        "corporation",
        "co",
        "company",
        "cia",
        "spa",
        "bv",
        "nv",
    ]
)
WORD = re.compile(r"[a-z0-9]+")
#: Words that say what an institution is, not which: a name made of them alone matches nothing.
GENERIC = frozenset(
    [
        "compania",
        "minera",
        "mining",
        "company",
        "empresa",
        "grupo",
        "group",
        "ministerio",
        "ministry",
        "embajada",
        "embassy",
        "gobierno",
        "government",
        "universidad",
        "university",
        "instituto",
        "institute",
        "asociacion",
        "association",
        "fundacion",
        "foundation",
        "red",
        "network",
        "centro",
        "center",
        "centre",
        "nacional",
        "national",
        "peru",
    ]
)
#: Words left out of an acronym ("Pontificia Universidad Católica del Perú" is PUCP).
LINK_WORDS = frozenset(["de", "del", "la", "las", "los", "el", "y", "e", "of", "the", "and", "for"])


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(name: str) -> str:
    """The comparable form of a name: folded words, legal suffixes and "the" dropped."""
    words = WORD.findall(_fold(name).replace(".", ""))
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(w for w in words if w not in {"the"})


def initials(name: str) -> str:
    return "".join(w[0] for w in WORD.findall(_fold(name)) if w not in LINK_WORDS)


def find(name: str, short_name: str = "", *, active_only: bool = False) -> Institution | None:
    """An institution of the current group that is probably the same (one query).
    ``active_only``: among those taking part now (what the public form may hint at)."""
    wanted = key(name)
    acronyms = {a for a in (key(short_name).replace(" ", ""), wanted.replace(" ", "")) if a}
    if not wanted:
        return None
    candidates = Institution.objects.only("pk", "name", "short_name", "standing")
    if active_only:
        candidates = candidates.filter(standing=Institution.Standing.ACTIVE)
    for institution in candidates:
        theirs_key = key(institution.name)
        if theirs_key == wanted:
            return institution
        words, their_words = set(wanted.split()), set(theirs_key.split())
        if words <= their_words and words - GENERIC - LINK_WORDS:
            return institution  # "Antamina" for "Compañía Minera Antamina S.A."
        theirs = {
            a
            for a in (
                key(institution.short_name).replace(" ", ""),
                initials(institution.name) if len(initials(institution.name)) >= 3 else "",
            )
            if a
        }
        if short_name and theirs & acronyms:
            return institution
        if len(wanted.split()) == 1 and wanted in theirs:  # the name is an acronym
            return institution
    return None


def same_name(name: str) -> Institution | None:
    """An institution whose name is the same once folded: never admitted twice."""
    wanted = key(name)
    return next((i for i in Institution.objects.only("pk", "name") if key(i.name) == wanted), None)
