"""The countries an embassy member may represent, with their names and demonyms in Spanish,
English and French, for the leak detection (``meetings.services.leaks``).

Under the Chatham House Rule "la embajada canadiense propuso" says who spoke as plainly as
"la Embajada de Canadá propuso": when the Embassy of Canada is a member, every form of the
adjective is a name of that member. The table is data, not user interface: it is matched
against the minutes' text, in the languages the minutes are written in (Spanish, English,
French).

Each Spanish and French entry gives the four forms (masculine singular, feminine singular,
masculine plural, feminine plural); each English entry the adjective and the plural nouns for
people (French capitalises the adjective for them: "les Canadiens"). Where a country's
adjective is also the name of its language ("español", "French", "français"), that form is
matched only beside an institution or a person it qualifies ("el gobierno español", "the
Dutch embassy", "le délégué néerlandais"), or as people ("the Dutch said", "les Français"):
"la versión en español" and "la version en français" name no participant.

A word may be a name in one language and an adjective in another ("Argentine": the country in
French, the adjective in English): each form carries its language, and the neutral words are
fitted to the form of the minutes' language (``pick``).
"""

from __future__ import annotations

from dataclasses import dataclass

from meetings.services.folding import fold, wordset


@dataclass(frozen=True)
class Country:
    key: str
    #: Names and abbreviations in Spanish and English; an abbreviation in capitals is matched as
    #: written.
    names: tuple[str, ...]
    #: Spanish (m. sg., f. sg., m. pl., f. pl.), one tuple per adjective ("estadounidense",
    #: "norteamericano").
    es: tuple[tuple[str, str, str, str], ...]
    #: English adjectives ("Canadian").
    en: tuple[str, ...]
    #: English nouns for the country's people, plural or singular ("Canadians", "Swede").
    en_people: tuple[str, ...] = ()
    #: The masculine singular in Spanish and the English adjective are also a language's name.
    language: bool = False
    #: Every form is too general alone ("europeo"): matched beside an institution only.
    general: bool = False
    #: French (m. sg., f. sg., m. pl., f. pl.), one tuple per adjective ("suisse", "helvétique").
    fr: tuple[tuple[str, str, str, str], ...] = ()
    #: French names, without their article: "le Canada", "du Canada" and "de la Suisse" are
    #: fitted by ``meetings.services.wording``.
    fr_names: tuple[str, ...] = ()
    #: French nouns for people that are no form of the adjective ("Suissesse").
    fr_people: tuple[str, ...] = ()


def _o(stem: str) -> tuple[str, str, str, str]:
    """The regular -o/-a adjectives: "suiz" → suizo, suiza, suizos, suizas."""
    return (f"{stem}o", f"{stem}a", f"{stem}os", f"{stem}as")


def _e(word: str) -> tuple[str, str, str, str]:
    """The adjectives in -e or -a with one form per number: canadiense(s), belga(s)."""
    return (word, word, f"{word}s", f"{word}s")


def _es_accented(masculine: str, stem: str) -> tuple[str, str, str, str]:
    """The -és/-án adjectives: "francés", "frances" → francés, francesa, franceses, francesas."""
    return (masculine, f"{stem}a", f"{stem}es", f"{stem}as")


def _fr(masculine: str) -> tuple[str, str, str, str]:
    """French adjectives from the masculine singular: "canadien" → canadien, canadienne,
    canadiens, canadiennes; "suisse" → suisse, suisse, suisses, suisses; "français" →
    français, française, français, françaises."""
    if masculine.endswith("e"):
        return (masculine, masculine, f"{masculine}s", f"{masculine}s")
    if masculine.endswith("s"):
        return (masculine, f"{masculine}e", masculine, f"{masculine}es")
    if masculine.endswith("en"):
        return (masculine, f"{masculine}ne", f"{masculine}s", f"{masculine}nes")
    return (masculine, f"{masculine}e", f"{masculine}s", f"{masculine}es")


