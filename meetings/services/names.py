"""Which words of a person's or an institution's name identify them alone, for the leak
detection (``meetings.services.leaks``).

A person is named by their full name, any two or more of its words in a row ("Rosa Quispe",
"Quispe Huamán"), the first name with the first surname, and any one word of it that is not an
ordinary word: "Patricia" and "Tremblay" alone say who spoke, "Rosa" and "Flores" alone mostly
mean a rose and flowers. An institution is named by its name, short name and other names, and
by the parts its name is made of ("Las Bambas – MMG", "IDEH-PUCP", "… (PUCP)"), its initials
when they make an acronym, and the one word by which a unique public office is known
("Defensoría" for the Defensoría del Pueblo).
"""

from __future__ import annotations

import re

from meetings.services.folding import fold, wordset

#: Surnames that are also ordinary Spanish or English words ("Flores", flowers; "Paz", peace):
#: alone they would flag half the minutes, so they are matched only with the first name, or
#: paired with the other surname.
ORDINARY_WORDS = wordset("""flores torres rojas paz leon campos rios castro soto vera cruz reyes santos ramos mercado
    prado delgado cueva salinas morales medina rosales luna sierra vega montes peña pena guerra
    calderon valle fuentes bravo blanco moreno rubio nieto paredes barrios iglesias cortes mora
    roca pinto costa leal real franco bueno alegre calvo gallo conde pastor caballero palma
    serrano lima rey mas lee cano
    king smith brown green white young black law power price hall wood stone bell hill long
    little may march rose hope ward page west north south east gray grey fox rice bishop baker
    cook mason hunter chase dean""")

#: First names that are also ordinary words: "Pilar" is the pillar of every minutes of this
#: portal, "Luz" and "Paz" are in "a la luz de" and "la paz social", "Amparo" is a legal
#: remedy, "Will" and "May" are verbs. Alone they are not a hit; with a surname they are.
ORDINARY_FIRST_NAMES = wordset("""rosa luz cruz pilar mercedes dolores angel angeles soledad consuelo amparo socorro
    remedios milagros rosario esperanza victoria gloria aurora estrella perla violeta margarita
    azucena flor sol mar paz fe caridad trinidad concepcion asuncion guadalupe natividad
    salvador jesus domingo justo modesto clemente severo benigno fidel amado bienvenido
    armando celeste serena constancia prudencia libertad alba blanca clara reyes santos
    ama
    will mark grace hope faith joy rose may june april august bill frank guy pat sue rob art
    chase dean earnest major prince page hunter mason summer dawn amber ruby iris lily penny
    sunny rich don sky star autumn winter christian max ray gene miles sterling drew lane carol
    noel german""")

#: Titles before a name, dropped from it: "Dra. Elena Villanueva" is Elena Villanueva, and
#: "Mme Aline Ilunga" Aline Ilunga (else "Mme" alone would name her).
HONORIFICS = wordset(
    "dr dra sr sra srta don dona ing lic mg mag prof mr mrs ms miss sir dame hon m mme mlle me pr"
)
#: Words inside names that mean nothing alone ("Pieter de Vries", "María de la Cruz").
PARTICLES = wordset("de del la las los y e da das do dos di du van von der den ter ten le")

#: Words an institution's initials leave out.
_LINKS = PARTICLES | wordset("of and for the on in")

#: The first word of a unique public office's name, by which it is known alone.
OFFICE_HEADS = wordset("defensoria contraloria procuraduria fiscalia ombudsman superintendencia")


def without_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and fold(words[0]).strip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def person_terms(name: str) -> list[str]:
    """The words that name a person: the full name, every run of two or more of its words,
    the first name with the first surname, and each word that is distinctive alone."""
    tokens = without_titles(name).split()
    if not tokens or "@" in name:
        return [name]
    terms = [" ".join(tokens)]
    for size in range(2, len(tokens)):
        for i in range(len(tokens) - size + 1):
            run = tokens[i : i + size]
            if fold(run[0]) not in PARTICLES and fold(run[-1]) not in PARTICLES:
                terms.append(" ".join(run))
    if len(tokens) >= 4:
        terms.append(f"{tokens[0]} {tokens[-2]}")
    for token in tokens:
        if distinctive(token):
            terms.append(token)
    return terms


def distinctive(token: str) -> bool:
    """One word of a name that identifies its bearer alone: three letters or more, no
    particle, and not an ordinary word in Spanish or English. A compound first name or
    surname ("Jean-Pierre", "N'Diaye") is one word."""
    folded = fold(token).strip(".")
    return (
        len(folded) >= 3
        and _COMPOUND.sub("", folded).isalpha()
        and folded not in PARTICLES
        and folded not in ORDINARY_WORDS
        and folded not in ORDINARY_FIRST_NAMES
    )


_COMPOUND = re.compile(r"(?<=\w)[-'’](?=\w)")


def is_acronym(alias: str) -> bool:
    """Matched as written: "SER" the institution, not "ser" the verb. Longer acronyms are
    no word of either language and are matched in any case."""
    return alias.isupper() and len(alias.replace(" ", "").replace(".", "")) <= 4


_DASHES = re.compile(r"\s+[–—-]\s+")
_PARENTHESIS = re.compile(r"\(([^()]+)\)")
_HYPHENATED_ACRONYM = re.compile(r"[A-ZÁÉÍÓÚÑ0-9]+(?:-[A-ZÁÉÍÓÚÑ0-9]+)+")


def institution_terms(name: str, short_name: str, aliases: tuple | list) -> list[str]:
    """The names of an institution and the parts they are made of."""
    result: dict[str, None] = {}
    for alias in (name, short_name, *aliases):
        if not alias or not alias.strip():
            continue
        result[alias] = None
        bare = _PARENTHESIS.sub(" ", alias).strip()
        for inner in _PARENTHESIS.findall(alias):
            result[inner.strip()] = None
        result[bare] = None
        for part in _DASHES.split(bare):
            result[part.strip()] = None
            if _HYPHENATED_ACRONYM.fullmatch(part.strip()):
                for piece in part.strip().split("-"):
                    if len(piece) >= 3:
                        result[piece] = None
        words = bare.split()
        if len(words) > 1 and fold(words[0]) in OFFICE_HEADS:
            result[words[0]] = None
        initials = _initials(_DASHES.split(bare)[0])
        if initials:
            result[initials] = None
    return [r for r in result if r]


def _initials(name: str) -> str:
    """ "Pontificia Universidad Católica del Perú" → "PUCP": three or four, matched as written."""
    words = [w for w in name.split() if fold(w) not in _LINKS and w[:1].isalpha()]
    if not 3 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(fold(w[0]).upper() for w in words)


def guest_sector(organisation: str) -> str:
    """A guest's organisation has no kind on record: a public office is one, else any."""
    first = organisation.split()[0] if organisation.split() else ""
    return "national_government" if fold(first) in OFFICE_HEADS else "other"
