"""The console watch of tests/e2e/conftest.py catches what the Content-Security-Policy refuses:
an inline style set by markup is a console error, so a page that did it would fail its test."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_inline_style_refused_by_the_policy_is_caught(live_server, browser):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/")
    assert browser.errors == []
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')"
    )
    page.wait_for_timeout(200)
    caught = list(browser.errors)
    browser.errors.clear()  # seen: the test's own teardown check is for unexpected ones
    assert any("style" in error for error in caught), caught
