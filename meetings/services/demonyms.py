"""The countries an embassy member may represent, with their names and demonyms in Spanish and
English, for the leak detection (``meetings.services.leaks``).

Under the Chatham House Rule "la embajada canadiense propuso" says who spoke as plainly as
"la Embajada de Canadá propuso": when the Embassy of Canada is a member, every form of the
adjective is a name of that member. The table is data, not user interface: it is matched
against the minutes' text, in the languages the minutes are written in (Spanish, English).

Each Spanish entry gives the four forms (masculine singular, feminine singular, masculine
plural, feminine plural); each English entry the adjective and the plural nouns for people.
Where a country's adjective is also the name of its language ("español", "French", "Dutch"),
that form is matched only beside an institution or a person it qualifies ("el gobierno
español", "the Dutch embassy"): "la versión en español" names no participant.
"""

from __future__ import annotations

from dataclasses import dataclass

from meetings.services.folding import fold, wordset


@dataclass(frozen=True)
class Country:
    key: str
    #: Names and abbreviations, both languages; an abbreviation in capitals is matched as written.
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


def _o(stem: str) -> tuple[str, str, str, str]:
    """The regular -o/-a adjectives: "suiz" → suizo, suiza, suizos, suizas."""
    return (f"{stem}o", f"{stem}a", f"{stem}os", f"{stem}as")


def _e(word: str) -> tuple[str, str, str, str]:
    """The adjectives in -e or -a with one form per number: canadiense(s), belga(s)."""
    return (word, word, f"{word}s", f"{word}s")


def _es_accented(masculine: str, stem: str) -> tuple[str, str, str, str]:
    """The -és/-án adjectives: "francés", "frances" → francés, francesa, franceses, francesas."""
    return (masculine, f"{stem}a", f"{stem}es", f"{stem}as")


