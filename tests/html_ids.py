"""Element ids in a page: each must be unique, or a label, an ``aria-describedby`` or an htmx
target reaches the wrong element (a click on one form's label ticked another form's box)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self._template = 0

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self._template += 1
        for name, value in attrs:
            # Ids inside <template> are copied by scripts, not rendered as they stand.
            if name == "id" and value and not self._template:
                self.ids[value] += 1

    def handle_endtag(self, tag):
        if tag == "template" and self._template:
            self._template -= 1


def duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(name for name, count in parser.ids.items() if count > 1)
