"""Searching the index for one reader: what their permissions name, ranked, with snippets.

Everything that decides what a reader may find is in the SQL ``WHERE`` (``visible``): the
count, the ranking and the snippets are computed over those rows only, so a hidden row is
never counted ("12 results"), never quoted and never moves another up or down. Two queries for
a page (the count, the page), whatever the index holds.

PostgreSQL: each row's vector is in its language's configuration (``vpswg.search.CONFIGS``);
the words asked for are parsed in the Spanish, English and French configurations and as they
are ("simple"), and any of them may match, so that a Spanish reader finds an English document
by its English words and stems ("regulaciones" finds "regulación"). The query is read as a
web search: "quoted phrases", ``-word`` to exclude, ``or``. SQLite (``make run``): every word
must appear, in any case; no stemming.
"""

from __future__ import annotations

import html
import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from vpswg.models import SearchEntry
from vpswg.search import CONFIGS, START, STOP, clean, is_postgres

PER_PAGE = 20
#: A query longer than this is cut (a pasted paragraph is not a search).
MAX_QUERY = 200
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Scope:
    """What one reader may find: the permissions they hold in the group (with ``SEATS`` for
    the Secretariat and the seats), whether they read every closed meeting, the closed meetings
    they were given, and whether they read the attributed record."""

    keys: frozenset[str]
    all_closed: bool
    closed_grants: frozenset[int] = frozenset()
    attributed: bool = False


@dataclass
class Result:
    entry: SearchEntry
    snippet: SafeString
    #: Filled by the page for the Secretariat's attributed statements (who said it).
    speaker: str = ""
    extra: dict = field(default_factory=dict)


def visible(scope: Scope) -> QuerySet[SearchEntry]:
    """The active group's rows this reader may find (the group's scope is active)."""
    qs = SearchEntry.objects.filter(requires__in=sorted(scope.keys))
    if not scope.all_closed:
        qs = qs.filter(
            Q(closed_meeting_id__isnull=True) | Q(closed_meeting_id__in=sorted(scope.closed_grants))
        )
    # The Secretariat searches the attributed record; everyone else the members' rendering.
    return qs.exclude(rendering="members" if scope.attributed else "attributed")


def normalise(text: str) -> str:
    return " ".join(clean(text or "").split())[:MAX_QUERY]


#: A word or "phrase" to leave out, as web search writes it: ``-word``, ``-"two words"``.
_EXCLUDED = re.compile(r'(?:^|\s)-("[^"]*"|[^\s"]+)')


def _pg_query(text: str):
    """Any language's reading of what is asked for, and none of what is left out: a word to
    leave out is left out in every language's stem (each configuration's query alone would
    let rows of the other stems back in)."""
    from django.contrib.postgres.search import SearchQuery

    configs = [*CONFIGS.values(), "simple"]
    excluded = [m.strip('"') for m in _EXCLUDED.findall(text)]
    wanted = _EXCLUDED.sub(" ", text).strip()
    query = reduce(
        operator.or_,
        [SearchQuery(wanted or text, config=c, search_type="websearch") for c in configs],
    )
    for words in excluded:
        if not words.strip():
            continue
        for config in configs:
            query &= ~SearchQuery(words, config=config, search_type="phrase")
    return query


_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if len(w) > 1][:12]


def search(
    scope: Scope, text: str, *, kind: str = "", year: int | None = None, page: int | str = 1
) -> tuple[Page, list[Result]]:
    """A page of results, best first, and their snippets."""
    text = normalise(text)
    qs = visible(scope)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    if not text:
        qs = qs.none()
    if is_postgres():
        page_obj, results = _search_postgres(qs, text, page)
    else:
        page_obj, results = _search_simple(qs, text, page)
    return page_obj, results


def _search_postgres(qs, text: str, page) -> tuple[Page, list[Result]]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    if text:
        query = _pg_query(text)
        qs = (
            qs.filter(vector=query)
            .annotate(
                rank=SearchRank(F("vector"), query),
                snippet=SearchHeadline(
                    "body",
                    query,
                    config=F("config"),
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-date", "-id")
        )
    qs = qs.defer("body", "vector")
    page_obj = _one_query_page(qs, page)
    return page_obj, [Result(e, _marked(getattr(e, "snippet", ""))) for e in page_obj]


def _one_query_page(qs, page) -> Page:
    """The page and the total in one query (the count as a window over the matches): the
    matching is the cost of a search, and a count apart would do it twice. A page past the
    last (an old link) costs a count and answers the last page, as ``get_page`` does."""
    from django.db.models import Count, Window

    try:
        number = max(1, int(page))
    except (TypeError, ValueError, OverflowError):
        number = 1
    number = min(number, 10_000)
    paginator = Paginator(qs, PER_PAGE)
    start = (number - 1) * PER_PAGE
    rows = list(qs.annotate(total=Window(Count("id")))[start : start + PER_PAGE])
    if not rows and number > 1:
        return paginator.get_page(number)
    paginator.count = rows[0].total if rows else 0  # the cached property, known already
    return Page(rows, number, paginator)


def _marked(snippet: str) -> SafeString:
    """A snippet escaped whole, its marks turned into <mark>."""
    escaped = html.escape(snippet or "")
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def _search_simple(qs, text: str, page) -> tuple[Page, list[Result]]:
    words = _words(text)
    if not words:
        qs = qs.none()
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    qs = qs.order_by("-date", "-id")
    page_obj = Paginator(qs, PER_PAGE).get_page(page)
    return page_obj, [Result(e, _simple_snippet(e.body, words)) for e in page_obj]


def _simple_snippet(body: str, words: list[str]) -> SafeString:
    """Around the first word found, the words marked: matched in the text as written, each
    piece escaped on its own (marking the escaped text would split its entities)."""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    first = pattern.search(body)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARS // 3)
    piece = body[start : start + SNIPPET_CHARS]
    out, at = [], 0
    for match in pattern.finditer(piece):
        out.append(html.escape(piece[at : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        at = match.end()
    out.append(html.escape(piece[at:]))
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(body) else ""
    return mark_safe(prefix + "".join(out) + suffix)


def years(scope: Scope) -> list[int]:
    """The years the reader's rows cover (the year filter's choices): one query."""
    dates = visible(scope).exclude(date=None).dates("date", "year", order="DESC")
    return [d.year for d in dates]
