"""The minutes as PDF: in the group's language, the Chatham House notice on every page, and for
a named reader a watermark naming them and the time."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from meetings.minutes_views.common import RENDERED_SECONDS, _rendered
from meetings.models import MinutesVersion
from vpswg import pdf

PDF_STYLESHEETS = ("css/minutes-pdf.css",)


def render_minutes_pdf(group, content: dict, *, reader=None) -> bytes:
    """The PDF of one rendering, in the group's language, with the Chatham House notice on
    every page and, for a named reader, a watermark naming them and the time."""
    return pdf.render(minutes_pdf_html(group, content, reader=reader), stylesheets=PDF_STYLESHEETS)


def render_version_pdf(group, version_id: int, column: str, *, reader=None) -> bytes:
    """As ``render_minutes_pdf``, for the members' or the dissemination rendering of a frozen
    version: its HTML is the one the minutes page keeps (``_rendered``), so a download reads
    and renders the version again only in a process that has not shown it yet."""
    return pdf.render(
        version_pdf_html(group, version_id, column, reader=reader), stylesheets=PDF_STYLESHEETS
    )


def minutes_pdf_html(group, content: dict, *, reader=None) -> str:
    """The HTML the PDF is made of (apart, so the benchmark can time WeasyPrint alone on it)."""
    with translation.override(group.default_language), timezone.override(group.zone):
        return _html(group, content["rendering"], content["meeting"], None, content, reader)


def version_pdf_html(group, version_id: int, column: str, *, reader=None) -> str:
    """``minutes_pdf_html`` of a frozen version's ``column`` ("members" or "dissemination"):
    the same HTML, from the kept rendering and the version's heading."""
    with translation.override(group.default_language), timezone.override(group.zone):
        body = _rendered(version_id, column)  # in the group's language, as the PDF is
        return _html(group, column, _heading(version_id, column), body, None, reader)


def _heading(version_id: int, column: str) -> dict:
    """The title and start of the meeting as frozen in the version (they may have changed on
    the meeting since): read alone, not the whole rendering, and kept like it."""
    key = f"minutes:pdf-heading:{version_id}:{column}"
    local = caches["local"]
    heading = local.get(key)
    if heading is None:
        title, start = (
            MinutesVersion.objects.filter(pk=version_id)
            .values_list(f"{column}__meeting__title", f"{column}__meeting__start")
            .get()
        )
        heading = {"title": title, "start": start}
        local.set(key, heading, RENDERED_SECONDS)
    return heading


def _html(
    group, rendering: str, meeting: dict, body: SafeString | None, content: dict | None, reader
) -> str:
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
            "rendering": rendering,
            "title": meeting["title"],
            "start": datetime.fromisoformat(meeting["start"]),
            # The rendering: its kept HTML, or drawn here from its content.
            "body": body,
            "content": content,
            "watermark": watermark,
            "LANGUAGE_CODE": group.default_language,
        },
    )
