"""Leak detection in the minutes of a French-speaking working group.

The corpus mirrors the Spanish and English ones (``test_leak_detection``): each sentence has
the words the scanner must find and, where it offers neutral words, the sentence as it reads
once every hit is replaced with them: whole, and grammatical in French (elision, "du" and
"des" undone, a capital at a sentence start). The sentences without a hit are a language
("la version en français", "la version française"), a currency ("le franc suisse"), a
country's name inside another word, regions joined by a hyphen ("latino-américains") and
countries that are no member's, or another group's.
"""

from __future__ import annotations

import pytest

from meetings.models import Contribution
from meetings.services import leaks
from meetings.services import minutes as service
from meetings.services.minutes import LeaksRemain
from tests.factories import (
    add_contribution,
    make_coordination,
    make_group,
    make_meeting_in_session,
    make_minutes,
    make_secretariat,
)
from tests.meetings.test_leak_detection import _check, _roster
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

# (name, short name, kind, pillar, representatives)
KATANGA = [
    ("Ministère des Mines", "", "national_government", "government", ["Jean-Pierre Kalala Mbuyi"]),
    (
        "Police nationale congolaise",
        "PNC",
        "national_government",
        "government",
        ["Odile Mwamba"],
    ),
    ("Kamoto Copper Company", "KCC", "company", "companies", ["Thomas Lefèvre"]),
    ("ACIDH", "ACIDH", "ngo_academic", "civil_society", ["Timothée Banza"]),
    ("Ambassade du Canada", "Canada", "foreign_government", "government", ["Geneviève Tremblay"]),
    ("Ambassade de Suisse", "Suisse", "foreign_government", "government", ["Lukas Meier"]),
    ("Ambassade de France", "France", "foreign_government", "government", ["Hélène Durand"]),
    (
        "Ambassade des États-Unis",
        "États-Unis",
        "foreign_government",
        "government",
        ["Rachel Gordon"],
    ),
    (
        "Ambassade du Royaume-Uni",
        "Royaume-Uni",
        "foreign_government",
        "government",
        ["Oliver Bennett"],
    ),
    ("Ambassade des Pays-Bas", "Pays-Bas", "foreign_government", "government", ["Pieter de Vries"]),
    ("MONUSCO", "MONUSCO", "international_organisation", "", ["Fatou Diallo"]),
]
KATANGA_GUESTS = [
    ("Dr Patrick Mutombo", "Commission nationale des droits de l'homme (CNDH)"),
    ("Mme Aline Ilunga", "ACIDH"),
]
#: Another French-speaking group: its roster is no name in the first one's minutes.
KIVU = [
    ("Ambassade du Chili", "Chili", "foreign_government", "government", ["Odette Kabange"]),
]


@pytest.fixture
def katanga(db):
    group = make_group("katanga", country="République démocratique du Congo", default_language="fr")
    _roster(group, KATANGA, KATANGA_GUESTS)
    _roster(make_group("kivu", country="République démocratique du Congo"), KIVU, [])
    return group


