"""The text a page shows its reader: what a translation test must find in the page's language.

Text nodes outside ``<script>``, ``<style>`` and ``<template>`` (a template is copied by a
script, and its text is checked where it is rendered), and the attributes a reader sees or
hears: tooltips, accessible names, placeholders, alternative text, the label of an input
button, and the texts the scripts show (``data-confirm`` and the like).
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Attributes whose value is shown or read out.
TEXT_ATTRIBUTES = frozenset(
    {
        "title",
        "aria-label",
        "aria-description",
        "placeholder",
        "alt",
        # Shown by static/js: a confirmation, an error, a save in progress, a count, a refusal.
        "data-confirm",
        "data-error-text",
        "data-max-message",
        "data-saving",
        "data-template",
    }
)
_INPUT_BUTTONS = frozenset({"submit", "button", "reset"})
_HIDDEN = frozenset({"script", "style", "template"})


def normalise(text: str) -> str:
    return " ".join(text.split())


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.attributes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden += 1
        if self._hidden:
            return
        values = dict(attrs)
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self.attributes.append(value)
        if tag == "input" and values.get("type") in _INPUT_BUTTONS and values.get("value"):
            self.attributes.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        # <br/>, <input/>: no content, so nothing to hide.
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.nodes.append(data)


def visible_text(html: str) -> tuple[list[str], list[str]]:
    """The page's text nodes and its text attributes, whitespace-normalised, empty ones left out.

    A node is what lies between two tags: "Read <b>this</b> first" gives three.
    """
    parser = _Visible()
    parser.feed(html)
    parser.close()
    nodes = [text for text in map(normalise, parser.nodes) if text]
    attributes = [text for text in map(normalise, parser.attributes) if text]
    return nodes, attributes
