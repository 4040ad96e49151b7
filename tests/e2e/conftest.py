"""Every page a browser test opens is watched: a console error or an uncaught exception fails
the test (a style or script refused by the Content-Security-Policy is a console error). A
refused form answered 4xx by htmx also logs "Failed to load resource": that is the app's
answer, shown on the page, and not counted."""

from __future__ import annotations

import re

import pytest

from tests.isolation.routes import World, make_world

EXPECTED = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


class WatchedBrowser:
    """The session's browser, with every page of every new context watched."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.errors: list[str] = []

    def new_context(self, *args, **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        context.on("page", self._watch)
        return context

    def new_page(self, *args, **kwargs):
        page = self._browser.new_page(*args, **kwargs)
        self._watch(page)
        return page

    def _watch(self, page) -> None:
        def console(message) -> None:
            if message.type == "error" and not EXPECTED.match(message.text):
                self.errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def browser(browser):
    watched = WatchedBrowser(browser)
    yield watched
    assert watched.errors == [], "errors in the browser console"


@pytest.fixture
def world(db) -> World:
    """The URL registry's world (a group, another group, a user per role), for the tests that
    open every page of the registry in the browser (the live server's database: their
    ``transaction=True`` mark makes ``db`` a transactional one)."""
    return make_world()