FRENCH = [
    (
        "L'ambassade canadienne a proposé de financer la formation de la police.",
        ["canadienne"],
        "Une ambassade a proposé de financer la formation de la police.",
    ),
    (
        "Le délégué suisse a rappelé le Code de conduite international.",
        ["suisse"],
        "Un participant a rappelé le Code de conduite international.",
    ),
    (
        "Les Canadiens ont insisté sur la diligence raisonnable en matière de droits humains.",
        ["Canadiens"],
        "Certains participants ont insisté sur la diligence raisonnable en matière de droits "
        "humains.",
    ),
    (
        "Selon la délégation française, les convois miniers doivent être escortés.",
        ["française"],
        "Selon une ambassade, les convois miniers doivent être escortés.",
    ),
    (
        "Mme Tremblay a présenté le mécanisme de plainte de la KCC.",
        ["Tremblay", "KCC"],
        "Un participant a présenté le mécanisme de plainte d'une entreprise.",
    ),
    (
        "La proposition de l'ambassade canadienne a été bien reçue.",
        ["canadienne"],
        "La proposition d'une ambassade a été bien reçue.",
    ),
    (
        "La proposition de l’ambassade canadienne a été bien reçue.",
        ["canadienne"],
        "La proposition d’une ambassade a été bien reçue.",
    ),
    (
        "Le gouvernement du Canada soutient l'initiative.",
        ["Canada"],
        "Un gouvernement étranger soutient l'initiative.",
    ),
    (
        "L'Ambassade des États-Unis a offert de financer une étude de référence.",
        ["Ambassade des États-Unis"],
        "Une ambassade a offert de financer une étude de référence.",
    ),
    (
        "La position des États-Unis a été notée.",
        ["États-Unis"],
        "La position d'une ambassade a été notée.",
    ),
    (
        "Le soutien de la Suisse au dialogue a été salué.",
        ["Suisse"],
        "Le soutien d'une ambassade au dialogue a été salué.",
    ),
    (
        "Le Canada a proposé un atelier sur l'usage de la force.",
        ["Canada"],
        "Une ambassade a proposé un atelier sur l'usage de la force.",
    ),
    (
        "Les entreprises minières canadiennes ont leurs propres protocoles de sécurité.",
        ["canadiennes"],
        "Les entreprises minières étrangères ont leurs propres protocoles de sécurité.",
    ),
    (
        "La coopération suisse a appuyé la révision du Code.",
        ["suisse"],
        "La coopération étrangère a appuyé la révision du Code.",
    ),
    (
        "L'entreprise suisse a publié ses conventions avec la police.",
        ["suisse"],
        "L'entreprise étrangère a publié ses conventions avec la police.",
    ),
    (
        "Le droit suisse encadre les entreprises de sécurité privée.",
        ["suisse"],
        "Le droit étranger encadre les entreprises de sécurité privée.",
    ),
    (
        "Le gouvernement néerlandais finance le programme de dialogue à Kolwezi.",
        ["néerlandais"],
        "Un gouvernement étranger finance le programme de dialogue à Kolwezi.",
    ),
    (
        "Les représentants suisses ont visité Kolwezi.",
        ["suisses"],
        "Certains participants ont visité Kolwezi.",
    ),
    (
        "L'ambassadeur britannique a annoncé un nouveau fonds pour la prévention des conflits.",
        ["britannique"],
        "Un participant a annoncé un nouveau fonds pour la prévention des conflits.",
    ),
    (
        "Le Haut-Commissariat britannique a pris note.",
        ["britannique"],
        "Une ambassade a pris note.",
    ),
    (
        "M. de Vries a rappelé l'expérience des Pays-Bas.",
        ["Vries", "Pays-Bas"],
        "Un participant a rappelé l'expérience d'une ambassade.",
    ),
    (
        "Hélène Durand a demandé que la France participe à la table de dialogue.",
        ["Hélène Durand", "France"],
        "Un participant a demandé qu'une ambassade participe à la table de dialogue.",
    ),
    (
        "Le Dr Mutombo a expliqué que la CNDH a reçu 40 plaintes.",
        ["Mutombo", "CNDH"],
        "Un participant a expliqué qu'une institution a reçu 40 plaintes.",
    ),
    (
        "Kalala a noté que la PNC n'a pas compétence sur les conventions.",
        ["Kalala", "PNC"],
        "Un participant a noté qu'un organisme public n'a pas compétence sur les conventions.",
    ),
    (
        "Jean-Pierre a souligné les risques pour les communautés riveraines.",
        ["Jean-Pierre"],
        "Un participant a souligné les risques pour les communautés riveraines.",
    ),
    (
        "Selon Mme la ministre Kalala, le code minier sera révisé.",
        ["Kalala"],
        "Selon un participant, le code minier sera révisé.",
    ),
    (
        "Mme Ilunga a évoqué le cas de Mme Kabange.",
        ["Ilunga"],
        "Un participant a évoqué le cas de Mme Kabange.",
    ),
    (
        "Le Royaume-Uni coorganisera la prochaine session avec la MONUSCO.",
        ["Royaume-Uni", "MONUSCO"],
        "Une ambassade coorganisera la prochaine session avec une organisation internationale.",
    ),
    (
        "Il a été convenu que l'ACIDH circule la note au pilier des entreprises.",
        ["ACIDH"],
        "Il a été convenu qu'une organisation de la société civile circule la note au pilier "
        "des entreprises.",
    ),
    ("Un Suisse a présenté l'étude.", ["Suisse"], "Un participant a présenté l'étude."),
    (
        "Les Français ont insisté sur la transparence des conventions.",
        ["Français"],
        "Certains participants ont insisté sur la transparence des conventions.",
    ),
    (
        "À la demande des Britanniques, la séance a été suspendue.",
        ["Britanniques"],
        "À la demande de certains participants, la séance a été suspendue.",
    ),
    (
        "La délégation des Pays-Bas a répondu aux Canadiens.",
        ["Pays-Bas", "Canadiens"],
        "Une ambassade a répondu à certains participants.",
    ),
    (
        "La séance a repris. Lefèvre a demandé la parole au Ministère.",
        ["Lefèvre"],
        "La séance a repris. Un participant a demandé la parole au Ministère.",
    ),
    (
        "« Le Canada soutient l'initiative », a rappelé la présidence.",
        ["Canada"],
        "« Une ambassade soutient l'initiative », a rappelé la présidence.",
    ),
    (
        "- la délégation américaine partagera le guide sur la sécurité privée.",
        ["américaine"],
        "- Une ambassade partagera le guide sur la sécurité privée.",
    ),
    (
        "Écrire à jp.kalala@mines.example.cd ou appeler le +243 81 555 0100.",
        ["jp.kalala@mines.example.cd", "+243 81 555 0100"],
        None,
    ),
    # Nothing to find: a language, a currency, a country inside another word, regions,
    # countries that are no member's (Chile is another group's).
    ("La version en français du rapport sera diffusée la semaine prochaine.", [], None),
    ("La version française du rapport sera diffusée la semaine prochaine.", [], None),
    ("Le guide est traduit en anglais et en néerlandais.", [], None),
    ("Le franc suisse et le dollar canadien se sont appréciés face au franc congolais.", [], None),
    ("Les avions Canadair ont survolé le site minier.", [], None),
    ("Les pays latino-américains et nord-américains partagent cette préoccupation.", [], None),
    ("L'expérience de la Colombie et du Chili a été examinée.", [], None),
    ("Le droit français de la vigilance a été présenté.", [], None),
]


