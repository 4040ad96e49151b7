"""Every page of the URL registry speaks the reader's language and no other.

Each GET page the registry lists is rendered, in each language of the site, as every actor
the registry says it answers 200 (the signed-out visitor on public pages too), with a few
pages outside it (error and account pages). The text a reader sees (``tests.html_text``) is
then held to the project's catalogues:

- on a page in a translated language, no string of the catalogue may stand in English where
  the language's translation says otherwise (a lazy string made a str at import time, text
  rendered outside the request's language, a notice stored in the language of its day);
- on an English page, no translation of another language may appear (a Spanish string from a
  group's default language, a cached fragment, a message made in a task).

Strings of three words and more (two around a placeholder) are also looked for inside longer
texts, their placeholders matching anything: ``{% blocktranslate %}`` output is rarely a text
node of its own. A string marked for no translation is in no catalogue: this test cannot see
it (``make messages`` and ``tests/vpswg/test_catalogues.py`` see the marked ones).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import get_language_info

from tests.catalogues import other_languages, po_path, read_po
from tests.html_text import normalise, visible_text
from tests.isolation.registry import REGISTRY
from tests.isolation.routes import (
    ACTORS,
    World,
    expected_status,
    make_world,
    own_patterns,
    request,
    url_for,
)
from vpswg.models import User
from vpswg.roles import Role

LANGUAGES = [code for code, _ in settings.LANGUAGES]

#: Text on a page that matches a catalogue string of the wrong language but is not a lapse.
ALLOWED = {
    # The language switcher's tooltips: a reader who does not read the page's language must
    # still find their own ("English" on a Spanish page).
    get_language_info(code)["name_local"]: "the language switcher names it in itself"
    for code in LANGUAGES
}

#: Pages outside the registry that a reader meets: the error pages and the account pages
#: (allauth's views, our templates). (label, actor, URL name or path, status)
EXTRA_PAGES = [
    ("404", "anonymous", "/no-such-group/", 404),
    ("403", Role.OBSERVER.value, "group:settings", 403),
    ("account_login", "anonymous", "account_login", 200),
    ("account_email", Role.SECRETARIAT.value, "account_email", 200),
    ("account_change_password", Role.SECRETARIAT.value, "account_change_password", 200),
    ("mfa_index", Role.SECRETARIAT.value, "mfa_index", 200),
]

#: Shortest catalogue string (in words, placeholders apart) looked for inside longer texts:
#: shorter ones are found in data ("Work plan" in "Work plan 2026-2027"), unless a
#: placeholder gives them a shape ("Minutes available: %(title)s").
MIN_WORDS = 3
MIN_WORDS_AROUND_PLACEHOLDERS = 2

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}|\{\w*\}")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Phrase:
    """A catalogue string as it may appear in a page's text."""

    text: str
    pattern: re.Pattern
    words: frozenset[str]


def phrase(text: str) -> Phrase | None:
    """``text`` as a search pattern: placeholders match anything, tags nothing or a space.
    None when it has too few words to be told apart from data."""
    parts: list[str] = []
    words: list[str] = []
    placeholders = False
    for piece in re.split(f"({_PLACEHOLDER.pattern}|{_TAG.pattern})", text):
        if not piece:
            continue
        if _PLACEHOLDER.fullmatch(piece):
            placeholders = True
            parts.append(".*?")
        elif _TAG.fullmatch(piece):
            parts.append(r"\s*")
        else:
            literal = html.unescape(piece).replace("%%", "%")
            words += _WORD.findall(literal)
            chunks = [re.escape(chunk) for chunk in literal.split()]
            lead = r"\s*" if literal[:1].isspace() else ""
            trail = r"\s*" if literal[-1:].isspace() else ""
            parts.append(lead + r"\s+".join(chunks) + trail)
    if len(words) < (MIN_WORDS_AROUND_PLACEHOLDERS if placeholders else MIN_WORDS):
        return None
    body = "".join(parts)
    return Phrase(text, re.compile(rf"(?<!\w){body}(?!\w)"), frozenset(words))


def plain(text: str) -> str | None:
    """``text`` as a whole text node would show it, or None if it has placeholders or tags."""
    if _PLACEHOLDER.search(text) or _TAG.search(text):
        return None
    return normalise(html.unescape(text).replace("%%", "%")) or None


class Giveaways:
    """Catalogue strings that betray a page in the wrong language."""

    def __init__(self, strings: dict[str, str]):
        """``strings``: the text -> what it is (e.g. "English", "es")."""
        self.exact: dict[str, str] = {}
        self.phrases: list[tuple[Phrase, str]] = []
        for text, what in strings.items():
            if (found := phrase(text)) is not None:
                self.phrases.append((found, what))
            elif (whole := plain(text)) is not None:
                self.exact[whole] = what

    @classmethod
    def for_language(cls, language: str) -> Giveaways:
        catalogues = {
            code: read_po(path) for code in other_languages() if (path := po_path(code)).is_file()
        }
        english = {text for c in catalogues.values() for e in c.live() for text in e.english}

        def translations(code: str) -> set[str]:
            if code not in catalogues:
                return set()
            return {t for e in catalogues[code].live() if e.translated for t in e.msgstrs}

        if language == settings.LANGUAGE_CODE:
            # Another language's translation, unless it is English too ("Total", "No").
            english_shown = {normalise(t) for t in english}
            strings = {
                text: code
                for code in catalogues
                for text in translations(code)
                if normalise(text) not in english_shown
            }
        else:
            # English, unless the language says the same ("Total") or uses it for another
            # string (a Spanish word that is also an English msgid).
            own = {normalise(t) for t in translations(language)}
            strings = {text: "English" for text in english if normalise(text) not in own}
        return cls({t: w for t, w in strings.items() if normalise(t) not in ALLOWED})

    def find(self, nodes: list[str], attributes: list[str]) -> list[str]:
        found = []
        for text in [*nodes, *attributes]:
            if text in self.exact:
                found.append(f"{self.exact[text]}: {text!r}")
        # Text nodes are joined as a reader reads them; each attribute stands alone.
        haystack = "\n".join([" ".join(nodes), *attributes])
        words = set(_WORD.findall(haystack))
        for candidate, what in self.phrases:
            if candidate.words <= words and (match := candidate.pattern.search(haystack)):
                shown = match.group(0)
                if shown == candidate.text:
                    found.append(f"{what}: {shown!r}")
                else:
                    found.append(f"{what}: {candidate.text!r} as {shown[:120]!r}")
        return sorted(set(found))


