"""Counts as the reader writes them: "2,213" in English, "2.213" in Spanish, "2 213" (a narrow
no-break space) in French (vpswg/formats/). Python that writes a figure into text (a chart's
labels, a sentence) calls ``figure``; templates use the ``figure`` filter (``vpswg_tags``).

Grouping is asked for here rather than switched on for the site (USE_THOUSAND_SEPARATOR):
that would group ids in URLs and attributes, and years. Years are not figures.
"""

from __future__ import annotations

from django.utils import formats


def figure(value) -> str:
    """``value`` grouped in the active language; "–" when it is not known (``None``): an
    unknown is not a zero."""
    if value is None or value == "":
        return "–"
    return formats.number_format(value, force_grouping=True)