@pytest.mark.parametrize(("text", "found", "result"), FRENCH)
def test_french_minutes(katanga, text, found, result):
    _check(katanga, text, found, result)


def test_spanish_text_in_a_french_groups_minutes_is_still_caught(katanga):
    """A quotation in Spanish names the embassy as well: it is found, and the French words
    take the place of the whole Spanish noun phrase, not of the country alone."""
    text = "La Embajada de Canadá propuso un taller."
    with group_scope(katanga):
        hits = leaks.scan_text(text, "x:1:text", leaks.roster_matcher())
    assert [h.matched for h in hits] == ["Canadá"]
    finding = leaks.Finding(hits[0], text, katanga.default_language)
    assert finding.words == "une ambassade"
    assert finding.replacement.apply(text) == "Une ambassade propuso un taller."


def test_des_after_de_is_dropped_when_the_secretariat_types_it(katanga):
    """The editor offers "certains participants", but the Secretariat may type "des
    participants": after "de" (from "des" = "de" + "les") it reads "de participants"."""
    text = "L'avis des Canadiens a été entendu. Des Canadiens ont pris la parole."
    with group_scope(katanga):
        hits = leaks.scan_text(text, "x:1:text", leaks.roster_matcher())
    assert [h.matched for h in hits] == ["Canadiens", "Canadiens"]
    for hit in reversed(hits):
        text = leaks.wording.fit(text, hit, "des participants", "fr").apply(text)
    assert text == "L'avis de participants a été entendu. Des participants ont pris la parole."


ARGENTINA = [
    ("Embassy of Argentina", "", "foreign_government", "government", ["Martina Ruiz"]),
]


def test_a_word_that_is_the_country_in_french_and_the_adjective_in_english(db):
    """ "Argentine" is the country in French minutes and the adjective in English ones: the
    neutral words fit the word as the minutes' language uses it."""
    english = make_group("gold-coast", default_language="en")
    french = make_group("grands-lacs", default_language="fr")
    for group in (english, french):
        _roster(group, ARGENTINA, [])
    _check(
        english,
        "The Argentine embassy said that Argentine companies would attend.",
        ["Argentine", "Argentine"],
        "An embassy said that foreign companies would attend.",
    )
    _check(
        french,
        "L'Argentine a proposé que l'entreprise argentine présente ses conventions.",
        ["Argentine", "argentine"],
        "Une ambassade a proposé que l'entreprise étrangère présente ses conventions.",
    )


# --- Submitting ---------------------------------------------------------------------------------


def test_a_french_groups_minutes_cannot_be_submitted_while_a_hit_is_unresolved(katanga):
    """The whole path for a French group: submitting is refused while the minutes name an
    embassy, the editor's French words replace it, and the minutes are then submitted.
    "Mme Kabange" is another group's representative: no finding here."""
    for pillar in ("companies", "government", "civil_society"):
        make_coordination(katanga, pillar)
    minutes = make_minutes(make_meeting_in_session(katanga, ("Conventions avec la police",)))
    c = add_contribution(minutes, "L'ambassade canadienne a proposé un atelier avec Mme Kabange.")
    secretariat = make_secretariat(katanga)
    with group_scope(katanga):
        with pytest.raises(LeaksRemain) as refused:
            service.submit(minutes=minutes, actor=secretariat)
        [finding] = refused.value.findings
        assert (finding.hit.matched, finding.words) == ("canadienne", "une ambassade")
        service.replace_words(
            minutes=minutes,
            actor=secretariat,
            target=f"contribution:{c.pk}:text",
            term=finding.hit.matched,
            replacement=finding.words,
            at=finding.hit.start,
        )
        assert (
            Contribution.objects.get(pk=c.pk).text
            == "Une ambassade a proposé un atelier avec Mme Kabange."
        )
        assert leaks.scan(minutes) == []
        version = service.submit(minutes=minutes, actor=secretariat)
    assert version.number == 1