COUNTRIES: tuple[Country, ...] = (
    Country(
        "AR",
        ("Argentina", "la Argentina"),
        (_o("argentin"),),
        ("Argentine", "Argentinian"),
        ("Argentines", "Argentinians"),
        fr=(_fr("argentin"),),
        fr_names=("Argentine",),
    ),
    Country(
        "AU",
        ("Australia",),
        (_o("australian"),),
        ("Australian",),
        ("Australians",),
        fr=(_fr("australien"),),
        fr_names=("Australie",),
    ),
    Country(
        "BE",
        ("Bélgica", "Belgium"),
        (_e("belga"),),
        ("Belgian",),
        ("Belgians",),
        fr=(_fr("belge"),),
        fr_names=("Belgique",),
    ),
    Country(
        "BO",
        ("Bolivia",),
        (_o("bolivian"),),
        ("Bolivian",),
        ("Bolivians",),
        fr=(_fr("bolivien"),),
        fr_names=("Bolivie",),
    ),
    Country(
        "BR",
        ("Brasil", "Brazil"),
        (_o("brasileñ"),),
        ("Brazilian",),
        ("Brazilians",),
        fr=(_fr("brésilien"),),
        fr_names=("Brésil",),
    ),
    Country(
        "CA",
        ("Canadá", "Canada"),
        (_e("canadiense"),),
        ("Canadian",),
        ("Canadians",),
        fr=(_fr("canadien"),),
        fr_names=("Canada",),
    ),
    Country(
        "CH",
        ("Suiza", "Switzerland"),
        (_o("suiz"),),
        ("Swiss",),
        fr=(_fr("suisse"), _fr("helvétique")),
        fr_names=("Suisse",),
        fr_people=("Suissesse", "Suissesses"),
    ),
    Country(
        "CL",
        ("Chile",),
        (_o("chilen"),),
        ("Chilean",),
        ("Chileans",),
        fr=(_fr("chilien"),),
        fr_names=("Chili",),
    ),
    Country(
        "CN",
        ("China",),
        (_o("chin"),),
        ("Chinese",),
        (),
        language=True,
        fr=(_fr("chinois"),),
        fr_names=("Chine",),
    ),
    Country(
        "CO",
        ("Colombia",),
        (_o("colombian"),),
        ("Colombian",),
        ("Colombians",),
        fr=(_fr("colombien"),),
        fr_names=("Colombie",),
    ),
    Country(
        "DE",
        ("Alemania", "Germany"),
        (_es_accented("alemán", "aleman"),),
        ("German",),
        ("Germans",),
        language=True,
        fr=(_fr("allemand"),),
        fr_names=("Allemagne",),
    ),
    Country(
        "DK",
        ("Dinamarca", "Denmark"),
        (_es_accented("danés", "danes"),),
        ("Danish",),
        ("Dane", "Danes"),
        language=True,
        fr=(_fr("danois"),),
        fr_names=("Danemark",),
    ),
    Country(
        "EC",
        ("Ecuador",),
        (_o("ecuatorian"),),
        ("Ecuadorian",),
        ("Ecuadorians",),
        fr=(_fr("équatorien"),),
        fr_names=("Équateur",),
    ),
    Country(
        "ES",
        ("España", "Spain"),
        (("español", "española", "españoles", "españolas"),),
        ("Spanish",),
        ("Spaniard", "Spaniards"),
        language=True,
        fr=(_fr("espagnol"),),
        fr_names=("Espagne",),
    ),
    Country(
        "FI",
        ("Finlandia", "Finland"),
        (_es_accented("finlandés", "finlandes"),),
        ("Finnish",),
        ("Finn", "Finns"),
        language=True,
        fr=(_fr("finlandais"),),
        fr_names=("Finlande",),
    ),
    Country(
        "FR",
        ("Francia", "France"),
        (_es_accented("francés", "frances"),),
        ("French",),
        ("Frenchman", "Frenchwoman"),
        language=True,
        fr=(_fr("français"),),
        fr_names=("France",),
    ),
    Country(
        "GB",
        (
            "Reino Unido",
            "Gran Bretaña",
            "United Kingdom",
            "Great Britain",
            "Britain",
        ),
        (_o("británic"),),
        ("British", "UK", "U.K."),
        ("Briton", "Britons"),
        fr=(_fr("britannique"),),
        fr_names=("Royaume-Uni", "Royaume Uni", "Grande-Bretagne", "Grande Bretagne"),
    ),
    Country(
        "GH",
        ("Ghana",),
        (_es_accented("ghanés", "ghanes"),),
        ("Ghanaian",),
        ("Ghanaians",),
        fr=(_fr("ghanéen"),),
        fr_names=("Ghana",),
    ),
    Country(
        "IE",
        ("Irlanda", "Ireland"),
        (_es_accented("irlandés", "irlandes"),),
        ("Irish",),
        ("Irishman", "Irishwoman"),
        fr=(_fr("irlandais"),),
        fr_names=("Irlande",),
    ),
    Country(
        "IT",
        ("Italia", "Italy"),
        (_o("italian"),),
        ("Italian",),
        ("Italians",),
        language=True,
        fr=(_fr("italien"),),
        fr_names=("Italie",),
    ),
    Country(
        "JP",
        ("Japón", "Japan"),
        (_es_accented("japonés", "japones"),),
        ("Japanese",),
        (),
        language=True,
        fr=(_fr("japonais"),),
        fr_names=("Japon",),
    ),
    Country(
        "KR",
        ("Corea", "Corea del Sur", "República de Corea", "Korea", "South Korea"),
        (_o("surcorean"), _o("corean")),
        ("Korean", "South Korean"),
        ("Koreans", "South Koreans"),
        language=True,
        fr=(_fr("sud-coréen"), _fr("coréen")),
        fr_names=("Corée", "Corée du Sud", "République de Corée"),
    ),
    Country(
        "MX",
        ("México", "Mexico"),
        (_o("mexican"),),
        ("Mexican",),
        ("Mexicans",),
        fr=(_fr("mexicain"),),
        fr_names=("Mexique",),
    ),
    Country(
        "NL",
        ("Países Bajos", "Holanda", "Netherlands", "Holland"),
        (_es_accented("neerlandés", "neerlandes"), _es_accented("holandés", "holandes")),
        ("Dutch",),
        ("Dutchman", "Dutchwoman", "Dutchmen"),
        language=True,
        fr=(_fr("néerlandais"), _fr("hollandais")),
        fr_names=("Pays-Bas", "Pays Bas", "Hollande"),
    ),
    Country(
        "NO",
        ("Noruega", "Norway"),
        (_o("norueg"),),
        ("Norwegian",),
        ("Norwegians",),
        language=True,
        fr=(_fr("norvégien"),),
        fr_names=("Norvège",),
    ),
    Country(
        "NZ",
        ("Nueva Zelanda", "New Zealand"),
        (_es_accented("neozelandés", "neozelandes"),),
        (),
        ("New Zealanders",),
        fr=(_fr("néo-zélandais"),),
        fr_names=("Nouvelle-Zélande", "Nouvelle Zélande"),
    ),
    Country(
        "PE",
        ("Perú", "Peru"),
        (_o("peruan"),),
        ("Peruvian",),
        ("Peruvians",),
        fr=(_fr("péruvien"),),
        fr_names=("Pérou",),
    ),
    Country(
        "SE",
        ("Suecia", "Sweden"),
        (_o("suec"),),
        ("Swedish",),
        ("Swede", "Swedes"),
        language=True,
        fr=(_fr("suédois"),),
        fr_names=("Suède",),
    ),
    Country(
        "US",
        (
            "Estados Unidos",
            "EE. UU.",
            "EE.UU.",
            "EEUU",
            "United States",
            "USA",
        ),
        (_e("estadounidense"), _o("norteamerican")),
        ("American", "US", "U.S."),
        ("Americans",),
        fr=(_fr("américain"),),
        fr_names=("États-Unis", "États Unis"),
    ),
    Country(
        "EU",
        ("Unión Europea", "European Union", "UE"),
        (_o("europe"),),
        ("European", "EU"),
        (),
        general=True,
        fr=(_fr("européen"),),
        fr_names=("Union européenne",),
    ),
)


