"""Headers and markup: CSP without inline code, framing refused, referrer kept in."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_secretariat, sign_in

pytestmark = pytest.mark.django_db

# A JSON data block (type="application/json") is not executed, and CSP allows it.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def assert_no_inline_code(html: str, url: str) -> None:
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("event handler attribute", EVENT_HANDLER),
    ]:
        match = pattern.search(html)
        assert match is None, (
            f"{name} on {url}: {html[max(match.start() - 80, 0) : match.end() + 80]}"
        )


@pytest.fixture
def pages(client, group):
    sign_in(client, make_secretariat(group))
    return [
        "/",
        reverse("group:home", kwargs={"wg": group.slug}),
        reverse("group:audit", kwargs={"wg": group.slug}),
        reverse("notifications"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        "/no-such-group/",
    ]


def test_pages_send_the_security_headers_and_no_inline_code(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert_no_inline_code(response.content.decode(), url)


def test_signed_out_pages_have_no_inline_code_either(client, group):
    for url in [
        "/",
        f"/{group.slug}/",
        reverse("account_login"),
        reverse("account_reset_password"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert_no_inline_code(response.content.decode(), url)


def test_the_checker_catches_inline_code():
    with pytest.raises(AssertionError):
        assert_no_inline_code('<div style="color:red">x</div>', "/")
    with pytest.raises(AssertionError):
        assert_no_inline_code("<script>alert(1)</script>", "/")
    with pytest.raises(AssertionError):
        assert_no_inline_code('<button onclick="x()">', "/")
    assert_no_inline_code('<script src="/static/x.js" defer></script>', "/")
