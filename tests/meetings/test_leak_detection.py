"""Leak detection on a corpus of minutes of security and human rights working groups.

Each sentence of the corpus has the words the scanner must find and, where it offers neutral
words, the sentence as it reads once every hit is replaced with them: it must be found whole
and stay grammatical (no "la una entidad pública", a capital at a sentence start). The
sentences without a hit are the ordinary words a roster's names are made of ("la rosa", "el
pilar de empresas", "the grace period"), a currency ("el dólar canadiense"), a language ("al
neerlandés", "in Dutch") and countries that are no member's.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from meetings.models import Contribution
from meetings.services import leaks
from meetings.services import minutes as service
from meetings.services.minutes import MinutesError
from tests.factories import (
    add_contribution,
    make_group,
    make_guest,
    make_institution,
    make_meeting_in_session,
    make_minutes,
    make_representative,
    make_secretariat,
    make_user,
    sign_in,
)
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

# (name, short name, kind, pillar, representatives)
ANDES = [
    (
        "Ministerio de Justicia y Derechos Humanos",
        "MINJUSDH",
        "national_government",
        "government",
        ["Patricia Mendoza Flores"],
    ),
    (
        "Ministerio de Energía y Minas",
        "MINEM",
        "national_government",
        "government",
        ["Rosa Quispe Huamán"],
    ),
    (
        "Oficina Nacional de Diálogo y Sostenibilidad – PCM",
        "ONDS-PCM",
        "national_government",
        "government",
        ["Luz Paz Cárdenas"],
    ),
    ("SUCAMEC", "SUCAMEC", "national_government", "government", ["Carmen Rojas Delgado"]),
    ("Las Bambas – MMG", "Las Bambas", "company", "companies", ["Hugo Medina Zapata"]),
    ("Antamina", "Antamina", "company", "companies", ["Pilar Soto"]),
    ("APRODEH", "APRODEH", "ngo_academic", "civil_society", ["Gloria Huanca Mamani"]),
    ("Socios Perú", "Socios Perú", "ngo_academic", "civil_society", ["Patricia Ramos"]),
    ("Embajada de Canadá", "Canadá", "foreign_government", "government", ["Claire Tremblay"]),
    ("Embajada Británica", "Reino Unido", "foreign_government", "government", ["Oliver Bennett"]),
    ("Embajada de Suiza", "Suiza", "foreign_government", "government", ["Lukas Meier"]),
    (
        "Embajada de los Estados Unidos",
        "Estados Unidos",
        "foreign_government",
        "government",
        ["Rachel Gordon"],
    ),
    (
        "Embajada de los Países Bajos",
        "Países Bajos",
        "foreign_government",
        "government",
        ["Pieter de Vries"],
    ),
    ("UNLIREC", "UNLIREC", "international_organisation", "", ["Mónica Salazar Prado"]),
]
ANDES_GUESTS = [
    ("Dra. Elena Villanueva", "Defensoría del Pueblo"),
    ("Mg. Javier Rondón", "Pontificia Universidad Católica del Perú"),
]
COAST = [
    (
        "Ministry of Lands and Natural Resources",
        "",
        "national_government",
        "government",
        ["Kwame Mensah"],
    ),
    ("Ghana Police Service", "", "national_government", "government", ["Patricia Boateng"]),
    ("Gold Fields Ghana", "Gold Fields", "company", "companies", ["Kofi Asante"]),
    ("WACAM", "WACAM", "ngo_academic", "civil_society", ["Grace Addo"]),
    (
        "High Commission of Canada",
        "Canada",
        "foreign_government",
        "government",
        ["Claire Tremblay"],
    ),
    ("British High Commission", "", "foreign_government", "government", ["Oliver Bennett"]),
    ("Embassy of Switzerland", "", "foreign_government", "government", ["Lukas Meier"]),
    (
        "Embassy of the United States",
        "",
        "foreign_government",
        "government",
        ["Rachel Gordon"],
    ),
    ("Embassy of the Netherlands", "", "foreign_government", "government", ["Pieter de Vries"]),
]
COAST_GUESTS = [
    ("Dr. Abena Owusu", "Commission on Human Rights and Administrative Justice (CHRAJ)"),
]


def _roster(group, institutions, guests) -> None:
    for name, short_name, kind, pillar, people in institutions:
        institution = make_institution(
            group,
            name=name,
            short_name=short_name,
            kind=kind,
            pillar=pillar,
            participation="member" if pillar else "observer",
        )
        for person in people:
            make_representative(group, user=make_user(full_name=person), institution=institution)
    for name, organisation in guests:
        make_guest(group, name=name, organisation=organisation)


@pytest.fixture
def andes(db):
    group = make_group("andes", country="Perú", default_language="es")
    _roster(group, ANDES, ANDES_GUESTS)
    return group


@pytest.fixture
def coast(db):
    group = make_group("coast", country="Ghana", default_language="en")
    _roster(group, COAST, COAST_GUESTS)
    return group


# (sentence, the words found, the sentence once each is replaced with the suggested words)
SPANISH = [
    (
        "Patricia señaló que los convenios con la policía deben publicarse.",
        ["Patricia"],
        "Un participante señaló que los convenios con la policía deben publicarse.",
    ),
    (
        "La embajada canadiense ofreció financiar la capacitación de la policía.",
        ["canadiense"],
        "Una embajada ofreció financiar la capacitación de la policía.",
    ),
    (
        "Según la Dra. Villanueva, la Defensoría registró 198 conflictos sociales activos.",
        ["Villanueva", "Defensoría"],
        "Según un participante, una entidad pública registró 198 conflictos sociales activos.",
    ),
    (
        "La señora Huamán explicó que el reglamento de consulta previa está en revisión.",
        ["Huamán"],
        "Un participante explicó que el reglamento de consulta previa está en revisión.",
    ),
    (
        "La Embajada de Canadá propuso un taller sobre el uso de la fuerza.",
        ["Embajada de Canadá"],
        "Una embajada propuso un taller sobre el uso de la fuerza.",
    ),
    (
        "La propuesta del Ministerio de Energía y Minas fue bien recibida por las empresas.",
        ["Ministerio de Energía y Minas"],
        "La propuesta de una entidad pública fue bien recibida por las empresas.",
    ),
    (
        "Los británicos insistieron en la debida diligencia en derechos humanos.",
        ["británicos"],
        "Algunos participantes insistieron en la debida diligencia en derechos humanos.",
    ),
    (
        "Las empresas mineras canadienses tienen protocolos de seguridad propios.",
        ["canadienses"],
        "Las empresas mineras extranjeras tienen protocolos de seguridad propios.",
    ),
    (
        "El gobierno neerlandés financia el programa de diálogo en Cusco.",
        ["neerlandés"],
        "Un gobierno extranjero financia el programa de diálogo en Cusco.",
    ),
    (
        "La cooperación suiza apoyó la revisión del Código Internacional de Conducta.",
        ["suiza"],
        "La cooperación extranjera apoyó la revisión del Código Internacional de Conducta.",
    ),
    (
        "El señor de Vries recordó la experiencia de los Países Bajos.",
        ["Vries", "Países Bajos"],
        "Un participante recordó la experiencia de una embajada.",
    ),
    (
        "Carmen Rojas explicó que la SUCAMEC no tiene competencia sobre los convenios.",
        ["Carmen Rojas", "SUCAMEC"],
        "Un participante explicó que una entidad pública no tiene competencia sobre los convenios.",
    ),
    (
        "MMG respondió que revisará su protocolo de relacionamiento comunitario.",
        ["MMG"],
        "Una empresa respondió que revisará su protocolo de relacionamiento comunitario.",
    ),
    (
        "Se pidió a la PUCP un estudio sobre las empresas de seguridad privada.",
        ["PUCP"],
        "Se pidió a una institución un estudio sobre las empresas de seguridad privada.",
    ),
    (
        "Mendoza Flores recordó que el Ministerio publicará los convenios.",
        ["Mendoza Flores"],
        "Un participante recordó que el Ministerio publicará los convenios.",
    ),
    (
        "¿Estados Unidos apoyará la iniciativa?, preguntó una empresa.",
        ["Estados Unidos"],
        "¿Una embajada apoyará la iniciativa?, preguntó una empresa.",
    ),
    (
        "El embajador británico anunció un nuevo fondo para la prevención de conflictos.",
        ["británico"],
        "Un participante anunció un nuevo fondo para la prevención de conflictos.",
    ),
    (
        "Hubo acuerdo con la delegación estadounidense y con APRODEH.",
        ["estadounidense", "APRODEH"],
        "Hubo acuerdo con una embajada y con una organización de la sociedad civil.",
    ),
    (
        "Javier Rondón presentó el estudio de la Pontificia Universidad Católica del Perú.",
        ["Javier Rondón", "Pontificia Universidad Católica del Perú"],
        "Un participante presentó el estudio de una institución.",
    ),
    (
        "Mónica destacó el apoyo de UNLIREC a la capacitación de la policía.",
        ["Mónica", "UNLIREC"],
        "Un participante destacó el apoyo de un organismo internacional a la capacitación de la policía.",
    ),
    (
        "La sesión se reanudó. Patricia pidió la palabra al Ministerio.",
        ["Patricia"],
        "La sesión se reanudó. Un participante pidió la palabra al Ministerio.",
    ),
    (
        "Los representantes suizos visitaron Cajamarca.",
        ["suizos"],
        "Algunos participantes visitaron Cajamarca.",
    ),
    (
        "Se acordó que Tremblay circule la nota al pilar de empresas.",
        ["Tremblay"],
        "Se acordó que un participante circule la nota al pilar de empresas.",
    ),
    (
        "El Sr. Bennett pidió que el Reino Unido participe en la mesa de diálogo.",
        ["Bennett", "Reino Unido"],
        "Un participante pidió que una embajada participe en la mesa de diálogo.",
    ),
    (
        "La ONDS convocó la mesa de diálogo antes de la intervención policial.",
        ["ONDS"],
        "Una entidad pública convocó la mesa de diálogo antes de la intervención policial.",
    ),
    (
        "Pilar Soto y Las Bambas coincidieron en publicar los convenios.",
        ["Pilar Soto", "Las Bambas"],
        "Un participante y una empresa coincidieron en publicar los convenios.",
    ),
    (
        "El informe fue preparado por el Gobierno de Canadá y la Defensoría del Pueblo.",
        ["Canadá", "Defensoría del Pueblo"],
        "El informe fue preparado por un gobierno extranjero y una entidad pública.",
    ),
    (
        "- la Embajada de Suiza compartirá la guía sobre seguridad privada.",
        ["Embajada de Suiza"],
        "- Una embajada compartirá la guía sobre seguridad privada.",
    ),
    ("Las consultas se envían a pramos@socios.example.org.", ["pramos@socios.example.org"], None),
    # Nothing to find: the roster's ordinary words, a currency, a language, other countries.
    ("La rosa de los vientos orienta el mapa de riesgos.", [], None),
    ("A la luz de los hechos, la paz social depende del diálogo temprano.", [], None),
    ("El pilar de sociedad civil presentó su informe anual.", [], None),
    ("La guía sobre el uso de la fuerza está traducida al neerlandés.", [], None),
    ("El dólar canadiense y el franco suizo se depreciaron frente al sol.", [], None),
    ("Se revisó la experiencia de Colombia y de Chile con las rondas campesinas.", [], None),
    ("Las flores y los ríos del valle dependen de la cuenca alta.", [], None),
]

ENGLISH = [
    (
        "Claire said the Canadian High Commission would fund the training of police officers.",
        ["Claire", "Canadian"],
        "A participant said an embassy would fund the training of police officers.",
    ),
    (
        "The British High Commission raised the issue of private security contractors.",
        ["British High Commission"],
        "An embassy raised the issue of private security contractors.",
    ),
    (
        "Ms Tremblay's proposal was welcomed by the mining companies.",
        ["Tremblay"],
        "A participant's proposal was welcomed by the mining companies.",
    ),
    (
        "An American company and the Dutch government signed the memorandum.",
        ["American", "Dutch"],
        "A foreign company and a foreign government signed the memorandum.",
    ),
    (
        "The Dutch said that the Spanish translation would follow.",
        ["Dutch"],
        "Some participants said that the Spanish translation would follow.",
    ),
    (
        "Kwame noted that MLNR will review the small-scale mining licences.",
        ["Kwame", "MLNR"],
        "A participant noted that a government body will review the small-scale mining licences.",
    ),
    (
        "Patricia reported that the Ghana Police Service has trained 300 officers.",
        ["Patricia", "Ghana Police Service"],
        "A participant reported that a government body has trained 300 officers.",
    ),
    (
        "Gold Fields presented its grievance mechanism to the plenary.",
        ["Gold Fields"],
        "A company presented its grievance mechanism to the plenary.",
    ),
    (
        "Dr. Owusu explained that CHRAJ received 40 complaints about the use of force.",
        ["Owusu", "CHRAJ"],
        "A participant explained that an institution received 40 complaints about the use of force.",
    ),
    (
        "the Canadians proposed a joint workshop with the police.",
        ["Canadians"],
        "Some participants proposed a joint workshop with the police.",
    ),
    (
        "The US embassy and the UK will co-host the next session.",
        ["US", "UK"],
        "An embassy and some participants will co-host the next session.",
    ),
    (
        "Addo asked whether the Swiss embassy could join the site visit.",
        ["Addo", "Swiss"],
        "A participant asked whether an embassy could join the site visit.",
    ),
    (
        "Mr de Vries recalled the experience of the Netherlands.",
        ["Vries", "Netherlands"],
        "A participant recalled the experience of an embassy.",
    ),
    (
        "The Embassy of the United States offered to fund a baseline study.",
        ["Embassy of the United States"],
        "An embassy offered to fund a baseline study.",
    ),
    (
        "WACAM and a Canadian NGO monitor the mining sites.",
        ["WACAM", "Canadian"],
        "A civil society organisation and a foreign NGO monitor the mining sites.",
    ),
    (
        "Rachel Gordon's remarks on the security agreements were noted.",
        ["Rachel Gordon"],
        "A participant's remarks on the security agreements were noted.",
    ),
    (
        "The Government of Canada supports the initiative.",
        ["Canada"],
        "A foreign government supports the initiative.",
    ),
    (
        "- Claire Tremblay will circulate the draft guidance.",
        ["Claire Tremblay"],
        "- A participant will circulate the draft guidance.",
    ),
    (
        "Write to kmensah@mlnr.example.org or call +233 30 266 5421.",
        ["kmensah@mlnr.example.org", "+233 30 266 5421"],
        None,
    ),
    # Nothing to find.
    ("The Canadian dollar fell against the cedi.", [], None),
    ("Latin American governments share the concern.", [], None),
    ("The company was given a grace period of six months.", [], None),
    ("The guidance is available in Dutch and in English.", [], None),
    ("The budget of the training is US$ 20,000.", [], None),
]


def _replaced(text: str, findings: list[leaks.Finding]) -> str:
    """The text once every finding is replaced with its suggested words, last first."""
    for finding in reversed(findings):
        text = finding.replacement.apply(text)
    return text


def _check(group, text: str, found: list[str], result: str | None) -> None:
    with group_scope(group):
        hits = leaks.scan_text(text, "contribution:1:text", leaks.roster_matcher())
    findings = [leaks.Finding(hit, text, group.default_language) for hit in hits]
    assert [h.matched for h in hits] == found
    if result is not None:
        assert _replaced(text, findings) == result


@pytest.mark.parametrize(("text", "found", "result"), SPANISH)
def test_spanish_minutes(andes, text, found, result):
    _check(andes, text, found, result)


@pytest.mark.parametrize(("text", "found", "result"), ENGLISH)
def test_english_minutes(coast, text, found, result):
    _check(coast, text, found, result)


def test_a_first_name_two_people_share_names_both(andes):
    """Shared by two, a first name still narrows the speaker down to two people in the room:
    a hit, labelled with both."""
    with group_scope(andes):
        hits = leaks.scan_text("Patricia pidió la palabra.", "x:1:text", leaks.roster_matcher())
    assert [(h.matched, h.kind) for h in hits] == [("Patricia", "person")]
    assert set(hits[0].label.split(", ")) == {"Patricia Mendoza Flores", "Patricia Ramos"}


def test_the_words_are_in_the_minutes_language_not_the_readers(andes, settings):
    """The suggested words are part of the minutes: Spanish for a Spanish group's, whatever
    the language of the Secretariat's pages."""
    from django.utils import translation

    text = "La Embajada de Canadá propuso un taller."
    with group_scope(andes), translation.override("en"):
        hits = leaks.scan_text(text, "x:1:text", leaks.roster_matcher())
        finding = leaks.Finding(hits[0], text, andes.default_language)
        assert finding.words == "una embajada"