#: The institutions (or people) a demonym can qualify, each with what it is, for the neutral
#: words that replace the pair. Spanish and French put them before the adjective, English
#: after it.
HEADS_ES: dict[str, tuple[str, str]] = {
    **{w: ("embassy", "s") for w in ("embajada", "delegacion", "representacion", "mision")},
    **{w: ("embassy", "p") for w in ("embajadas", "delegaciones", "representaciones")},
    **{w: ("embassy", "s") for w in ("cancilleria", "consulado", "comision")},
    **{w: ("government", "s") for w in ("gobierno", "estado")},
    **{w: ("government", "p") for w in ("gobiernos", "estados")},
    **{
        w: ("person", "s")
        for w in (
            "embajador",
            "embajadora",
            "representante",
            "delegado",
            "delegada",
            "diplomatico",
            "diplomatica",
            "consul",
            "funcionario",
            "funcionaria",
        )
    },
    **{
        w: ("person", "p")
        for w in (
            "embajadores",
            "representantes",
            "delegados",
            "delegadas",
            "diplomaticos",
            "funcionarios",
        )
    },
    **{w: ("other", "s") for w in ("cooperacion", "agencia", "ministerio", "fondo")},
}
HEADS_EN: dict[str, tuple[str, str]] = {
    **{w: ("embassy", "s") for w in ("embassy", "delegation", "mission", "consulate")},
    **{w: ("embassy", "p") for w in ("embassies", "delegations", "missions")},
    "government": ("government", "s"),
    "governments": ("government", "p"),
    "state": ("government", "s"),
    **{
        w: ("person", "s")
        for w in ("ambassador", "representative", "delegate", "diplomat", "official", "envoy")
    },
    **{
        w: ("person", "p")
        for w in (
            "ambassadors",
            "representatives",
            "delegates",
            "diplomats",
            "officials",
            "envoys",
        )
    },
    **{w: ("other", "s") for w in ("cooperation", "agency", "ministry", "aid", "fund")},
}
#: Two-word heads in English: "the Canadian High Commission".
HEADS_EN_PAIRS: dict[tuple[str, str], tuple[str, str]] = {
    ("high", "commission"): ("embassy", "s"),
    ("high", "commissioner"): ("person", "s"),
}