def actors(name: str) -> list[str]:
    """Everyone the registry says this page answers 200 to."""
    return [actor for actor in ACTORS if expected_status(name, actor) == 200]


@dataclass(frozen=True)
class Page:
    label: str
    actor: str
    url: str
    status: int = 200
    name: str | None = None  # the registry's entry, if it is one of its pages


def pages(world: World) -> list[Page]:
    """Every page to read, its objects made now (the object factories run in ``url_for``)."""
    found = []
    for name, route in sorted(own_patterns().items()):
        probe = REGISTRY[name]
        if probe.method != "get" or probe.ok != 200:
            continue
        for actor in actors(name):
            user = None if actor == "anonymous" else world.users[actor]
            url = url_for(name, route, world, user)
            found.append(Page(f"{name} as {actor}", actor, url, name=name))
    for label, actor, target, status in EXTRA_PAGES:
        if target.startswith("/"):
            url = target
        else:
            url = reverse(target, kwargs={"wg": world.group.slug} if ":" in target else {})
        found.append(Page(label, actor, url, status))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_speaks_the_readers_language(db, language):
    """The group speaks another language than the reader. Its pages' objects (and the notices
    they send) are made while the readers' accounts speak the group's language too; then the
    readers choose theirs (account and cookie, as the language switcher sets them) and read:
    what was stored in the language of the day must not show."""
    group_language = next(code for code in LANGUAGES if code != language)
    world = make_world(default_language=group_language)
    readers = User.objects.filter(pk__in=[u.pk for u in [*world.users.values(), world.other_user]])
    readers.update(language=group_language)
    to_read = pages(world)
    readers.update(language=language)
    giveaways = Giveaways.for_language(language)
    assert giveaways.exact and giveaways.phrases

    findings: dict[str, list[str]] = defaultdict(list)
    read_pages = 0
    for page in to_read:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if page.actor != "anonymous":
            client.force_login(world.users[page.actor])
        if page.name is not None:
            response = request(client, page.name, page.url, world)
        else:
            response = client.get(page.url)
        where = f"{page.label} ({page.url})"
        if response.status_code != page.status:
            findings[where].append(f"answered {response.status_code}, expected {page.status}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue  # a CSV, a PDF, a calendar: not a page
        read_pages += 1
        if response.get("Content-Language") != language:
            findings[where].append(f"Content-Language {response.get('Content-Language')}")
        nodes, attributes = visible_text(response.content.decode())
        findings[where] += giveaways.find(nodes, attributes)

    assert read_pages > 100  # the registry's pages, not an empty loop
    wrong = {where: found for where, found in findings.items() if found}
    report = "\n".join(
        f"{where}:\n" + "\n".join(f"    {line}" for line in found)
        for where, found in sorted(wrong.items())
    )
    assert not wrong, (
        f"{len(wrong)} pages of {read_pages} in {language!r} show other languages' strings "
        f"({sum(map(len, wrong.values()))} strings):\n{report}"
    )


def test_the_checks_tell_the_languages_apart():
    """What the page test counts as a lapse, on made-up pages (no database)."""
    spanish = Giveaways.for_language("es")
    english = Giveaways.for_language("en")

    def on_spanish(*nodes: str, attributes=()) -> list[str]:
        return spanish.find(list(nodes), list(attributes))

    # A catalogue string left in English, whole or inside a longer text; in an attribute.
    assert on_spanish("Skip to content") == ["English: 'Skip to content'"]
    assert on_spanish("Saltar al contenido") == []
    assert on_spanish("Lima", attributes=["Skip to content"]) == ["English: 'Skip to content'"]
    assert on_spanish("vpswg: working groups of the Voluntary Principles", "on Security and") == []
    found = on_spanish("To screen: application", "ALP-2026-X", "from Minera Andina")
    assert found == [
        "English: 'To screen: application %(ref)s from %(name)s' as "
        "'To screen: application ALP-2026-X from Minera'"
    ]
    # Words both languages write alike, data, and the language switcher are no lapse.
    assert on_spanish("Total", "Working group alpha", "Work plan 2026-2027") == []
    assert on_spanish("ES", attributes=["English"]) == []
    # A Spanish string on an English page; English words that are Spanish too are not.
    assert english.find(["Saltar al contenido"], []) == ["es: 'Saltar al contenido'"]
    assert english.find(["Total", "Skip to content", "español"], []) == []