def test_the_matcher_is_built_once_per_roster(andes):
    with group_scope(andes):
        first = leaks.roster_matcher()
        assert leaks.roster_matcher() is first
    make_representative(andes, user=make_user(full_name="Ximena Cárdenas Ñique"))
    with group_scope(andes):
        changed = leaks.roster_matcher()
        assert changed is not first
        hits = leaks.scan_text("Ximena tomó nota.", "x:1:text", changed)
    assert [h.matched for h in hits] == ["Ximena"]


def test_scanning_long_minutes_full_of_names_stays_quick(andes):
    """Every autosave scans every text; the demonyms' and names' context checks read a few
    words around each hit, not the text."""
    paragraph = " ".join(text for text, _found, _result in SPANISH) + " "
    text = (paragraph * (100_000 // len(paragraph) + 1))[:100_000]
    with group_scope(andes):
        matcher = leaks.roster_matcher()
        started = time.monotonic()
        hits = leaks.scan_text(text, "minutes:1:summary", matcher)
        elapsed = time.monotonic() - started
    assert len(hits) > 1000
    assert elapsed < 2


# --- Replacing, through the service and the editor ----------------------------------------------


@pytest.fixture
def andes_minutes(andes):
    meeting = make_meeting_in_session(andes, ("Convenios con la Policía Nacional",))
    return make_minutes(meeting)


def test_replacing_one_occurrence_keeps_the_sentence_grammatical(andes, andes_minutes):
    text = (
        "la embajada canadiense propuso un taller. Luego, la embajada canadiense "
        "pidió la palabra al Ministerio."
    )
    c = add_contribution(andes_minutes, text)
    secretariat = make_secretariat(andes)
    target = f"contribution:{c.pk}:text"
    with group_scope(andes):
        second = text.rindex("canadiense")
        service.replace_words(
            minutes=andes_minutes,
            actor=secretariat,
            target=target,
            term="canadiense",
            replacement="una embajada",
            at=second,
        )
        assert Contribution.objects.get(pk=c.pk).text == (
            "la embajada canadiense propuso un taller. Luego, una embajada "
            "pidió la palabra al Ministerio."
        )
        service.replace_words(
            minutes=andes_minutes,
            actor=secretariat,
            target=target,
            term="canadiense",
            replacement="una embajada",
        )
        assert Contribution.objects.get(pk=c.pk).text == (
            "Una embajada propuso un taller. Luego, una embajada pidió la palabra al Ministerio."
        )
        assert leaks.scan(andes_minutes) == []


def test_a_replacement_where_the_text_changed_is_refused(andes, andes_minutes):
    c = add_contribution(andes_minutes, "Patricia pidió la palabra.")
    with group_scope(andes), pytest.raises(MinutesError):
        service.replace_words(
            minutes=andes_minutes,
            actor=make_secretariat(andes),
            target=f"contribution:{c.pk}:text",
            term="Patricia",
            replacement="un participante",
            at=5,
        )


def test_the_editor_shows_the_sentence_as_replaced_and_replaces_it(client, andes, andes_minutes):
    c = add_contribution(andes_minutes, "Según la embajada canadiense, la policía pidió apoyo.")
    secretariat = make_secretariat(andes)
    sign_in(client, secretariat)
    url = reverse("meetings:minutes", kwargs={"wg": andes.slug, "pk": andes_minutes.meeting_id})
    page = client.get(url).content.decode()
    assert "Según <ins>una embajada</ins>, la policía pidió apoyo." in page
    assert 'name="replacement" value="una embajada"' in page
    response = client.post(
        reverse("meetings:minutes_leak", kwargs={"wg": andes.slug, "pk": andes_minutes.meeting_id}),
        {
            "target": f"contribution:{c.pk}:text",
            "term": "canadiense",
            "at": str(c.text.index("canadiense")),
            "how": "replace",
            "replacement": "una embajada",
        },
    )
    assert response.status_code == 302
    with group_scope(andes):
        assert (
            Contribution.objects.get(pk=c.pk).text == "Según una embajada, la policía pidió apoyo."
        )
