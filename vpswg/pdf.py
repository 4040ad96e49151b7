"""PDF rendering with WeasyPrint, fetching nothing but the application's own static files.

WeasyPrint would fetch http(s) and file:// URLs found in a document: a crafted text could make
the server read local files or call internal services. Here the fetcher refuses every URL
except ``vpswg-static:<path>``, resolved by Django's staticfiles finders; stylesheets are
passed as strings; fonts come from the system (DejaVu covers Spanish).
"""

from __future__ import annotations

import logging
import mimetypes
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)

SCHEME = "vpswg-static"


def static_path(path: str) -> Path | None:
    found = finders.find(path.lstrip("/"))
    return Path(found) if found else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``vpswg-static:`` URLs from the static files; refuses everything else."""

        def fetch(self, url, headers=None):
            if not url.startswith(f"{SCHEME}:"):
                logger.warning("pdf: refused to fetch a %s URL", url.split(":", 1)[0][:20])
                raise ValueError("vpswg PDFs fetch nothing but the application's static files")
            path = static_path(url[len(SCHEME) + 1 :])
            if path is None:
                raise ValueError("no such static file")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


@cache
def _fonts():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def stylesheet(name: str):
    """A static stylesheet, parsed once per process."""
    from weasyprint import CSS

    path = static_path(name)
    if path is None:
        raise FileNotFoundError(name)
    return CSS(string=path.read_text(), font_config=_fonts(), url_fetcher=fetcher())


def fetcher():
    return _fetcher_class()(allowed_protocols={SCHEME}, allow_redirects=False, timeout=1)


def render(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """HTML (from our own templates) to PDF bytes."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=f"{SCHEME}:/", url_fetcher=fetcher())
    return document.write_pdf(
        stylesheets=[stylesheet(name) for name in stylesheets], font_config=_fonts()
    )