COUNTRIES: tuple[Country, ...] = (
    Country(
        "AR",
        ("Argentina", "la Argentina"),
        (_o("argentin"),),
        ("Argentine", "Argentinian"),
        ("Argentines", "Argentinians"),
    ),
    Country("AU", ("Australia",), (_o("australian"),), ("Australian",), ("Australians",)),
    Country("BE", ("Bélgica", "Belgium"), (_e("belga"),), ("Belgian",), ("Belgians",)),
    Country("BO", ("Bolivia",), (_o("bolivian"),), ("Bolivian",), ("Bolivians",)),
    Country("BR", ("Brasil", "Brazil"), (_o("brasileñ"),), ("Brazilian",), ("Brazilians",)),
    Country("CA", ("Canadá", "Canada"), (_e("canadiense"),), ("Canadian",), ("Canadians",)),
    Country("CH", ("Suiza", "Switzerland"), (_o("suiz"),), ("Swiss",)),
    Country("CL", ("Chile",), (_o("chilen"),), ("Chilean",), ("Chileans",)),
    Country("CN", ("China",), (_o("chin"),), ("Chinese",), (), language=True),
    Country("CO", ("Colombia",), (_o("colombian"),), ("Colombian",), ("Colombians",)),
    Country(
        "DE",
        ("Alemania", "Germany"),
        (_es_accented("alemán", "aleman"),),
        ("German",),
        ("Germans",),
        language=True,
    ),
    Country(
        "DK",
        ("Dinamarca", "Denmark"),
        (_es_accented("danés", "danes"),),
        ("Danish",),
        ("Dane", "Danes"),
        language=True,
    ),
    Country("EC", ("Ecuador",), (_o("ecuatorian"),), ("Ecuadorian",), ("Ecuadorians",)),
    Country(
        "ES",
        ("España", "Spain"),
        (("español", "española", "españoles", "españolas"),),
        ("Spanish",),
        ("Spaniard", "Spaniards"),
        language=True,
    ),
    Country(
        "FI",
        ("Finlandia", "Finland"),
        (_es_accented("finlandés", "finlandes"),),
        ("Finnish",),
        ("Finn", "Finns"),
        language=True,
    ),
    Country(
        "FR",
        ("Francia", "France"),
        (_es_accented("francés", "frances"),),
        ("French",),
        ("Frenchman", "Frenchwoman"),
        language=True,
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
    ),
    Country(
        "GH",
        ("Ghana",),
        (_es_accented("ghanés", "ghanes"),),
        ("Ghanaian",),
        ("Ghanaians",),
    ),
    Country(
        "IE",
        ("Irlanda", "Ireland"),
        (_es_accented("irlandés", "irlandes"),),
        ("Irish",),
        ("Irishman", "Irishwoman"),
    ),
    Country(
        "IT", ("Italia", "Italy"), (_o("italian"),), ("Italian",), ("Italians",), language=True
    ),
    Country(
        "JP",
        ("Japón", "Japan"),
        (_es_accented("japonés", "japones"),),
        ("Japanese",),
        (),
        language=True,
    ),
    Country(
        "KR",
        ("Corea", "Corea del Sur", "República de Corea", "Korea", "South Korea"),
        (_o("surcorean"), _o("corean")),
        ("Korean", "South Korean"),
        ("Koreans", "South Koreans"),
        language=True,
    ),
    Country("MX", ("México", "Mexico"), (_o("mexican"),), ("Mexican",), ("Mexicans",)),
    Country(
        "NL",
        ("Países Bajos", "Holanda", "Netherlands", "Holland"),
        (_es_accented("neerlandés", "neerlandes"), _es_accented("holandés", "holandes")),
        ("Dutch",),
        ("Dutchman", "Dutchwoman", "Dutchmen"),
        language=True,
    ),
    Country(
        "NO",
        ("Noruega", "Norway"),
        (_o("norueg"),),
        ("Norwegian",),
        ("Norwegians",),
        language=True,
    ),
    Country(
        "NZ",
        ("Nueva Zelanda", "New Zealand"),
        (_es_accented("neozelandés", "neozelandes"),),
        (),
        ("New Zealanders",),
    ),
    Country("PE", ("Perú", "Peru"), (_o("peruan"),), ("Peruvian",), ("Peruvians",)),
    Country(
        "SE", ("Suecia", "Sweden"), (_o("suec"),), ("Swedish",), ("Swede", "Swedes"), language=True
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
    ),
    Country(
        "EU",
        ("Unión Europea", "European Union", "UE"),
        (_o("europe"),),
        ("European", "EU"),
        (),
        general=True,
    ),
)


#: The institutions (or people) a demonym can qualify, each with what it is, for the neutral
#: words that replace the pair. Spanish puts them before the adjective, English after it.
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

#: Words beside which a demonym names no member: a currency, a region ("el dólar canadiense",
#: "the Swiss franc", "Latin American"). Before it in Spanish and after it in English, and
#: the region words before it in English.
NOT_A_MEMBER_BEFORE = wordset(
    "dolar dolares franco francos peso pesos corona coronas libra libras yen yenes won euro "
    "euros continente latin south central north pan"
)
NOT_A_MEMBER_AFTER = wordset(
    "dollar dollars franc francs peso pesos krone kroner krona kronor pound pounds yen won "
    "euro euros continent"
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
    language: str  # "es", "en"
    gender: str  # "m", "f", "" (one form for both)
    number: str  # "s", "p"
    people: bool = False  # an English noun for people ("Canadians")
    beside_head: bool = False  # matched only next to an institution it qualifies
    name: bool = False  # the country's name, not an adjective ("Canadá", "the UK")


def name_form(text: str) -> Form:
    return Form(text, "", "", "s", name=True)


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
    return result


def country_of(names: list[str]) -> Country | None:
    """The country an embassy's names refer to ("Embajada Británica", "High Commission of
    Canada"): the first whose name or demonym is a word of them. Nothing is stored on the
    institution: its name says it, and the Secretariat need not fill in one more field."""
    words = " ".join(fold(n) for n in names if n)
    padded = " " + " ".join("".join(c if c.isalnum() or c == "." else " " for c in words).split())
    padded += " "
    for country in COUNTRIES:
        for candidate in (*country.names, *(f.text for f in forms(country))):
            if f" {fold(candidate)} " in padded:
                return country
    return None