HEADS_FR: dict[str, tuple[str, str]] = {
    **{
        w: ("embassy", "s")
        for w in (
            "ambassade",
            "delegation",
            "representation",
            "mission",
            "chancellerie",
            "consulat",
            "commission",
            "commissariat",  # "le Haut-Commissariat britannique"
        )
    },
    **{
        w: ("embassy", "p")
        for w in ("ambassades", "delegations", "representations", "missions", "consulats")
    },
    **{w: ("government", "s") for w in ("gouvernement", "etat", "republique", "confederation")},
    **{w: ("government", "p") for w in ("gouvernements", "etats")},
    **{
        w: ("person", "s")
        for w in (
            "ambassadeur",
            "ambassadrice",
            "representant",
            "representante",
            "delegue",
            "deleguee",
            "diplomate",
            "consul",
            "fonctionnaire",
            "envoye",
            "envoyee",
            "ministre",
            "conseiller",
            "conseillere",
            "attache",
            "attachee",
            "expert",
            "experte",
        )
    },
    **{
        w: ("person", "p")
        for w in (
            "ambassadeurs",
            "ambassadrices",
            "representants",
            "representantes",
            "delegues",
            "deleguees",
            "diplomates",
            "consuls",
            "fonctionnaires",
            "envoyes",
            "ministres",
            "conseillers",
            "attaches",
            "experts",
        )
    },
    **{w: ("other", "s") for w in ("cooperation", "agence", "ministere", "fonds", "aide")},
}

#: Words beside which a demonym names no member: a currency, a region ("el dólar canadiense",
#: "the Swiss franc", "Latin American"). Before it in Spanish and after it in English, and
#: the region words before it in English.
NOT_A_MEMBER_BEFORE = wordset(
    "dolar dolares franco francos peso pesos corona coronas libra libras yen yenes won euro "
    "euros continente latin south central north pan "
    "dollar dollars franc francs couronne couronnes livre livres continent"
)
NOT_A_MEMBER_AFTER = wordset(
    "dollar dollars franc francs peso pesos krone kroner krona kronor pound pounds yen won "
    "euro euros continent"
)

#: The regions French and English join to a demonym with a hyphen: "latino-américain",
#: "nord-coréen", "pan-American" name no member.
NOT_A_MEMBER_PREFIX = wordset("nord sud latino centre ibero pan north south latin central")
#: Hyphenated compounds of such a prefix that still name a member's country: "the
#: South-Korean delegation" is the Embassy of the Republic of Korea.
MEMBER_COMPOUNDS = wordset(
    "south-korean south-koreans sud-coreen sud-coreenne sud-coreens sud-coreennes "
    "surcoreano surcoreana surcoreanos surcoreanas"
)
#: Nouns before a language's adjective that make it the language: "la version française",
#: "la traduction espagnole", "la langue allemande".
LANGUAGE_NOUNS = wordset(
    "version versions traduction traductions langue langues texte textes edition editions"
)
#: French words before a capitalised demonym that make it a noun for people: "les Français",
#: "un Néerlandais", "l'Allemand"; "le français" in lower case is the language.
PEOPLE_AFTER_FR = wordset(
    "le la l les un une des du au aux ce cet cette ces certains certaines quelques plusieurs"
)

