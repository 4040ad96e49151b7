"""The minutes as PDF: in the group's language, the Chatham House notice on every page, and for
a named reader a watermark naming them and the time."""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vpswg import pdf


def render_minutes_pdf(group, content: dict, *, reader=None) -> bytes:
    """The PDF of one rendering, in the group's language, with the Chatham House notice on
    every page and, for a named reader, a watermark naming them and the time."""
    return pdf.render(minutes_pdf_html(group, content, reader=reader), stylesheets=PDF_STYLESHEETS)


PDF_STYLESHEETS = ("css/minutes-pdf.css",)


def minutes_pdf_html(group, content: dict, *, reader=None) -> str:
    """The HTML the PDF is made of (apart, so the benchmark can time WeasyPrint alone on it)."""
    with translation.override(group.default_language), timezone.override(group.zone):
        watermark = ""
        if reader is not None:
            watermark = _("%(name)s · %(email)s · %(time)s") % {
                "name": reader.get_full_name(),
                "email": reader.email,
                "time": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
            }
        return render_to_string(
            "meetings/minutes/pdf.html",
            {
                "group": group,
                "content": content,
                "watermark": watermark,
                "start": _parse_start(content),
                "LANGUAGE_CODE": group.default_language,
            },
        )


def _parse_start(content: dict):
    return datetime.fromisoformat(content["meeting"]["start"])