#: English verbs after "the Dutch", "the French": the people of the country, not the language.
VERBS_EN = wordset(
    "said say says proposed propose proposes noted stated argued explained asked suggested "
    "offered agreed added stressed recalled raised expressed will would have has had are were "
    "want wanted support supported believe think thought insisted reported"
)


@dataclass(frozen=True)
class Form:
    """One matched word of a country: what it is grammatically, for the neutral words."""

    text: str
    language: str  # "es", "en", "fr"; "" for a name of Spanish or English
    gender: str  # "m", "f", "" (one form for both, or either)
    number: str  # "s", "p", "" (one form for both: "français")
    people: bool = False  # a noun for people ("Canadians", "Suissesse")
    beside_head: bool = False  # matched only next to an institution it qualifies
    name: bool = False  # the country's name, not an adjective ("Canadá", "the UK")
    tongue: bool = False  # French: the adjective is also the language's ("la version française")


def name_form(text: str, language: str = "") -> Form:
    return Form(text, language, "", "s", name=True)


def forms(country: Country) -> list[Form]:
    """Every demonym of a country as the leak detection matches it."""
    result: list[Form] = []
    for m_sg, f_sg, m_pl, f_pl in country.es:
        one_form = m_sg == f_sg
        for text, gender, number in (
            (m_sg, "" if one_form else "m", "s"),
            (f_sg, "f", "s"),
            (m_pl, "" if one_form else "m", "p"),
            (f_pl, "f", "p"),
        ):
            if one_form and gender == "f":
                continue
            language_name = country.language and gender == "m" and number == "s"
            result.append(
                Form(text, "es", gender, number, beside_head=country.general or language_name)
            )
    for text in country.en:
        result.append(Form(text, "en", "", "s", beside_head=country.general or country.language))
    for text in country.en_people:
        number = "p" if text.endswith(("s", "men")) else "s"
        result.append(Form(text, "en", "", number, people=True, beside_head=country.general))
    for adjective in country.fr:
        # One text for two forms ("suisse" both genders, "français" both numbers) is one form
        # whose gender or number the sentence tells.
        grammar: dict[str, tuple[str, str]] = {}
        for text, gender, number in zip(adjective, "mfmf", "sspp", strict=True):
            known = grammar.get(text)
            if known is None:
                grammar[text] = (gender, number)
            else:
                grammar[text] = (
                    known[0] if known[0] == gender else "",
                    known[1] if known[1] == number else "",
                )
        for text, (gender, number) in grammar.items():
            language_name = country.language and text == adjective[0]
            result.append(
                Form(
                    text,
                    "fr",
                    gender,
                    number,
                    beside_head=country.general or language_name,
                    tongue=country.language,
                )
            )
    for text in country.fr_people:
        number = "p" if text.endswith("s") else "s"
        result.append(Form(text, "fr", "f", number, people=True, beside_head=country.general))
    return result


def country_names(country: Country) -> list[Form]:
    """A country's names as the leak detection matches them, French ones marked as such."""
    return [name_form(n) for n in country.names] + [name_form(n, "fr") for n in country.fr_names]


def pick(found: tuple[Form, ...], language: str) -> Form | None:
    """The form the neutral words are fitted to: the first of the minutes' language (or a
    name of any), else the first. "Argentine" is the adjective in English minutes and the
    country in French ones."""
    for form in found:
        if form.language in (language, ""):
            return form
    return found[0] if found else None


def _words(text: str) -> str:
    """Folded, with what is not a letter, a digit or a full stop made a space."""
    return " ".join("".join(c if c.isalnum() or c == "." else " " for c in fold(text)).split())


def country_of(names: list[str]) -> Country | None:
    """The country an embassy's names refer to ("Embajada Británica", "High Commission of
    Canada"): the first whose name or demonym is a word of them. Nothing is stored on the
    institution: its name says it, and the Secretariat need not fill in one more field."""
    padded = f" {_words(' '.join(n for n in names if n))} "
    for country in COUNTRIES:
        for form in (*country_names(country), *forms(country)):
            if f" {_words(form.text)} " in padded:
                return country
    return None
